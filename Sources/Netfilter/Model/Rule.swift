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
    /// What few rules have (comments before them, trailing blanks, opaque text), kept
    /// out of line so that the common rule stays small.
    private var extras: ExtrasBox?

    /// Comment and blank lines that came right before the rule.
    public var leadingTrivia: [Comment] {
        get { extras?.value.leadingTrivia ?? [] }
        set { updateExtras { $0.leadingTrivia = newValue } }
    }

    /// Whitespace after the last token (iptables 1.4 printed a space there).
    public var trailingWhitespace: String {
        get { extras?.value.trailingWhitespace ?? "" }
        set { updateExtras { $0.trailingWhitespace = newValue } }
    }

    /// For a rule kept with `--lenient` although it could not be understood: its
    /// text after the chain name, printed back verbatim.
    public var opaqueText: String? {
        get { extras?.value.opaqueText }
        set { updateExtras { $0.opaqueText = newValue } }
    }

    private struct Extras: Sendable, Hashable {
        var leadingTrivia: [Comment] = []
        var trailingWhitespace = ""
        var opaqueText: String?

        var isEmpty: Bool { leadingTrivia.isEmpty && trailingWhitespace.isEmpty && opaqueText == nil }
    }

    /// An immutable box: every change makes a new one, so rules keep value semantics.
    private final class ExtrasBox: Sendable, Hashable {
        let value: Extras
        init(_ value: Extras) { self.value = value }
        static func == (lhs: ExtrasBox, rhs: ExtrasBox) -> Bool { lhs.value == rhs.value }
        func hash(into hasher: inout Hasher) { hasher.combine(value) }
    }

    private mutating func updateExtras(_ change: (inout Extras) -> Void) {
        var value = extras?.value ?? Extras()
        change(&value)
        extras = value.isEmpty ? nil : ExtrasBox(value)
    }

    public init(location: SourceLocation = .unknown) {
        self.location = location
        counters = nil
        header = HeaderMatch()
        matches = []
        target = .none
        targetLocation = .unknown
        extras = nil
    }

    /// Whether this rule was kept without being understood.
    public var isOpaque: Bool { opaqueText != nil }

    /// An unconditional ACCEPT, DROP, QUEUE or RETURN (ip_tables.c `unconditional` with a
    /// standard verdict): the kernel's walk never goes past it, and TRACE calls it the
    /// chain's policy (built-in) or return (user chain).
    public var isUnconditionalVerdict: Bool {
        guard case .verdict = target else { return false }
        return matches.isEmpty && header.isUnconditional
    }
}
