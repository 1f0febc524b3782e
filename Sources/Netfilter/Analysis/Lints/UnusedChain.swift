/// A user chain no rule jumps or goes to: its rules never run. Chains of tools that keep
/// them unreferenced until configured (ufw's logging chains, kube-proxy's canaries) are left out.
public struct UnusedChain: Lint {
    public let descriptor = LintDescriptor(
        id: "unused-chain", severity: .warning, title: "Unused chain",
        summary: "A user chain that no rule jumps or goes to: its rules never run.")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        for input in context.inputs {
            for table in input.ruleset.tables {
                let references = table.referenceCounts
                let builtins = table.builtinChainNames
                for (position, chain) in table.chains.enumerated() where references[position] == 0
                    && chain.policy == nil && !builtins.contains(chain.name) && !LintContext.isManaged(chain.name) {
                    findings.append(LintFinding(
                        lint: descriptor,
                        message: "no rule jumps or goes to \(table.name)/\(chain.name)\(chain.rules.isEmpty ? "" : ": its \(chain.rules.count) rule\(chain.rules.count == 1 ? "" : "s") never run")",
                        location: context.location(input, table, chain)))
                }
            }
        }
        context.forEachNftChain { input, table, chain in
            guard chain.base == nil, !NftLintInput.managedTables.contains(table.name),
                  NftRules.references(table)[chain.name] == nil else { return }
            let count = chain.rules.count
            findings.append(LintFinding(
                lint: descriptor,
                message: "no rule jumps or goes to \(NftRules.place(table, chain))"
                    + (count == 0 ? "" : ": its \(count) rule\(count == 1 ? "" : "s") never run"),
                location: context.location(input, table, chain)))
        }
        return findings
    }
}
