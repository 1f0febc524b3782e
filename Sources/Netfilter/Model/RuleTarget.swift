/// The built-in verdicts a rule can jump to.
public enum StandardVerdict: String, Sendable, Hashable, CaseIterable {
    case accept = "ACCEPT"
    case drop = "DROP"
    case `return` = "RETURN"
    case queue = "QUEUE"
}

/// What a rule does when it matches.
public enum RuleTarget: Sendable, Hashable {
    /// No `-j`: the rule only counts packets.
    case none
    /// `-j ACCEPT`, `-j DROP`, `-j RETURN`, `-j QUEUE`.
    case verdict(StandardVerdict)
    /// `-j CHAIN`: call a user chain, returning here afterwards.
    case jump(String)
    /// `-g CHAIN`: continue in a user chain without a return point.
    case goto(String)
    /// `-j NAME ...` for a target extension (LOG, DNAT, MARK, ...).
    case `extension`(ExtensionCall)

    /// The user chain this target transfers to, if any.
    public var chainName: String? {
        switch self {
        case .jump(let name), .goto(let name): return name
        default: return nil
        }
    }
}

extension RuleTarget {
    /// The same target, wherever an extension target's `-j` stood.
    public func equalsIgnoringLocation(_ other: RuleTarget) -> Bool {
        if case .extension(let call) = self, case .extension(let otherCall) = other {
            return call.equalsIgnoringLocation(otherCall)
        }
        return self == other
    }
}
