/// An unconditional ACCEPT or DROP at the end of a built-in chain whose policy is the same:
/// the policy already does it.
public struct RedundantPolicyRule: Lint {
    public let descriptor = LintDescriptor(
        id: "policy-rule", severity: .note, title: "Rule repeats the policy",
        summary: "An unconditional rule at the end of a built-in chain that does what the chain's policy does anyway.")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        context.forEachChain { input, table, chain in
            guard let policy = chain.policy, let last = chain.rules.last, last.isUnconditional,
                  last.target == .verdict(policy == .accept ? .accept : .drop) else { return }
            let index = chain.rules.count - 1
            findings.append(LintFinding(
                lint: descriptor,
                message: "rule \(index + 1) of \(table.name)/\(chain.name) (-j \(policy.rawValue)) repeats the chain's policy \(policy.rawValue)",
                location: context.location(input, table, chain, rule: index)))
        }
        return findings
    }
}
