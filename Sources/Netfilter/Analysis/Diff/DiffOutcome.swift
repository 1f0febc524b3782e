/// Where one table decided a packet: the rule (kernel numbering) or the chain's policy.
public struct DiffDecision: Sendable, Hashable {
    public var table: String
    public var chain: String
    /// The rule's number in its chain; nil for the chain's policy (or a user chain's end).
    public var rule: Int?
    /// What happened there: ACCEPT, DROP, DNAT ..., RETURN.
    public var verdict: String
    /// Where the rule stood in its file.
    public var location: SourceLocation?

    /// `filter/INPUT:4`, `filter/INPUT:policy`.
    public var reference: String { "\(table)/\(chain):\(rule.map(String.init) ?? "policy")" }
}

/// How a walk through a hook (or a chain) ended for a class of packets.
public enum DiffEnding: Sendable, Hashable {
    /// Through every table: the packet goes on.
    case accept
    case drop
    case queue
    /// A chain walked alone returned to its (unknown) caller.
    case `return`
    /// REJECT with its save text.
    case reject(String)
    /// A target the evaluator does not model: what follows is unknown. The numbers say
    /// what the rest of the walk would have been, so that two identical rests compare equal.
    case undetermined(String, rest: [Int])

    /// Whether the walk could not tell how it ends.
    public var isUndetermined: Bool {
        if case .undetermined = self { return true }
        return false
    }

    public var name: String {
        switch self {
        case .accept: return "ACCEPT"
        case .drop: return "DROP"
        case .queue: return "QUEUE"
        case .return: return "RETURN"
        case .reject(let text): return SymbolicAction.bare(text)
        case .undetermined(let reason, _): return "unknown (\(reason))"
        }
    }
}

/// The whole outcome of one side's walk for a class of packets: how it ended, what it
/// changed and ran on the way, and which rules decided (not compared: reordered rules
/// decide the same way with other numbers).
public struct DiffOutcome: Sendable, Hashable {
    public var ending: DiffEnding
    public var environment: SymbolicEnvironment
    public var decisions: [DiffDecision]

    /// The rule that decided the outcome: the last table's decision.
    public var decidingRule: DiffDecision? { decisions.last }

    /// The packets of the family on which two outcomes are the same (nil: all of them).
    func agreement(with other: DiffOutcome, family: Family) -> PacketSpace? {
        let none = PacketSpace.none(family)
        guard ending == other.ending, environment.effects == other.environment.effects else { return none }
        switch ending {
        case .drop, .reject: return nil
        default: break
        }
        guard environment.tags == other.environment.tags else { return none }
        var agreed: PacketSpace?
        let fields = Set(environment.rewrites.keys).union(other.environment.rewrites.keys).sorted()
        for field in fields {
            let part = DiffOutcome.agreement(of: field, environment.rewrites[field], other.environment.rewrites[field], family: family)
            if let part { agreed = agreed.map { $0.intersection(part) } ?? part }
        }
        return agreed
    }

    /// The packets on which two rewrites of a field give the same value (nil: all).
    static func agreement(of field: PacketField, _ a: FieldRewrite?, _ b: FieldRewrite?, family: Family) -> PacketSpace? {
        if a == b { return nil }
        guard field.isTernary else {
            switch (a, b) {
            case (.value(let value)?, nil), (nil, .value(let value)?):
                return .where(field, .intervals(IntervalSet(value: value)), family: family)
            default:
                return .none(family)
            }
        }
        // Marks: each side as (source & keep) ^ flip.
        func bits(_ rewrite: FieldRewrite?) -> (keep: UInt64, flip: UInt64, source: PacketField)? {
            switch rewrite {
            case nil: return (0xFFFF_FFFF, 0, field)
            case .bits(let keep, let flip, let source)?: return (keep, flip, source ?? field)
            case .value(let value)?: return (0, UInt64(truncatingIfNeeded: value), field)
            case .opaque?: return nil
            }
        }
        guard let x = bits(a), let y = bits(b) else { return .none(family) }
        if x.keep != 0 && y.keep != 0 && x.source != y.source {
            // One side copied another field in: equal only where the two fields agree, which
            // the algebra cannot express.
            return .condition("\(field) the same on both sides (\(x.source) and \(y.source))", family: family)
        }
        let source = x.keep != 0 ? x.source : y.source
        guard let set = TernarySet.agreement((x.keep, x.flip), (y.keep, y.flip), width: 0xFFFF_FFFF) else { return nil }
        return .where(source, .ternary(set), family: family)
    }
}
