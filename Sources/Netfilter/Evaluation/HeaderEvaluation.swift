// net/ipv4/netfilter/ip_tables.c (ip_packet_match), net/ipv6/netfilter/ip6_tables.c:
// the checks every rule makes before its matches.

extension HeaderMatch {
    /// Evaluates `-s -d -i -o -p -f` against a packet, as ip_packet_match does.
    public func evaluate(_ packet: Packet) -> MatchOutcome {
        if let source {
            let outcome = Self.address("-s", source, packet.source)
            if case .matches = outcome {} else { return outcome }
        }
        if let destination {
            let outcome = Self.address("-d", destination, packet.destination)
            if case .matches = outcome {} else { return outcome }
        }
        if let inInterface {
            let outcome = Self.device("-i", inInterface, packet.inInterface)
            if case .matches = outcome {} else { return outcome }
        }
        if let outInterface {
            let outcome = Self.device("-o", outInterface, packet.outInterface)
            if case .matches = outcome {} else { return outcome }
        }
        if let proto = `protocol`, proto.value != 0 {
            let name = { (number: UInt8) in IPProtocol.saveName(for: number, family: packet.family) ?? String(number) }
            guard let actual = packet.protocol else { return .unknown("-p \(name(proto.value)): the packet's protocol was not given") }
            let outcome = MatchOutcome.check(actual == proto.value, "protocol \(name(actual)) is not \(name(proto.value))")
                .negated(proto.negated, "protocol is \(name(actual))")
            if case .matches = outcome {} else { return outcome }
        }
        if let fragment = fragment {
            let outcome = MatchOutcome.check(packet.isFragment, "not a second or later fragment")
                .negated(fragment.negated, "a second or later fragment")
            if case .matches = outcome {} else { return outcome }
        }
        return .matches
    }

    private static func address(_ option: String, _ condition: Negatable<Network>, _ address: IPAddress?) -> MatchOutcome {
        guard let address else { return .unknown("\(option) \(condition.value): the packet's address was not given") }
        return MatchOutcome.check(condition.value.contains(address), "\(address) not in \(condition.value)")
            .negated(condition.negated, "\(address) in \(condition.value)")
    }

    private static func device(_ option: String, _ condition: Negatable<InterfaceName>, _ name: String?) -> MatchOutcome {
        let actual = name ?? ""
        return MatchOutcome.check(condition.value.matches(actual), "\(option) \(condition.value): device is \(actual.isEmpty ? "none" : actual)")
            .negated(condition.negated, "\(option) ! \(condition.value): device is \(actual)")
    }

    /// The kernel's unconditional(): no address, device, protocol or fragment condition
    /// and no inversion (ip_tables.c compares the whole ipt_ip with zeros).
    public var isUnconditional: Bool {
        if let source, !(source.value.isAny && !source.negated) { return false }
        if let destination, !(destination.value.isAny && !destination.negated) { return false }
        for interface in [inInterface, outInterface] {
            if let interface, !(interface.value.matchesEverything && !interface.negated) { return false }
        }
        if let proto = `protocol`, proto.value != 0 || proto.negated { return false }
        return fragment == nil
    }
}

extension Network {
    /// Whether an address is inside: `(address & mask) == network`, as the kernel compares.
    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, mask, candidate) {
        case (.v4(let network), .v4(let mask), .v4(let value)):
            return value.value & mask.value == network.value
        case (.v6(let network), .v6(let mask), .v6(let value)):
            return value & mask == network
        default:
            return false
        }
    }
}
