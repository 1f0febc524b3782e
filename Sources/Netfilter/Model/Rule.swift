/// One rule of a chain: header checks, matches in order, and a target.
public struct Rule: Sendable, Hashable {
    /// Where the rule's `-A` (or `-I`) stood.
    public var location: SourceLocation
    /// Counters given as a `[packets:bytes]` prefix or with `-c`.
    public var counters: Counters?
    public var header: HeaderMatch
    public var matches: [ExtensionCall]
    public var target: RuleTarget
    /// Where `-j`/`-g` stood, `.unknown` without a target.
    public var targetLocation: SourceLocation
    /// Comment and blank lines that came right before the rule.
    public var leadingTrivia: [Comment]
    /// Whitespace after the last token (iptables 1.4 printed a space there).
    public var trailingWhitespace: String
    /// For a rule kept with `--lenient` although it could not be understood: its
    /// text after the chain name, printed back verbatim.
    public var opaqueText: String?

    public init(location: SourceLocation = .unknown) {
        self.location = location
        counters = nil
        header = HeaderMatch()
        matches = []
        target = .none
        targetLocation = .unknown
        leadingTrivia = []
        trailingWhitespace = ""
        opaqueText = nil
    }

    /// Whether this rule was kept without being understood.
    public var isOpaque: Bool { opaqueText != nil }
}
