// net/ipv4/netfilter/ip_tables.c (ip_packet_match), net/ipv6/netfilter/ip6_tables.c:
// the checks every rule makes before its matches.

extension HeaderMatch {
    /// Evaluates `-s -d -i -o -p -f` against a packet, as ip_packet_match does. The checks
    /// are one conjunction: a check that fails decides, whatever the others could not decide
    /// (a field not given); unknown only when none fails and one is unknown.
    public func evaluate(_ packet: Packet) -> MatchOutcome {
        switch partition(packet) {
        case .matches: return .matches
        case .fails(let reason): return .fails(reason)
        case .undecided(_, let reason): return reason
        }
    }

    /// What the header's checks say of a packet whose fields may be open.
    enum Partition {
        case matches
        /// The first check that fails: why.
        case fails(String)
        /// No check fails; these options (a header of them alone) read open fields, the first
        /// for this reason.
        case undecided(HeaderMatch, reason: MatchOutcome)
    }

    /// The checks a packet fails (the first failure), or else the options it leaves
    /// undecided (open fields), as a header of those options alone, with the first reason.
    func partition(_ packet: Packet) -> Partition {
        // The options that read open fields; their header is made only when there is one (a
        // packet whose fields are given never needs it).
        var open: Options = []
        var reason: MatchOutcome?
        func undecided(_ option: Options, _ outcome: @autoclosure () -> MatchOutcome) {
            open.insert(option)
            if reason == nil { reason = outcome() }
        }
        if let source {
            if let address = packet.source {
                let outcome = Self.address("-s", source, address)
                if case .fails(let why) = outcome { return .fails(why) }
            } else {
                undecided(.source, .unknown("-s \(source.value): the packet's address was not given"))
            }
        }
        if let destination {
            if let address = packet.destination {
                let outcome = Self.address("-d", destination, address)
                if case .fails(let why) = outcome { return .fails(why) }
            } else {
                undecided(.destination, .unknown("-d \(destination.value): the packet's address was not given"))
            }
        }
        if let inInterface {
            if packet.hookState.inInterfaceIsOpen {
                undecided(.inInterface, .unknown("-i \(inInterface.value): the device was not given"))
            } else {
                let outcome = Self.device("-i", inInterface, packet.hookState.inInterface)
                if case .fails(let why) = outcome { return .fails(why) }
            }
        }
        if let outInterface {
            if packet.hookState.outInterfaceIsOpen {
                undecided(.outInterface, .unknown("-o \(outInterface.value): the device was not given"))
            } else {
                let outcome = Self.device("-o", outInterface, packet.hookState.outInterface)
                if case .fails(let why) = outcome { return .fails(why) }
            }
        }
        if let proto = `protocol`, proto.value != 0 {
            let name = { (number: UInt8) in IPProtocol.saveName(for: number, family: packet.family) ?? String(number) }
            if let actual = packet.protocol {
                let outcome = MatchOutcome.check(actual == proto.value, "protocol \(name(actual)) is not \(name(proto.value))")
                    .negated(proto.negated, "protocol is \(name(actual))")
                if case .fails(let why) = outcome { return .fails(why) }
            } else {
                undecided(.protocol, .unknown("-p \(name(proto.value)): the packet's protocol was not given"))
            }
        }
        if let fragment {
            if packet.open.contains(.fragment) {
                undecided(.fragment, .unknown("-f: whether the packet is a later fragment was not given"))
            } else {
                let outcome = MatchOutcome.check(packet.isFragment, "not a second or later fragment")
                    .negated(fragment.negated, "a second or later fragment")
                if case .fails(let why) = outcome { return .fails(why) }
            }
        }
        guard let reason else { return .matches }
        var header = HeaderMatch()
        if open.contains(.source) { header.source = source }
        if open.contains(.destination) { header.destination = destination }
        if open.contains(.inInterface) { header.inInterface = inInterface }
        if open.contains(.outInterface) { header.outInterface = outInterface }
        if open.contains(.protocol) { header.protocol = `protocol` }
        if open.contains(.fragment) { header.fragment = fragment }
        return .undecided(header, reason: reason)
    }

    /// Header options, as a set.
    struct Options: OptionSet {
        let rawValue: UInt8
        static let source = Options(rawValue: 1 << 0)
        static let destination = Options(rawValue: 1 << 1)
        static let inInterface = Options(rawValue: 1 << 2)
        static let outInterface = Options(rawValue: 1 << 3)
        static let `protocol` = Options(rawValue: 1 << 4)
        static let fragment = Options(rawValue: 1 << 5)
    }

    private static func address(_ option: String, _ condition: Negatable<Network>, _ address: IPAddress) -> MatchOutcome {
        return MatchOutcome.check(condition.value.contains(address), "\(address) not in \(condition.value)")
            .negated(condition.negated, "\(address) in \(condition.value)")
    }

    private static func device(_ option: String, _ condition: Negatable<InterfaceName>, _ name: String?) -> MatchOutcome {
        let actual = name ?? ""
        let shown = actual.isEmpty ? "none" : actual
        return MatchOutcome.check(condition.value.matches(actual), "\(option) \(condition.value): device is \(shown)")
            .negated(condition.negated, "\(option) ! \(condition.value): device is \(shown)")
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
