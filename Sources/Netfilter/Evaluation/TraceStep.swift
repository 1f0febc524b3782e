/// One entry the evaluator visited, in the kernel's terms.
public struct TraceStep: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The rule matched; `effect` says what its target did.
        case matched
        /// The rule did not match, and why.
        case skipped(String)
        /// This rule and the following ones up to rule `through` did not match, all for
        /// the same reason (a chain index skipped them: each requires another destination).
        case skippedRun(through: Int, reason: String)
        /// The built-in chain's policy decided (the chain's tail entry).
        case policy
        /// The end of a user chain: back to the caller (the chain's tail entry).
        case implicitReturn
    }

    public var table: String
    public var chain: String
    /// The kernel's rule number: 1 for the first rule; the tail entry (policy or
    /// implicit return) is the number after the last rule.
    public var number: Int
    public var kind: Kind
    /// How many jumps deep the walk was.
    public var depth: Int
    /// `rule`, `return` or `policy` when the kernel would print a TRACE line for this
    /// entry (entries that matched); nil for rules that did not match.
    public var kernelType: String?
    /// Whether the packet carried nf_trace when this entry ran (set by a TRACE rule earlier).
    public var traced: Bool
    /// What the target did: `jump DOCKER`, `ACCEPT`, `MARK`, ...
    public var effect: String?
}

/// One possible end of a walk through a table (several when a match was unknown).
public struct WalkResult: Sendable, Hashable {
    /// ACCEPT, DROP or QUEUE; nil when the walk met something it cannot model.
    public var verdict: StandardVerdict?
    /// Why the verdict is missing.
    public var undetermined: String?
    /// The packet after the walk (marks, trace bit, conntrack state).
    public var packet: Packet
    public var steps: [TraceStep]
    /// The unknown matches this outcome assumed, in order: "assumed --dport matches".
    public var assumptions: [String]
    /// The probability of this outcome when only random matches split the walk
    /// (statistic --mode random); nil when an unknown match without a probability did.
    public var probability: Double? = 1
}
