/// The rule accepting ESTABLISHED (and RELATED) packets placed after many other rules:
/// every packet of every connection is checked against all of them first.
public struct LateEstablished: Lint {
    public let descriptor = LintDescriptor(
        id: "late-established", severity: .warning, title: "ESTABLISHED accepted late",
        summary: "The ESTABLISHED,RELATED accept comes after many rules that every packet of every connection pays for.")

    public init() {}

    /// How many rules before it are too many.
    public static let threshold = 10

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        context.forEachChain { input, table, chain in
            guard let index = chain.rules.firstIndex(where: LateEstablished.acceptsEstablished),
                  index >= LateEstablished.threshold else { return }
            findings.append(LintFinding(
                lint: descriptor,
                message: "\(table.name)/\(chain.name) accepts ESTABLISHED packets only at rule \(index + 1): each packet of every connection is checked against the \(index) rules before it first",
                location: context.location(input, table, chain, rule: index)))
        }
        return findings
    }

    static func acceptsEstablished(_ rule: Rule) -> Bool {
        guard rule.target == .verdict(.accept) else { return false }
        return rule.matches.contains { $0.requiredConnectionStates?.contains("ESTABLISHED") == true }
    }
}
