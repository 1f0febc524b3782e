/// The three-valued result of a match: a match whose input was not described is
/// unknown, never silently true or false.
public enum MatchOutcome: Sendable, Hashable {
    case matches
    case fails(String)
    case unknown(String)
    /// Matches at random with this probability (statistic --mode random).
    case chance(Double, String)

    /// Applies a `!`: matches and fails swap, unknown stays unknown.
    public func negated(_ negate: Bool, _ reason: @autoclosure () -> String) -> MatchOutcome {
        guard negate else { return self }
        switch self {
        case .matches: return .fails(reason())
        case .fails: return .matches
        case .unknown: return self
        case .chance(let probability, let reason): return .chance(1 - probability, "not " + reason)
        }
    }

    /// `matches` when the condition holds, otherwise `fails` with the reason.
    public static func check(_ condition: Bool, _ reason: @autoclosure () -> String) -> MatchOutcome {
        condition ? .matches : .fails(reason())
    }
}
