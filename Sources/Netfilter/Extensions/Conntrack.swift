// libxt_conntrack.c (revision 3) / net/netfilter/xt_conntrack.c: connection tracking state and tuples.

extension ExtensionSpec {
    /// The states `--ctstate` knows, in the order iptables prints them.
    static let conntrackStates = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"]
    /// The status bits `--ctstatus` knows, in print order; NONE stands for no bit.
    static let conntrackStatuses = ["NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"]

    static let conntrackProtocol = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        guard let number = IPProtocol.number(for: arguments[0]), number != 0 else {
            throw ValueError("unknown or invalid protocol \"\(arguments[0])\" (0 is not allowed)")
        }
        return .number(UInt64(number))
    }, print: { value, writer in
        if case .number(let number) = value { writer.word(String(number)) }
    })

    static let conntrackDirection = ValueType.keyword(["ORIGINAL": "ORIGINAL", "REPLY": "REPLY"], caseInsensitive: true)

    /// `-m conntrack`: --ctstate, --ctproto, the original/reply tuple, --ctstatus, --ctexpire, --ctdir.
    public static let conntrack = ExtensionSpec(
        "conntrack", kind: .match,
        options: [
            OptionSpec("ctstate", .keywordList(conntrackStates), negatable: true),
            OptionSpec("ctproto", conntrackProtocol, negatable: true),
            OptionSpec("ctorigsrc", .hostOrNetwork, negatable: true),
            OptionSpec("ctorigdst", .hostOrNetwork, negatable: true),
            OptionSpec("ctreplsrc", .hostOrNetwork, negatable: true),
            OptionSpec("ctrepldst", .hostOrNetwork, negatable: true),
            OptionSpec("ctorigsrcport", .portRange, negatable: true),
            OptionSpec("ctorigdstport", .portRange, negatable: true),
            OptionSpec("ctreplsrcport", .portRange, negatable: true),
            OptionSpec("ctrepldstport", .portRange, negatable: true),
            OptionSpec("ctstatus", .keywordList(conntrackStatuses), negatable: true),
            OptionSpec("ctexpire", .numberRange(0...UInt64(UInt32.max), name: "expiry"), negatable: true),
            OptionSpec("ctdir", conntrackDirection),
        ],
        requiresOption: true,
        evaluate: { call, packet in
            // xt_conntrack.c conntrack_mt: the state first; a packet without a connection
            // (before conntrack, untracked, invalid) matches only on the state.
            if let setting = call.setting("ctstate") {
                let outcome = stateOutcome(setting, packet)
                if outcome != .matches { return outcome }
            }
            if !packet.conntrack.hasConnection { return MatchOutcome.check(call.has("ctstate"), "no connection: only --ctstate is checked") }
            return call.spec.evaluateAll(call, packet) { setting, name in
                tupleOutcome(setting, name, packet)
            }
        },
        decide: { call, packet in
            // --ctstate alone, without SNAT/DNAT: the state's bit.
            guard call.settings.count == 1, let setting = call.settings.first,
                  call.spec.options[setting.option].name == "ctstate" else { return nil }
            return decideState(setting, packet)
        },
        space: { call, family in
            call.spec.spaceOfAll(call, family) { setting, name in name == "ctstate" ? stateSpace(setting, family) : nil }
                ?? partialSpace(call, family)
        },
        arrivalSpace: { call, packet in tupleSpace(call, packet) }, usesConntrack: true,
        traits: .readsConnectionState, listing: .conntrack)

    /// The packets a conntrack match with tuple options matches when the packet's connection
    /// is one it opened and it goes the original way (a flow's request): the original tuple
    /// is then what the packet arrived with (before any NAT), so --ctorigsrc, --ctorigdst,
    /// their ports and --ctproto are sets of the arrival fields (decided where the connection
    /// gives the value) and --ctdir is decided. Likewise for a packet going back in a flow,
    /// on the fields of its class that stand for the request's. The state as `partialSpace`
    /// reads it (without a connection, on the state alone); options the algebra cannot
    /// express stay a condition named for them alone (and SNAT, DNAT: the status bits, the
    /// --ctstate option alone). nil: no such connection, or no tuple option expressed (then
    /// `space`).
    static func tupleSpace(_ call: ExtensionCall, _ packet: Packet) -> MixedSpace? {
        guard let connection = packet.conntrack.tuple, !connection.isReply || !connection.answeringFields.isEmpty else {
            return nil
        }
        let family = packet.family
        var arrival = PacketSpace.all(family)
        var expressed = false
        var unexpressed: [OptionSetting] = []
        for setting in call.settings {
            let name = call.spec.options[setting.option].name
            guard name != "ctstate" else { continue }
            guard var set = tupleSet(setting, name, connection, family) else {
                unexpressed.append(setting)
                continue
            }
            if setting.negated {
                guard let complement = set.complement else { return nil }
                set = complement
            }
            arrival = arrival.intersection(set)
            expressed = true
        }
        guard expressed else { return nil }
        func states(_ values: [ConntrackStateValue]) -> PacketSpace {
            .where(.state, .intervals(IntervalSet(intervals: values.map {
                IntervalSet.Interval(UInt128($0.rawValue), UInt128($0.rawValue))
            })), family: family)
        }
        func condition(_ settings: [OptionSetting]) -> PacketSpace {
            var part = call
            part.settings = settings
            return .condition(RuleSpace.text(of: part), family: family)
        }
        // The rest of the match, for packets with a connection: the options not expressed.
        let rest = unexpressed.isEmpty ? PacketSpace.all(family) : condition(unexpressed)
        let connected: [ConntrackStateValue] = [.new, .established, .related]
        guard let setting = call.setting("ctstate"), let names = stateNames(setting.value) else {
            // No state: only packets with a connection, on the rest.
            return MixedSpace([MixedSpace.Part(current: states(connected).intersection(rest), arrival: arrival)])
        }
        let listed = Set(names.compactMap(ConntrackStateValue.init(name:)))
        let matching = ConntrackStateValue.allCases.filter { listed.contains($0) != setting.negated }
        let withoutConnection = states(matching.filter { !connected.contains($0) })
        var parts = [MixedSpace.Part(current: withoutConnection, arrival: .all(family))]
        if names.contains("SNAT") || names.contains("DNAT") {
            // With a connection the status bits count too: the states listed match (unless
            // negated) on the rest, the others on the status (the --ctstate option alone, a
            // condition) and the rest.
            let decided = setting.negated ? [] : connected.filter(listed.contains)
            let undecided = connected.filter { !listed.contains($0) }
            parts.append(MixedSpace.Part(current: states(decided).intersection(rest), arrival: arrival))
            let status = states(undecided).intersection(condition([setting]))
            parts.append(MixedSpace.Part(current: status.intersection(rest), arrival: arrival))
        } else {
            parts.append(MixedSpace.Part(current: states(connected.filter(matching.contains)).intersection(rest),
                                         arrival: arrival))
        }
        return MixedSpace(parts)
    }

    /// One tuple or direction option (not negated) as a set of the packets' class: all or
    /// none where the connection gives the value, else a set of the class field that holds
    /// the tuple's value (`tupleField`); nil for an option that is not one of these, or that
    /// the algebra cannot express (no such field, a mask with holes, ports of a protocol not
    /// known to have them).
    static func tupleSet(_ setting: OptionSetting, _ name: String, _ connection: Connection,
                         _ family: Family) -> PacketSpace? {
        func decided(_ holds: Bool) -> PacketSpace { holds ? .all(family) : .none(family) }
        func values(_ component: PacketField, _ set: IntervalSet) -> PacketSpace? {
            tupleField(component, connection).map { .where($0, .intervals(set), family: family) }
        }
        switch (name, setting.value) {
        case ("ctdir", .word(let direction)):
            return decided(direction == (connection.isReply ? "REPLY" : "ORIGINAL"))
        case ("ctproto", .number(let number)):
            if let proto = connection.protocol { return decided(UInt64(proto) == number) }
            return values(.protocol, IntervalSet(value: UInt128(number)))
        case ("ctorigsrc", .network(let network)), ("ctorigdst", .network(let network)):
            let component: PacketField = name == "ctorigsrc" ? .source : .destination
            if let address = component == .source ? connection.source : connection.destination {
                return decided(network.contains(address))
            }
            return RuleSpace.addresses(network).flatMap { values(component, $0) }
        case ("ctorigsrcport", .range(let low, let high)), ("ctorigdstport", .range(let low, let high)):
            let component: PacketField = name == "ctorigsrcport" ? .sourcePort : .destinationPort
            if let port = component == .sourcePort ? connection.sourcePort : connection.destinationPort {
                return decided(UInt64(port) >= low && UInt64(port) <= high)
            }
            guard let proto = connection.protocol, portProtocols.contains(proto) else { return nil }
            return values(component, IntervalSet(UInt128(low), UInt128(high)))
        default:
            return nil
        }
    }

    /// The field of the packet's class that holds a value of the connection's original tuple
    /// (`component`: the opening packet's source, destination, ports or protocol): that
    /// field itself for the opening packet's way, where the class is over what the packet
    /// arrived with; turned around for a packet going back whose class stands for the
    /// request's there (`Connection.answeringFields`); nil elsewhere.
    static func tupleField(_ component: PacketField, _ connection: Connection) -> PacketField? {
        guard connection.isReply else { return component }
        let turned: PacketField
        switch component {
        case .source: turned = .destination
        case .destination: turned = .source
        case .sourcePort: turned = .destinationPort
        case .destinationPort: turned = .sourcePort
        default: turned = component
        }
        return connection.answeringFields.contains(turned) ? turned : nil
    }

    /// The protocols whose tuple has the packet's ports: TCP, UDP, DCCP, SCTP, UDP-Lite.
    static let portProtocols: Set<UInt8> = [6, 17, 33, 132, 136]

    /// The packets a conntrack match with options the algebra cannot express (the tuple, the
    /// direction, the SNAT and DNAT status bits) matches, as conntrack_mt decides: the state
    /// first; a packet without a connection (INVALID, UNTRACKED) on the state alone; one with
    /// a connection on the rest too, a condition named for the whole match.
    static func partialSpace(_ call: ExtensionCall, _ family: Family) -> PacketSpace {
        let connected: [ConntrackStateValue] = [.new, .established, .related]
        func states(_ values: [ConntrackStateValue]) -> PacketSpace {
            .where(.state, .intervals(IntervalSet(intervals: values.map {
                IntervalSet.Interval(UInt128($0.rawValue), UInt128($0.rawValue))
            })), family: family)
        }
        let condition = PacketSpace.condition(RuleSpace.text(of: call), family: family)
        let others = call.settings.contains { call.spec.options[$0.option].name != "ctstate" }
        guard let setting = call.setting("ctstate"), let names = stateNames(setting.value) else {
            // No state: only packets with a connection, on the rest.
            return states(connected).intersection(condition)
        }
        let listed = Set(names.compactMap(ConntrackStateValue.init(name:)))
        let matching = ConntrackStateValue.allCases.filter { listed.contains($0) != setting.negated }
        var space = states(matching.filter { !connected.contains($0) })
        if names.contains("SNAT") || names.contains("DNAT") {
            // With a connection the status bits count too: the states listed match (unless
            // negated) on the rest, the others on the status and the rest.
            let decided = setting.negated ? [] : connected.filter(listed.contains)
            let undecided = connected.filter { !listed.contains($0) }
            space = space.union(others ? states(decided).intersection(condition) : states(decided)) ?? space
            space = space.union(states(undecided).intersection(condition)) ?? space
        } else {
            let decided = connected.filter(matching.contains)
            space = space.union(others ? states(decided).intersection(condition) : states(decided)) ?? space
        }
        return space
    }

    /// `--ctstate` / `--state` as values of the state field; nil for SNAT and DNAT (status
    /// bits, not states).
    static func stateSpace(_ setting: OptionSetting, _ family: Family) -> PacketSpace? {
        guard let names = stateNames(setting.value) else { return nil }
        var values: [IntervalSet.Interval] = []
        for name in names {
            guard let state = ConntrackStateValue(name: name) else { return nil }
            values.append(IntervalSet.Interval(UInt128(state.rawValue), UInt128(state.rawValue)))
        }
        return .where(.state, .intervals(IntervalSet(intervals: values)), family: family)
    }

    /// One of conntrack's tuple and direction options, from the packet's connection.
    static func tupleOutcome(_ setting: OptionSetting, _ name: String, _ packet: Packet) -> MatchOutcome {
        if name == "ctstate" { return .matches }
        guard let connection = packet.conntrack.tuple else { return .unknown("--\(name): the packet's connection was not described") }
        switch (name, setting.value) {
        case ("ctdir", .word(let direction)):
            let actual = connection.isReply ? "REPLY" : "ORIGINAL"
            return .check(direction == actual, "the packet goes the \(actual) way")
        case ("ctproto", .number(let number)):
            guard let proto = connection.protocol else { return .unknown("--ctproto: the protocol was not given") }
            return MatchOutcome.check(UInt64(proto) == number, "the connection's protocol is \(proto)").negated(setting.negated, "--ctproto matches")
        case ("ctorigsrc", .network(let network)), ("ctorigdst", .network(let network)):
            guard let address = name == "ctorigsrc" ? connection.source : connection.destination else {
                return .unknown("--\(name): the address was not given")
            }
            return MatchOutcome.check(network.contains(address), "\(address) is not in \(network)").negated(setting.negated, "--\(name) matches")
        case ("ctorigsrcport", .range(let low, let high)), ("ctorigdstport", .range(let low, let high)):
            guard let port = name == "ctorigsrcport" ? connection.sourcePort : connection.destinationPort else {
                return .unknown("--\(name): the port was not given")
            }
            return MatchOutcome.check(UInt64(port) >= low && UInt64(port) <= high, "port \(port) is outside \(low):\(high)")
                .negated(setting.negated, "--\(name) matches")
        default:
            return .unknown("--\(name) is not modelled yet")
        }
    }

    /// Whether the packet's conntrack state is in the option's list (xt_conntrack.c
    /// conntrack_mt: the state bit, with SNAT/DNAT from the connection's status).
    static func stateOutcome(_ setting: OptionSetting, _ packet: Packet) -> MatchOutcome {
        guard case .keywords(let states) = setting.value else { return .matches }
        let listed = { states.text(in: conntrackStates) }
        guard let state = packet.conntrack.visibleState else {
            return .unknown("state \(listed()): the packet's conntrack state was not given")
        }
        if states.bits & natStatusBits == 0 || !packet.conntrack.hasConnection {
            // The common case, decided on the state's bit (this runs for most rules walked).
            return MatchOutcome.check(states.contains(state.bit), "ctstate \(state.rawValue) not in \(listed())")
                .negated(setting.negated, "ctstate \(state.rawValue) in \(listed())")
        }
        guard let nat = natStatus(packet) else {
            return .unknown("state \(listed()): the connection's NAT was not described")
        }
        var bits = KeywordSet(bits: 1 << UInt64(state.bit))
        if nat.source { bits.bits |= KeywordSet(["SNAT"], in: conntrackStates).bits }
        if nat.destination { bits.bits |= KeywordSet(["DNAT"], in: conntrackStates).bits }
        let shown = bits.names(in: conntrackStates).sorted().joined(separator: ",")
        return MatchOutcome.check(bits.bits & states.bits != 0, "ctstate \(shown) not in \(listed())")
            .negated(setting.negated, "ctstate \(shown) in \(listed())")
    }

    /// `stateOutcome` without its reasons, where it is decided by the state alone (no SNAT or
    /// DNAT asked, the state given).
    static func decideState(_ setting: OptionSetting, _ packet: Packet) -> Bool? {
        guard case .keywords(let states) = setting.value, states.bits & natStatusBits == 0,
              let state = packet.conntrack.visibleState else { return nil }
        return states.contains(state.bit) != setting.negated
    }

    /// The SNAT and DNAT words of `--ctstate`: status bits of the connection, not states.
    static let natStatusBits = KeywordSet(["SNAT", "DNAT"], in: conntrackStates).bits

    /// The states a `--ctstate` or `--state` value lists, in print order.
    static func stateNames(_ value: OptionValue) -> [String]? {
        guard case .keywords(let set) = value else { return nil }
        return set.names(in: conntrackStates)
    }

    /// IPS_SRC_NAT / IPS_DST_NAT: in the original direction, whether NAT changed the
    /// packet's addresses or ports from the tuple so far; for replies, the connection's.
    static func natStatus(_ packet: Packet) -> (source: Bool, destination: Bool)? {
        guard let connection = packet.conntrack.tuple else { return nil }
        if connection.isReply { return (connection.sourceNAT, connection.destinationNAT) }
        return (packet.source != connection.source || packet.sourcePort != connection.sourcePort,
                packet.destination != connection.destination || packet.destinationPort != connection.destinationPort)
    }

    /// `-m state --state LIST`: the older spelling of --ctstate (xt_state.c).
    public static let state = ExtensionSpec(
        "state", kind: .match,
        options: [OptionSpec("state", .keywordList(["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED"]),
                             negatable: true, required: true)],
        evaluate: { call, packet in
            guard let setting = call.setting("state") else { return .matches }
            return stateOutcome(setting, packet)
        },
        decide: { call, packet in call.settings.first.flatMap { decideState($0, packet) } },
        space: { call, family in
            call.spec.spaceOfAll(call, family) { setting, _ in stateSpace(setting, family) }
        }, usesConntrack: true, traits: .readsConnectionState, listing: .state)
}

