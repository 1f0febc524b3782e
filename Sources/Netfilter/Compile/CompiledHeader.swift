// net/ipv4/netfilter/ip_tables.c (ip_packet_match): the header checks, prepared.

/// A rule's `-s -d -i -o -p -f` prepared for deciding many packets quickly: addresses as
/// masked integers, interfaces split into exact names and prefixes. It decides without
/// building reasons; `HeaderMatch.evaluate` explains a failure when a trace needs it.
struct CompiledHeader: Sendable {
    /// An address condition: `(address & mask) == network`, inverted by `!`.
    enum AddressTest: Sendable {
        case v4(network: UInt32, mask: UInt32, negated: Bool)
        case v6(network: IPv6Address, mask: IPv6Address, negated: Bool)

        init?(_ condition: Negatable<Network>?) {
            guard let condition else { return nil }
            switch (condition.value.address, condition.value.mask) {
            case (.v4(let network), .v4(let mask)):
                self = .v4(network: network.value, mask: mask.value, negated: condition.negated)
            case (.v6(let network), .v6(let mask)):
                self = .v6(network: network, mask: mask, negated: condition.negated)
            default:
                return nil
            }
        }

        /// Whether the address passes; nil when it is unknown.
        func passes(_ address: IPAddress?) -> Bool? {
            switch (self, address) {
            case (.v4(let network, let mask, let negated), .v4(let value)?):
                return (value.value & mask == network) != negated
            case (.v6(let network, let mask, let negated), .v6(let value)?):
                return (value & mask == network) != negated
            case (_, nil):
                return nil
            default:
                // An address of the other family never matches.
                return negated
            }
        }

        var negated: Bool {
            switch self {
            case .v4(_, _, let negated), .v6(_, _, let negated): return negated
            }
        }
    }

    /// An interface condition as the kernel keeps it: name bytes and a mask (`eth+`
    /// masks only `eth`; an exact name masks all 16 bytes).
    struct InterfaceTest: Sendable {
        let name: DeviceKey
        let mask: DeviceKey
        let negated: Bool

        init?(_ condition: Negatable<InterfaceName>?) {
            guard let condition else { return nil }
            let fixed = condition.value.prefix
            name = DeviceKey(fixed)
            mask = DeviceKey.mask(bytes: condition.value.isWildcard ? fixed.utf8.count : 16)
            negated = condition.negated
        }

        func passes(_ device: DeviceKey) -> Bool {
            (device.masked(by: mask) == name) != negated
        }
    }

    let source: AddressTest?
    let destination: AddressTest?
    let inInterface: InterfaceTest?
    let outInterface: InterfaceTest?
    /// The protocol number (`-p all`, 0, is no condition) and whether `!` inverts it.
    let protocolNumber: UInt8?
    let protocolNegated: Bool
    /// `-f` given: whether the packet must (false) or must not (true) be a later fragment.
    let fragmentNegated: Bool?

    init(_ header: HeaderMatch) {
        source = AddressTest(header.source)
        destination = AddressTest(header.destination)
        inInterface = InterfaceTest(header.inInterface)
        outInterface = InterfaceTest(header.outInterface)
        if let proto = header.protocol, proto.value != 0 {
            protocolNumber = proto.value
            protocolNegated = proto.negated
        } else {
            protocolNumber = nil
            protocolNegated = false
        }
        fragmentNegated = header.fragment?.negated
    }

    /// False when a check fails (whatever the others), true when every check passes, nil
    /// when none fails and some read a field that is open.
    @inline(__always)
    func decide(_ packet: Packet) -> Bool? {
        var undecided = false
        if let source {
            switch source.passes(packet.source) {
            case false?: return false
            case nil: undecided = true
            case true?: break
            }
        }
        if let destination {
            switch destination.passes(packet.destination) {
            case false?: return false
            case nil: undecided = true
            case true?: break
            }
        }
        if let inInterface {
            if packet.hookState.inInterfaceIsOpen {
                undecided = true
            } else if !inInterface.passes(packet.hookState.inInterfaceKey) {
                return false
            }
        }
        if let outInterface {
            if packet.hookState.outInterfaceIsOpen {
                undecided = true
            } else if !outInterface.passes(packet.hookState.outInterfaceKey) {
                return false
            }
        }
        if let protocolNumber {
            if let actual = packet.protocol {
                if (actual == protocolNumber) == protocolNegated { return false }
            } else {
                undecided = true
            }
        }
        if let fragmentNegated {
            if packet.open.contains(.fragment) {
                undecided = true
            } else if packet.isFragment == fragmentNegated {
                return false
            }
        }
        return undecided ? nil : true
    }
}
