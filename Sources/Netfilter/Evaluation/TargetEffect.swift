/// What a target does when a rule matches.
public enum TargetEffect: Sendable, Hashable {
    /// Go on with the next rule (LOG, MARK, TRACE, CONNMARK, ...): XT_CONTINUE.
    case `continue`
    /// A final verdict for this table (DNAT and friends accept after rewriting), or for
    /// the hook (DROP, REJECT).
    case verdict(StandardVerdict)
}