extension ExtensionCall {
    /// The connection states a conntrack or state match requires (its `--ctstate` or
    /// `--state` given without `!`); nil for other matches, or without such an option.
    public var requiredConnectionStates: [String]? {
        guard traits.contains(.readsConnectionState), let setting = setting("ctstate") ?? setting("state"),
              !setting.negated else { return nil }
        return ExtensionSpec.stateNames(setting.value)
    }
}

// libxt_conntrack.c conntrack_dump: `[!] ctstate NEW,... [!] ctproto 6 [!] ctorigsrc ADDR ...
// ctdir ORIGINAL|REPLY`, the save options without `--`; without -n an address of any
// is `anywhere`. `-m state` (conntrack's state alias) prints `state LIST`.
extension ListingForm {
    static let conntrack = ListingForm.keywords([
        ListingKeyword("ctstate", "ctstate"), ListingKeyword("ctproto", "ctproto"),
        ListingKeyword("ctorigsrc", "ctorigsrc", convert: address), ListingKeyword("ctorigdst", "ctorigdst", convert: address),
        ListingKeyword("ctreplsrc", "ctreplsrc", convert: address), ListingKeyword("ctrepldst", "ctrepldst", convert: address),
        ListingKeyword("ctorigsrcport", "ctorigsrcport"), ListingKeyword("ctorigdstport", "ctorigdstport"),
        ListingKeyword("ctreplsrcport", "ctreplsrcport"), ListingKeyword("ctrepldstport", "ctrepldstport"),
        ListingKeyword("ctstatus", "ctstatus"), ListingKeyword("ctexpire", "ctexpire"), ListingKeyword("ctdir", "ctdir"),
    ])

    static let state = ListingForm.keywords([ListingKeyword("state", "state")])

    /// A value printed as an address (`anywhere`, a name without -n).
    static let address: @Sendable (String, Int, inout ListingReader) -> String? = { text, column, reader in
        reader.address(text, column: column)
    }
}

extension ConntrackState {
    /// The state's bit in a `--ctstate` / `--state` value (its place in the words they print).
    var bit: Int {
        switch self {
        case .invalid: return 0
        case .new: return 1
        case .related: return 2
        case .established: return 3
        case .untracked: return 4
        }
    }
}
