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
    /// A comma list of keywords in canonical order (`--ctstate RELATED,ESTABLISHED`).
    case words([String])
    /// An interface name, possibly with the `+` wildcard.
    case interface(InterfaceName)
    /// A MAC address.
    case mac(MACAddress)
    /// Several values for an option that takes more than one argument
    /// (`--tcp-flags SYN,ACK SYN`, `--match-set NAME src,dst`).
    case tuple([OptionValue])
}
