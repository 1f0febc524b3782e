/// What one ruleset's walk has done to a class of packets so far: the fields it rewrote
/// (MARK, CONNMARK, NOTRACK, NAT), the observing targets it ran (LOG, NFLOG, ...) and the
/// targets that changed something the algebra does not model (TTL, TOS, ...). Two walks
/// with equal environments treat the rest of the packet's way alike.
public struct SymbolicEnvironment: Sendable, Hashable {
    /// Rewritten fields; a field absent here still has the value it arrived with.
    public var rewrites: [PacketField: FieldRewrite] = [:]
    /// The non-deciding targets run so far, as save text, sorted (a multiset: order aside,
    /// two walks that log the same lines did the same).
    public var effects: [String] = []
    /// Targets that changed a field outside the algebra, in order: later conditions (matches
    /// the algebra cannot express) are about the changed packet, so they are named with them.
    public var tags: [String] = []
    /// Which packet of a flow the walk is about (nil: the request, or a packet walked
    /// alone): its conditions are named with it, as a reply's TOS or length is not the
    /// request's.
    public var subject: String?

    public init() {}

    /// Whether nothing was changed or run.
    public var isPristine: Bool { rewrites.isEmpty && effects.isEmpty && tags.isEmpty }

    mutating func addEffect(_ text: String) {
        let position = effects.firstIndex { $0 > text } ?? effects.count
        effects.insert(text, at: position)
    }

    /// MARK or CONNMARK `--set-xmark VALUE/MASK` on `field`: `(field & ~mask) ^ value`,
    /// composed with what the walk did to it before; the new rewrite.
    @discardableResult
    mutating func setBits(_ field: PacketField, value: UInt64, mask: UInt64) -> FieldRewrite {
        let rewrite = FieldRewrite.settingBits(rewrites[field], value: value, mask: mask)
        rewrites[field] = rewrite
        return rewrite
    }

    /// CONNMARK --save-mark (the mark into the connmark) or --restore-mark (the other way):
    /// a copy of the source field's value when both masks are full, else a change the
    /// algebra does not follow.
    mutating func copyMark(toConnection: Bool, text: String, wholly: Bool) {
        let from: PacketField = toConnection ? .mark : .connmark, to: PacketField = toConnection ? .connmark : .mark
        rewrites[to] = wholly ? FieldRewrite.copy(of: from, current: rewrites[from])
                              : .opaque(text + (rewrites[from].map { " of \($0)" } ?? ""))
    }

    /// Splits packets (as they arrived) by a rule's set, written for the packet as the rule
    /// sees it: the packets it matches and the others; nil past `limit` classes. The one
    /// split of a set by a rule that the evaluator's and the diff's walks share.
    func divide(_ packets: PacketSpace, by rule: PacketSpace, beforeConntrack: Bool, ruleText: @autoclosure () -> String,
                limit: Int) -> (matched: PacketSpace, rest: PacketSpace)? {
        divide(packets, byArrived: view(rule, beforeConntrack: beforeConntrack, ruleText: ruleText()), limit: limit)
    }

    /// `divide` by a rule's set that reads what the packets arrived with in part (see
    /// `MixedSpace`): each part's current set read through what the walk changed, its
    /// arrival set as is.
    func divide(_ packets: PacketSpace, by rule: MixedSpace, beforeConntrack: Bool, ruleText: @autoclosure () -> String,
                limit: Int) -> (matched: PacketSpace, rest: PacketSpace)? {
        var arrived = PacketSpace.none(packets.family)
        for part in rule.parts {
            let viewed = view(part.current, beforeConntrack: beforeConntrack, ruleText: ruleText())
            guard let union = arrived.union(viewed.intersection(part.arrival)) else { return nil }
            arrived = union
        }
        return divide(packets, byArrived: arrived, limit: limit)
    }

    /// Splits packets (as they arrived) by a set of packets as they arrived.
    private func divide(_ packets: PacketSpace, byArrived set: PacketSpace,
                        limit: Int) -> (matched: PacketSpace, rest: PacketSpace)? {
        let matched = packets.intersection(set)
        guard matched.cubes.count <= limit, let rest = packets.subtracting(set, limit: limit) else { return nil }
        return (matched, rest)
    }

    /// The packets (as they arrived) nf_nat consults the nat tables for: a connection's first
    /// (NEW), or RELATED but not ICMP (`HookEvaluator.consultsNAT`), as the nat table sees them
    /// after what the walk did (NOTRACK makes them untracked).
    func firstPackets(_ family: Family) -> PacketSpace {
        let new = ConntrackStateValue.new.rawValue, related = ConntrackStateValue.related.rawValue
        let first = PacketSpace.where(.state, .intervals(arrivedStates(seeing: { $0 == new }, beforeConntrack: false)),
                                      family: family)
        let icmp = IntervalSet(value: UInt128(family == .ipv6 ? IPProtocol.icmpv6 : IPProtocol.icmp))
        let others = IntervalSet(0, 255).subtracting(icmp)
        let expected = PacketSpace.where(.state, .intervals(arrivedStates(seeing: { $0 == related },
                                                                          beforeConntrack: false)), family: family)
            .intersection(.where(.protocol, .intervals(others), family: family))
        return first.union(expected) ?? first
    }

