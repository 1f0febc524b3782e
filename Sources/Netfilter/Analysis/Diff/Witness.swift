/// A concrete packet from a class of packets: a value for every modelled field, picked
/// from the class (readable values first: well-known ports, documentation addresses,
/// interface names the rules use).
public enum Witness {
    /// How a field's value is picked from the class's set.
    public enum Choice: Sendable, Hashable {
        /// Readable values first, else the first value past the start of the set (not a network address).
        case readable
        /// The set's lowest value (a pattern's free bits clear), for addresses only or every field.
        case lowest(everyField: Bool)
        /// The set's highest value (a pattern's free bits set), for addresses only or every field.
        case highest(everyField: Bool)

        /// Readable first; then the addresses' ends (where non-contiguous masks leave conditions),
        /// then every field's.
        public static let all: [Choice] = [.readable, .lowest(everyField: false), .highest(everyField: false),
                                           .lowest(everyField: true), .highest(everyField: true)]

        /// The choice for one field.
        func applied(to field: PacketField) -> Choice {
            switch self {
            case .lowest(false), .highest(false): return field == .source || field == .destination ? self : .readable
            default: return self
            }
        }
    }

    /// The first candidate the evaluator confirms (`confirms`), the picks tried in `Choice.all`'s
    /// order where the class has conditions the algebra cannot express (which may exclude the
    /// readable pick), the readable pick alone otherwise; the first candidate, unconfirmed,
    /// when none is; nil when there is no candidate.
    public static func confirmed(for cube: PacketCube?, candidate: (Choice) -> Packet?,
                                 confirms: (Packet) -> Bool) -> (witness: Packet, confirmed: Bool)? {
        let conditional = !(cube?.conditions.isEmpty ?? true)
        var first: Packet?
        for choice in conditional ? Choice.all : [.readable] {
            guard let packet = candidate(choice) else { continue }
            if confirms(packet) { return (packet, true) }
            if first == nil { first = packet }
        }
        return first.map { ($0, false) }
    }

