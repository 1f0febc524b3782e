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
            call.spec.evaluateAll(call, packet) { setting, name in
                guard name == "ctstate" else { return .unknown("--\(name) is not modelled yet") }
                return stateOutcome(setting, packet)
            }
        })

    /// Whether the packet's conntrack state is in the option's list (xt_conntrack.c
    /// conntrack_mt: the state bit, with SNAT/DNAT from the connection's status).
    static func stateOutcome(_ setting: OptionSetting, _ packet: Packet) -> MatchOutcome {
        guard case .words(let states) = setting.value else { return .matches }
        guard let state = packet.conntrackState else {
            return .unknown("state \(states.joined(separator: ",")): the packet's conntrack state was not given")
        }
        return MatchOutcome.check(states.contains(state.rawValue), "ctstate \(state.rawValue) not in \(states.joined(separator: ","))")
            .negated(setting.negated, "ctstate \(state.rawValue) in \(states.joined(separator: ","))")
    }

    /// `-m state --state LIST`: the older spelling of --ctstate (xt_state.c).
    public static let state = ExtensionSpec(
        "state", kind: .match,
        options: [OptionSpec("state", .keywordList(["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED"]),
                             negatable: true, required: true)],
        evaluate: { call, packet in
            guard let setting = call.setting("state") else { return .matches }
            return stateOutcome(setting, packet)
        })
}
