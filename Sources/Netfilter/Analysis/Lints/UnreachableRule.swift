/// Rules after an unconditional rule that ends the walk (`-j DROP`, `-j ACCEPT`,
/// `-j RETURN`, `-g CHAIN`, `-j REJECT` with no condition): the kernel never gets to them.
public struct UnreachableRule: Lint {
    public let descriptor = LintDescriptor(
        id: "unreachable-rule", severity: .warning, title: "Unreachable rule",
        summary: "A rule after an unconditional rule that ends the chain: no packet ever gets to it.")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        context.forEachChain { input, table, chain in
            guard let end = chain.rules.firstIndex(where: { $0.isUnconditional && $0.target.endsChainWalk }),
                  end + 1 < chain.rules.count else { return }
            let stopper = chain.rules[end].text(family: input.ruleset.family)
            let count = chain.rules.count - end - 1
            for index in (end + 1)..<chain.rules.count {
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "rule \(index + 1) of \(table.name)/\(chain.name) is never reached: rule \(end + 1) (\(stopper)) ends the chain for every packet\(count > 1 ? " (\(count) rules after it)" : "")",
                    location: context.location(input, table, chain, rule: index),
                    related: [context.location(input, table, chain, rule: end)]))
            }
        }
        context.forEachNftChain { input, table, chain in
            let unconditional = { (rule: NftRule) -> Bool in
                NftRules.ending(rule) != nil
                    && !rule.statements.contains { if case .match = $0 { true } else { false } }
            }
            guard let end = chain.rules.firstIndex(where: unconditional), end + 1 < chain.rules.count else { return }
            let stopper = NftRules.text(chain.rules[end])
            let count = chain.rules.count - end - 1
            for index in (end + 1)..<chain.rules.count {
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "rule \(index + 1) of \(NftRules.place(table, chain)) is never reached: rule \(end + 1) "
                        + "(\(stopper)) ends the chain for every packet"
                        + (count > 1 ? " (\(count) rules after it)" : ""),
                    location: context.location(input, table, chain, rule: index),
                    related: [context.location(input, table, chain, rule: end)]))
            }
        }
        return findings
    }
}
