/// What the connections of `verdict reach` go to: an address and port (or echo, for ping)
/// the host offers itself, leads on with a DNAT or REDIRECT rule, or a container has.
public struct ReachService: Sendable, Hashable {
    /// Why the service is in the matrix.
    public enum Kind: String, Sendable, Hashable {
        /// A socket of the host listens on it (`ss.txt`).
        case listener
        /// A nat rule rewrites its destination (a published port, a NodePort, a ClusterIP).
        case nat
        /// A container's address and a port a nat rule leads to.
        case container
        /// Echo (ping) of a host or container address.
        case echo
        /// Asked for (`--to`), though nothing in the snapshot offers it.
        case given
    }

    public var kind: Kind
    /// TCP, UDP, or ICMP / ICMPv6 for echo.
    public var `protocol`: UInt8
    public var address: IPAddress
    /// nil for echo.
    public var port: UInt16?
    /// Whether a socket of the host listens on it: nil where the snapshot has no `ss.txt`,
    /// or the packets do not end on the host.
    public var listener: Bool?
    /// Where NAT leads it, as the cells found it (`172.17.0.2:80`); empty when nowhere.
    public var to: [String] = []

    public init(kind: Kind, protocol proto: UInt8, address: IPAddress, port: UInt16?, listener: Bool? = nil) {
        self.kind = kind
        self.protocol = proto
        self.address = address
        self.port = port
        self.listener = listener
    }

    public var family: Family { address.family }

    /// A service's identity: protocol, address and port (what the matrix has once, and what
    /// `reach OLD NEW` matches services by).
    public struct Key: Sendable, Hashable {
        public var `protocol`: UInt8
        public var address: IPAddress
        public var port: UInt16?
    }

    public var key: Key { Key(protocol: `protocol`, address: address, port: port) }

    /// `tcp`, `udp`, `icmp`, `ipv6-icmp`: the protocol as iptables-save spells it.
    public var protocolName: String { IPProtocol.saveName(for: self.protocol, family: family) ?? String(self.protocol) }

    /// `tcp 10.0.2.15:8080`, `icmp 172.17.0.2 echo`.
    public var name: String {
        guard let port else { return "\(protocolName) \(address) echo" }
        return "\(protocolName) \(PacketDescription.endpoint(address, port))"
    }

    /// The connection's first packet, as `verdict flow` takes it: a TCP SYN (the flow
    /// makes it one), a UDP datagram, an echo request; mark 0, not a fragment.
    var request: DescribedPackets? {
        let text: String
        if let port {
            text = "\(protocolName) * -> \(PacketDescription.endpoint(address, port))"
        } else {
            text = "\(protocolName) * -> \(PacketDescription.endpoint(address, nil)) type \(family == .ipv6 ? 128 : 8)"
        }
        guard var described = try? PacketDescription.describe(text, family: family) else { return nil }
        described.assumeUnmarked()
        described.assumeReassembled()
        return described
    }

    /// The order of the matrix's columns: the host's services, then the containers', each
    /// by address, protocol and port.
    static func precedes(_ left: ReachService, _ right: ReachService) -> Bool {
        let (l, r) = (left.kind == .container || left.kind == .echo && left.listener == false ? 1 : 0,
                      right.kind == .container || right.kind == .echo && right.listener == false ? 1 : 0)
        if l != r { return l < r }
        let (la, ra) = (RuleSpace.value(of: left.address), RuleSpace.value(of: right.address))
        if la != ra { return la < ra }
        if left.protocol != right.protocol { return left.protocol < right.protocol }
        return (left.port ?? 0) < (right.port ?? 0)
    }
}
