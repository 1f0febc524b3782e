/// The options every rule may carry without `-m`: `-s`, `-d`, `-i`, `-o`, `-p`, `-f`.
/// These are what the kernel's ipt_ip / ip6t_ip6 structure checks before any match.
public struct HeaderMatch: Sendable, Hashable {
    public var source: Negatable<Network>?
    public var destination: Negatable<Network>?
    public var inInterface: Negatable<InterfaceName>?
    public var outInterface: Negatable<InterfaceName>?
    /// The protocol number; 0 (`all`) is the same as no `-p`.
    public var `protocol`: Negatable<UInt8>?
    /// How the dump spelled the protocol when it used a name, e.g. `icmpv6` or
    /// `ipv6-icmp` (iptables versions differ), so the dump prints back unchanged.
    public var protocolSpelling: String?
    /// `-f` (second and later fragments), IPv4 only.
    public var fragment: Negatable<Bool>?

    public init() {}

    /// The protocol the rule requires, when `-p` is given without `!`.
    public var requiredProtocol: UInt8? {
        guard let proto = `protocol`, !proto.negated, proto.value != 0 else { return nil }
        return proto.value
    }
}
