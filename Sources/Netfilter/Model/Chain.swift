/// A built-in chain's default verdict; the kernel allows only these two.
public enum ChainPolicy: String, Sendable, Hashable {
    case accept = "ACCEPT"
    case drop = "DROP"
}

/// A chain of a table: built-in (with a policy) or user-defined.
public struct Chain: Sendable, Hashable {
    public var name: String
    /// The policy from the `:NAME POLICY` line; nil for `-` (user chains).
    public var policy: ChainPolicy?
    /// The `[packets:bytes]` of the declaration, when present.
    public var counters: Counters?
    /// Where the `:NAME` declaration stood; `.unknown` when the chain was never declared.
    public var location: SourceLocation
    public var rules: [Rule]
    public var leadingTrivia: [Comment]
    public var trailingWhitespace: String

    public init(name: String, policy: ChainPolicy? = nil, counters: Counters? = nil, location: SourceLocation = .unknown) {
        self.name = name
        self.policy = policy
        self.counters = counters
        self.location = location
        rules = []
        leadingTrivia = []
        trailingWhitespace = ""
    }
}