    /// The conntrack state the packet has (after NOTRACK), for an arrived state.
    func actualState(_ arrived: Int) -> Int {
        if case .value(let state)? = rewrites[.state] { return Int(state) }
        return arrived
    }

    /// The arrived states (as values of the state field) for which the packet's state,
    /// as the matches see it, is in `visible`. Before conntrack (the raw table at
    /// PREROUTING and OUTPUT) every packet but an untracked one looks INVALID.
    func arrivedStates(seeing visible: (Int) -> Bool, beforeConntrack: Bool) -> IntervalSet {
        let untracked = ConntrackStateValue.untracked.rawValue, invalid = ConntrackStateValue.invalid.rawValue
        var values: [IntervalSet.Interval] = []
        for state in ConntrackStateValue.allCases {
            var seen = actualState(state.rawValue)
            if beforeConntrack && seen != untracked { seen = invalid }
            if visible(seen) { values.append(IntervalSet.Interval(UInt128(state.rawValue), UInt128(state.rawValue))) }
        }
        return IntervalSet(intervals: values)
    }

    /// The packets (as they arrived) that a rule's match space, written for the packet as
    /// the rule sees it, selects. `ruleText` names the rule when the space must become one
    /// condition (it reads a field changed in a way the algebra does not follow).
    func view(_ space: PacketSpace, beforeConntrack: Bool, ruleText: @autoclosure () -> String) -> PacketSpace {
        if rewrites.isEmpty && tags.isEmpty && !beforeConntrack && subject == nil { return space }
        var opaque: [PacketField: String] = [:]
        for (field, rewrite) in rewrites {
            if case .opaque(let tag) = rewrite { opaque[field] = tag }
        }
        if !opaque.isEmpty, space.cubes.contains(where: { cube in cube.constraints.contains { opaque[$0.field] != nil } }) {
            return .condition(ruleText() + suffix(extra: opaque.values.sorted(), beforeConntrack: beforeConntrack), family: space.family)
        }
        // A condition that reads the connection was named for its place at its making
        // (`RuleSpace.condition`): the others read the packet, the same before conntrack.
        let conditionSuffix = suffix(extra: [], beforeConntrack: false)
        var cubes: [PacketCube] = []
        for cube in space.cubes {
            var result = PacketCube()
            var possible = true
            for constraint in cube.constraints where possible {
                if constraint.field == .state {
                    guard case .intervals(let set) = constraint.set else { continue }
                    let arrived = arrivedStates(seeing: { set.contains(UInt128($0)) }, beforeConntrack: beforeConntrack)
                    if arrived.isEmpty { possible = false } else if !arrived.isFull(.state) { result.restrict(.state, to: .intervals(arrived)) }
                    continue
                }
                switch rewrites[constraint.field] {
                case nil:
                    result.restrict(constraint.field, to: constraint.set)
                case .value(let value)?:
                    if !constraint.set.contains(value) { possible = false }
                case .bits(let keep, let flip, let source)?:
                    guard case .ternary(let set) = constraint.set else { continue }
                    let arrived = set.preimage(keep: keep, flip: flip)
                    if arrived.isEmpty { possible = false } else if !arrived.complement.isEmpty {
                        result.restrict(source ?? constraint.field, to: .ternary(arrived))
                        if result.isEmpty { possible = false }
                    }
                case .opaque?:
                    possible = false
                }
            }
            guard possible else { continue }
            for condition in cube.conditions where !result.require(condition.text + conditionSuffix, condition.holds) {
                possible = false
            }
            if possible { cubes.append(result) }
        }
        return PacketSpace(family: space.family, cubes: cubes)
    }

    /// What conditions read: of which packet, after targets changed unmodelled fields, or
    /// (a whole rule's condition, which may read the connection) before conntrack.
    private func suffix(extra: [String], beforeConntrack: Bool) -> String {
        var parts: [String] = subject.map { [$0] } ?? []
        if !(tags + extra).isEmpty { parts.append("after " + (tags + extra).joined(separator: ", ")) }
        if beforeConntrack { parts.append("before conntrack") }
        return parts.isEmpty ? "" : " [" + parts.joined(separator: "; ") + "]"
    }
}

extension IntervalSet {
    /// Whether this is every value of the field (IPv4 widths for family-independent fields).
    func isFull(_ field: PacketField) -> Bool { isExactly(0, field.maximum(.ipv4)) }
}

extension FieldSet {
    /// Whether a value (of an interval field) is a member.
    func contains(_ value: UInt128) -> Bool {
        switch self {
        case .intervals(let set): return set.contains(value)
        case .ternary(let set): return set.contains(UInt64(truncatingIfNeeded: value))
        }
    }
}
