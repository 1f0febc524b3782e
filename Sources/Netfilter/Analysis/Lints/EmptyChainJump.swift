/// A jump or goto to a user chain without rules: a placeholder, or rules that were lost.
/// Chains that tools keep empty by design (DOCKER-USER, KUBE-*, ufw-*, ...) are left out.
public struct EmptyChainJump: Lint {
    public let descriptor = LintDescriptor(
        id: "jump-to-empty-chain", severity: .note, title: "Jump to an empty chain",
        summary: "A jump or goto to a user chain that has no rules: it does nothing (a goto returns at once).")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        context.forEachChain { input, table, chain in
            for (index, rule) in chain.rules.enumerated() {
                guard let target = rule.target.chainName, !LintContext.isManaged(target),
                      let called = table.chain(named: target), called.rules.isEmpty else { continue }
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "rule \(index + 1) of \(table.name)/\(chain.name) \(rule.target == .goto(target) ? "goes" : "jumps") to \(target), which has no rules",
                    location: context.location(input, table, chain, rule: index),
                    related: [context.location(input, table, called)]))
            }
        }
        return findings
    }
}
