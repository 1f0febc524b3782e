/// A jump or goto to a user chain without rules: a placeholder, or rules that were lost.
/// Chains that tools keep empty by design (DOCKER-USER, KUBE-*, ufw-*, ...) are left out.
public struct EmptyChainJump: Lint {
    public let descriptor = LintDescriptor(
        id: "jump-to-empty-chain", severity: .note, title: "Jump to an empty chain",
        summary: "A jump or goto to a user chain that has no rules: it does nothing (a goto returns at once).")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        for input in context.inputs {
            for table in input.ruleset.tables {
                let positions = table.chainPositions
                for chain in table.chains {
                    findings += check(chain, of: table, in: input, positions: positions, context: context)
                }
            }
        }
        context.forEachNftChain { input, table, chain in
            guard !NftLintInput.managedTables.contains(table.name) else { return }
            for (index, rule) in chain.rules.enumerated() {
                for target in NftValidator.jumps(in: rule) {
                    guard let called = table.chains.first(where: { $0.name == target }), called.rules.isEmpty else {
                        continue
                    }
                    findings.append(LintFinding(
                        lint: descriptor,
                        message: "rule \(index + 1) of \(NftRules.place(table, chain)) jumps or goes to \(target), "
                            + "which has no rules",
                        location: context.location(input, table, chain, rule: index),
                        related: [context.location(input, table, called)]))
                }
            }
        }
        return findings
    }

    func check(_ chain: Chain, of table: Table, in input: LintInput, positions: NameIndex,
               context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        for (index, rule) in chain.rules.enumerated() {
            guard let target = rule.target.chainName, let position = positions[target],
                  table.chains[position].rules.isEmpty, !LintContext.isManaged(target) else { continue }
            let called = table.chains[position]
            let verb = rule.target == .goto(target) ? "goes" : "jumps"
            findings.append(LintFinding(
                lint: descriptor,
                message: "rule \(index + 1) of \(table.name)/\(chain.name) \(verb) to \(target), which has no rules",
                location: context.location(input, table, chain, rule: index),
                related: [context.location(input, table, called)]))
        }
        return findings
    }
}