    /// A packet of the class, for a walk; nil when no readable value of a field is found
    /// (which a class from the diff never makes). A class with conditions the algebra cannot
    /// express (a non-contiguous mask, say) may hold only some of its set's packets: the other
    /// choices give other candidates.
    public static func packet(in cube: PacketCube, family: Family, walk: DiffScope.Walk, interfaceNames: [String],
                              choice: Choice = .readable) -> Packet? {
        var packet = Packet(family: family)
        func pick(_ field: PacketField, _ candidates: [UInt128]) -> UInt128? {
            let choice = choice.applied(to: field)
            guard let set = cube[field] else { return choice == .readable ? candidates.first ?? 0 : 0 }
            if choice == .readable, let found = candidates.first(where: { set.contains($0) }) { return found }
            switch (set, choice) {
            case (.intervals(let intervals), .readable):
                guard let first = intervals.intervals.first else { return nil }
                return first.lower == first.upper ? first.lower : first.lower + 1
            case (.intervals(let intervals), .lowest):
                return intervals.intervals.first?.lower
            case (.intervals(let intervals), .highest):
                return intervals.intervals.last?.upper
            case (.ternary(let patterns), .highest):
                return patterns.patterns.last.map { UInt128($0.value | (~$0.mask & UInt64(field.maximum(family)))) }
            case (.ternary(let patterns), _):
                return patterns.first.map { UInt128($0) }
            }
        }
        let icmp = family == .ipv4 ? IPProtocol.icmp : IPProtocol.icmpv6
        guard let proto = pick(.protocol, [UInt128(IPProtocol.tcp), UInt128(IPProtocol.udp), UInt128(icmp)]) else { return nil }
        packet.protocol = UInt8(truncatingIfNeeded: proto)
        let addressCandidates: [IPAddress] = family == .ipv4
            ? ["203.0.113.5", "198.51.100.7", "192.168.1.10", "10.0.0.1", "172.16.0.1", "8.8.8.8"].compactMap { IPv4Address($0).map(IPAddress.v4) }
            : ["2001:db8::5", "2001:db8:1::7", "fd00::1", "2606:4700::1"].compactMap { IPv6Address($0).map(IPAddress.v6) }
        guard let source = pick(.source, addressCandidates.map(RuleSpace.value)),
              let destination = pick(.destination, addressCandidates.reversed().map(RuleSpace.value)) else { return nil }
        packet.source = address(source, family)
        packet.destination = address(destination, family)
        if ExtensionSpec.natPortProtocols.contains(packet.protocol ?? 0) {
            guard let sport = pick(.sourcePort, [50000, 40000, 33000, 1024, 12345]),
                  let dport = pick(.destinationPort, [80, 443, 22, 53, 8080, 25]) else { return nil }
            packet.sourcePort = UInt16(truncatingIfNeeded: sport)
            packet.destinationPort = UInt16(truncatingIfNeeded: dport)
        }
        if packet.protocol == icmp {
            let echo: UInt128 = family == .ipv4 ? 8 << 8 : 128 << 8
            guard let value = pick(.icmp, [echo, 0]) else { return nil }
            packet.icmpType = UInt8(truncatingIfNeeded: value >> 8)
            packet.icmpCode = UInt8(truncatingIfNeeded: value)
        }
        if packet.protocol == IPProtocol.tcp {
            guard let flags = pick(.tcpFlags, [0x02, 0x10, 0x12, 0x18]) else { return nil }
            packet.tcpFlags = UInt8(truncatingIfNeeded: flags)
        }
        guard let state = pick(.state, [ConntrackStateValue.new, .established, .related, .invalid, .untracked].map { UInt128($0.rawValue) }),
              let stateValue = ConntrackStateValue(rawValue: Int(state)) else { return nil }
        packet.conntrack.state = ConntrackState(rawValue: stateValue.name)
        if family == .ipv4 {
            guard let fragment = pick(.fragment, [0, 1]) else { return nil }
            packet.isFragment = fragment == 1
        }
        guard let mark = pick(.mark, [0]), let connmark = pick(.connmark, [0]) else { return nil }
        packet.mark = UInt32(truncatingIfNeeded: mark)
        packet.conntrack.mark = UInt32(truncatingIfNeeded: connmark)
        if cube[.packetType] != nil {
            // Only where the class says: a packet's type is read by pkttype rules alone.
            guard let value = pick(.packetType, PacketTypeValue.allCases.map { UInt128($0.rawValue) }),
                  let type = PacketTypeValue(rawValue: Int(value)) else { return nil }
            packet.packetType = type.name
        }
        for (field, keyPath) in [(PacketField.inInterface, \Packet.hookState.inInterface),
                                 (.outInterface, \Packet.hookState.outInterface)] {
            guard let name = interface(cube[field], names: interfaceNames) else { return nil }
            packet[keyPath: keyPath] = name.isEmpty ? nil : name
        }
        return packet
    }

    /// A name in the set (nil set: any name, and the first candidate is taken).
    static func interface(_ set: FieldSet?, names: [String]) -> String? {
        var candidates = ["eth0", "eth1"]
        for name in names {
            let stem = name.hasSuffix("+") ? String(name.dropLast()) : name
            candidates += [stem, stem + "0", stem + "1", stem + "x"]
        }
        candidates += ["ens3", "wlan0", "lo", "x0"] + (0..<200).map { "v\($0)" } + [""]
        guard let set else { return candidates.first }
        if let found = candidates.first(where: { name in
            name.utf8.count <= InterfaceName.maximumLength && set.contains(InterfaceName.encode(name.utf8))
        }) {
            return found
        }
        // A name the set itself spells (a description's `-i wlan7`, `-i veth+`, `-o a,b`): the
        // first name of each of its intervals.
        guard case .intervals(let intervals) = set else { return nil }
        for interval in intervals.intervals {
            let name = InterfaceName.decode(interval.lower)
            if !name.isEmpty, name.utf8.count <= InterfaceName.maximumLength,
               InterfaceName.encode(name.utf8) == interval.lower {
                return name
            }
        }
        return nil
    }

