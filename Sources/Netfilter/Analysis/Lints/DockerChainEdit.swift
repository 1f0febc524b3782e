/// A rule someone added to a chain Docker owns (DOCKER, DOCKER-ISOLATION-*, DOCKER-FORWARD,
/// ...): Docker rewrites those chains when the daemon starts, so the rule is lost on the
/// next restart. Rules of one's own belong in DOCKER-USER.
public struct DockerChainEdit: Lint {
    public let descriptor = LintDescriptor(
        id: "docker-chain-edited", severity: .warning, title: "Rule added to a Docker chain",
        summary: "A rule Docker did not write, in a chain Docker owns and rewrites: lost at the next daemon restart; put it in DOCKER-USER.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let layout = context.docker, let input = context.ipv4 else { return [] }
        var findings: [LintFinding] = []
        for table in input.ruleset.tables {
            for chain in table.chains where layout.owns(chain.name) {
                for (index, rule) in chain.rules.enumerated()
                where !DockerRuleShape.isDockers(rule, table: table.name, chain: chain.name, layout: layout) {
                    findings.append(LintFinding(
                        lint: descriptor,
                        message: "rule \(index + 1) of \(table.name)/\(chain.name) (\(rule.text(family: .ipv4))) is not one Docker writes: Docker rewrites \(chain.name) when the daemon starts and the rule will be lost; put it in DOCKER-USER",
                        location: context.location(input, table, chain, rule: index)))
                }
            }
        }
        return findings
    }
}
