/// How much a finding matters; `--fail-on` compares with it.
public enum LintSeverity: String, Sendable, Hashable, Comparable, CaseIterable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (lhs: LintSeverity, rhs: LintSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// What a lint is: its id, default severity and one-line summary (docs/lints.md has the
/// explanation, the fix and an example under the id's heading).
public struct LintDescriptor: Sendable, Hashable {
    public var id: String
    public var severity: LintSeverity
    /// A short name for listings and SARIF (`shadowed-rule` → "Shadowed rule").
    public var title: String
    public var summary: String
    /// Where the lint applies: generic rules or Docker's layout.
    public var group: String

    public init(id: String, severity: LintSeverity, title: String, summary: String, group: String = "generic") {
        self.id = id
        self.severity = severity
        self.title = title
        self.summary = summary
        self.group = group
    }

    /// The lint's section in docs/lints.md.
    public var documentation: String { "docs/lints.md#\(id)" }
}

/// One check over a rule set. Each lint is one file under Analysis/Lints.
public protocol Lint: Sendable {
    var descriptor: LintDescriptor { get }
    func check(_ context: LintContext) -> [LintFinding]
}

/// A place in an input file a finding points to.
public struct LintLocation: Sendable, Hashable {
    public var file: String
    public var position: SourceLocation
    /// `table/CHAIN` and the rule's 1-based number in its chain, when about a rule.
    public var chain: String?
    public var ruleNumber: Int?

    public init(file: String, position: SourceLocation, chain: String? = nil, ruleNumber: Int? = nil) {
        self.file = file
        self.position = position
        self.chain = chain
        self.ruleNumber = ruleNumber
    }

    /// `file:line:col`.
    public var description: String { "\(file):\(position.line):\(position.column)" }

    /// `filter/INPUT:4`, or the chain alone.
    public var ruleReference: String? {
        guard let chain else { return nil }
        return ruleNumber.map { "\(chain):\($0)" } ?? chain
    }
}

/// What a lint found.
public struct LintFinding: Sendable, Hashable {
    public var lint: String
    public var severity: LintSeverity
    public var message: String
    public var location: LintLocation
    /// Other rules the finding involves (the rules that shadow a rule, the duplicate's original).
    public var related: [LintLocation]

    public init(lint: LintDescriptor, message: String, location: LintLocation, related: [LintLocation] = []) {
        self.lint = lint.id
        severity = lint.severity
        self.message = message
        self.location = location
        self.related = related
    }
}
