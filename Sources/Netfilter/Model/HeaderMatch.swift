/// The options every rule may carry without `-m`: `-s`, `-d`, `-i`, `-o`, `-p`, `-f`.
/// These are what the kernel's ipt_ip / ip6t_ip6 structure checks before any match.
public struct HeaderMatch: Sendable, Hashable {
    /// `-s` and `-d`, kept out of line: they are most of the header's size, and many rules
    /// have neither (a dump's rules are a third smaller this way).
    private var addresses: AddressBox?

    public var source: Negatable<Network>? {
        get { addresses?.source }
        set { updateAddresses(source: newValue, destination: destination) }
    }

    public var destination: Negatable<Network>? {
        get { addresses?.destination }
        set { updateAddresses(source: source, destination: newValue) }
    }

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

    private mutating func updateAddresses(source: Negatable<Network>?, destination: Negatable<Network>?) {
        addresses = source == nil && destination == nil ? nil : AddressBox(source: source, destination: destination)
    }

    /// An immutable box: every change makes a new one, so headers keep value semantics.
    private final class AddressBox: Sendable, Hashable {
        let source: Negatable<Network>?
        let destination: Negatable<Network>?

        init(source: Negatable<Network>?, destination: Negatable<Network>?) {
            self.source = source
            self.destination = destination
        }

        static func == (lhs: AddressBox, rhs: AddressBox) -> Bool {
            lhs.source == rhs.source && lhs.destination == rhs.destination
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(source)
            hasher.combine(destination)
        }
    }

    /// The protocol the rule requires, when `-p` is given without `!`.
    public var requiredProtocol: UInt8? {
        guard let proto = `protocol`, !proto.negated, proto.value != 0 else { return nil }
        return proto.value
    }
}
