/// A rule with the same conditions and target as an earlier rule of its chain (comments
/// and counters aside): it either never matches or does the same thing twice.
public struct DuplicateRule: Lint {
    public let descriptor = LintDescriptor(
        id: "duplicate-rule", severity: .warning, title: "Duplicate rule",
        summary: "A rule identical to an earlier rule of the same chain (comments aside).")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        context.forEachChain { input, table, chain in
            for (index, original) in chain.repeatedRules.sorted(by: { $0.key < $1.key }) {
                let rule = chain.rules[index]
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "rule \(index + 1) of \(table.name)/\(chain.name) repeats rule \(original + 1): \(rule.text(family: input.ruleset.family))",
                    location: context.location(input, table, chain, rule: index),
                    related: [context.location(input, table, chain, rule: original)]))
            }
        }
        context.forEachNftChain { input, table, chain in
            var seen: [String: Int] = [:]
            for (index, rule) in chain.rules.enumerated() {
                let text = NftRules.text(rule)
                guard let original = seen[text] else {
                    // A rule that changes what later rules read: the same rule after it is not the same test.
                    if NftRules.changesWhatIsRead(rule) { seen = [:] } else { seen[text] = index }
                    continue
                }
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "rule \(index + 1) of \(NftRules.place(table, chain)) repeats rule \(original + 1): "
                        + text,
                    location: context.location(input, table, chain, rule: index),
                    related: [context.location(input, table, chain, rule: original)]))
            }
        }
        return findings
    }
}