    static func address(_ value: UInt128, _ family: Family) -> IPAddress { RuleSpace.address(value, family: family) }
}

/// What the concrete evaluator does with a packet, in the terms the diff compares: how the
/// walk ended, the observing targets it ran, and the packet's fields after it.
public struct ConcreteOutcome: Sendable, Hashable, CustomStringConvertible {
    public var ending: String
    public var effects: [String]
    /// The modelled fields after the walk (for packets that go on).
    public var fields: [String]

    public var description: String {
        ([ending] + fields + effects.map { "+ " + $0 }).joined(separator: " ")
    }

    /// The outcomes of the concrete walks of a packet (one per possible outcome).
    public static func outcomes(_ results: [WalkResult], ruleset: Ruleset) -> [ConcreteOutcome] {
        outcomes(results) { table, chain in ruleset.table(named: table)?.chain(named: chain) }
    }

    static func outcomes(_ results: [WalkResult], chain: (String, String) -> Chain?) -> [ConcreteOutcome] {
        results.map { result in
            var effects: [String] = []
            var last: Rule?
            for step in result.steps where step.kind == .matched {
                guard let rule = chain(step.table, step.chain)?.rules[safe: step.number - 1] else { continue }
                if let text = SymbolicAction(rule.target).effectText { effects.append(text) }
                last = rule
            }
            let ending: String
            switch result.verdict {
            case .accept?: ending = "ACCEPT"
            case .drop?:
                if let last, case .reject(let text) = SymbolicAction(last.target) { ending = text } else { ending = "DROP" }
            case .queue?: ending = "QUEUE"
            case .return?: ending = "RETURN"
            case nil: ending = "undetermined: " + (result.undetermined ?? "")
            }
            var fields: [String] = []
            if result.verdict != .drop {
                let packet = result.packet
                fields = ["mark 0x" + String(packet.mark, radix: 16), "connmark " + (packet.conntrack.mark.map { "0x" + String($0, radix: 16) } ?? "?"),
                          "ctstate " + (packet.conntrack.state?.rawValue ?? "?"),
                          PacketDescription.format(packet).split(separator: " ").prefix(4).joined(separator: " ")]
            }
            return ConcreteOutcome(ending: ending, effects: effects.sorted(), fields: fields)
        }
    }
}

/// Walks concrete packets through one ruleset the way the diff's walks go.
public struct ConcreteEvaluator: Sendable {
    public let ruleset: Ruleset
    private let hooks: HookEvaluator
    /// Each table's position and its chains' positions by name (big rulesets have tens of
    /// thousands of chains).
    private let chainPositions: [String: (table: Int, chains: NameIndex)]

    public init(_ ruleset: Ruleset) {
        self.ruleset = ruleset
        hooks = HookEvaluator(ruleset)
        var chainPositions: [String: (table: Int, chains: NameIndex)] = [:]
        for (position, table) in ruleset.tables.enumerated() where chainPositions[table.name] == nil {
            chainPositions[table.name] = (position, table.chainPositions)
        }
        self.chainPositions = chainPositions
    }

    private func chain(_ table: String, _ chain: String) -> Chain? {
        guard let entry = chainPositions[table], let position = entry.chains[chain] else { return nil }
        return ruleset.tables[entry.table].chains[position]
    }

    public func outcomes(_ packet: Packet, walk: DiffScope.Walk) -> [ConcreteOutcome] {
        let results: [WalkResult]
        switch walk {
        case .hook(let hook):
            results = hooks.walk(hook: hook, packet: packet)
        case .chain(let table, let chain):
            guard let found = ruleset.table(named: table) else { return [] }
            results = ChainWalker(table: found).walk(from: chain, packet: packet)
        }
        return ConcreteOutcome.outcomes(results) { table, chain in self.chain(table, chain) }
    }
}
