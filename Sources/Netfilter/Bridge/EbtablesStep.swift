/// One entry of an ebtables walk: a rule visited (matched or not), a chain's policy, or why
/// the walk stopped. Text, JSON and pictures read its fields; `description` is the line the
/// text output prints (`eb filter/FORWARD #2 -p IPv4 -j DROP: match -> DROP`).
public struct EbtablesStep: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The rule matched and its target ran.
        case matched(target: String)
        /// The rule did not match, for this reason.
        case skipped(reason: String)
        /// The chain's end: its policy.
        case policy(String)
        /// The walk split the packets into more classes than it follows.
        case tooManyClasses(limit: Int)
        /// A jump to a chain the table does not have.
        case undefinedJump
        /// A target verdict does not model.
        case unmodelledTarget(String)
        /// The walk ran out of steps (a loop).
        case unfinished
    }

    public var table: String
    public var chain: String
    /// The rule's number in its chain (1 for the first), nil for a policy or a stop.
    public var number: Int?
    /// The rule's text as the walk names it, nil where no rule is visited.
    public var ruleText: String?
    public var kind: Kind

    public init(table: String, chain: String, number: Int? = nil, ruleText: String? = nil, kind: Kind) {
        self.table = table
        self.chain = chain
        self.number = number
        self.ruleText = ruleText
        self.kind = kind
    }

    /// Whether a rule was visited without matching.
    public var isNoMatch: Bool {
        if case .skipped = kind { return true }
        return false
    }

    public var description: String {
        let place = "eb \(table)/\(chain)"
        let rule = "\(place) #\(number ?? 0) \(ruleText ?? "")"
        switch kind {
        case .matched(let target): return "\(rule): match -> \(target)"
        case .skipped(let reason): return "\(rule): no match (\(reason))"
        case .policy(let policy): return "\(place) policy \(policy)"
        case .tooManyClasses(let limit): return "\(place) #\(number ?? 0): more than \(limit) packet classes"
        case .undefinedJump: return "jump to undefined chain \(chain)"
        case .unmodelledTarget(let target): return "target \(target) is not modelled"
        case .unfinished: return "the walk did not end"
        }
    }
}
