/// The typed value of one extension option, as its value type parsed it. Address cases
/// are boxed (`indirect`) so that the common small values stay 24 bytes.
public enum OptionValue: Sendable, Hashable {
    /// An option that takes no argument (`--syn`, `--log-uid`).
    case flag
    /// A number (a port, a length, a TTL, a group).
    case number(UInt64)
    /// An inclusive numeric range (`--length 40:1500`, `--ctexpire 3:10`).
    case range(UInt64, UInt64)
    /// A value under a mask (`--mark 0x1/0xff`).
    case masked(value: UInt64, mask: UInt64)
    /// An address with a mask (`--ctorigsrc 10.0.0.0/8`).
    indirect case network(Network)
    /// An inclusive address range (`--src-range 10.0.0.1-10.0.0.9`).
    indirect case addressRange(IPAddress, IPAddress)
    /// Ports and port ranges (`--dports 53,1024:65535`).
    case ports([PortRange])
    /// Free text such as a comment or a log prefix; `quoted` remembers whether the
    /// dump quoted it where quoting was optional, so old dumps print back unchanged.
    case text(String, quoted: Bool)
    /// A keyword from a fixed vocabulary, already in its canonical spelling.
    case word(String)
    /// A comma list of words in the order they keep (`--weekdays`, `--ctevents`).
    case words([String])
    /// Keywords of the option's fixed vocabulary, as bits (`--ctstate RELATED,ESTABLISHED`).
    case keywords(KeywordSet)
    /// An interface name, possibly with the `+` wildcard.
    case interface(InterfaceName)
    /// A MAC address.
    case mac(MACAddress)
    /// A NAT range (`--to-destination 10.0.0.1-10.0.0.9:80-90/8080`), one value instead of
    /// a tuple of three: dumps hold one per service endpoint.
    indirect case natRange(NATRange)
    /// Several values for an option that takes more than one argument
    /// (`--tcp-flags SYN,ACK SYN`, `--match-set NAME src,dst`).
    case tuple([OptionValue])
}

/// What a NAT target's range gives: addresses, ports and a base port, each optional
/// (`ADDR[-ADDR][:PORT[-PORT][/BASE]]`).
public struct NATRange: Sendable, Hashable {
    /// The first and last address, nil when the range gives only ports.
    public var addresses: (low: IPAddress, high: IPAddress)?
    public var ports: PortRange?
    /// The base port of a shifted range (`/BASE`).
    public var basePort: UInt16?

    public init(addresses: (low: IPAddress, high: IPAddress)?, ports: PortRange?, basePort: UInt16?) {
        self.addresses = addresses
        self.ports = ports
        self.basePort = basePort
    }

    public static func == (lhs: NATRange, rhs: NATRange) -> Bool {
        lhs.addresses?.low == rhs.addresses?.low && lhs.addresses?.high == rhs.addresses?.high
            && lhs.ports == rhs.ports && lhs.basePort == rhs.basePort
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(addresses?.low)
        hasher.combine(addresses?.high)
        hasher.combine(ports)
        hasher.combine(basePort)
    }
}
