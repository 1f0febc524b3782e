/// Saved counters (`iptables-save -c`) that show a rule never matched while rules after it
/// in the chain did: either a dead rule, or one that every packet pays for in vain.
public struct NeverHitRule: Lint {
    public let descriptor = LintDescriptor(
        id: "never-hit", severity: .note, title: "Rule never hit",
        summary: "The saved counters show a rule that never matched while later rules of its chain did.")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        context.forEachChain { input, table, chain in
            guard chain.rules.contains(where: { ($0.counters?.packets ?? 0) > 0 }) else { return }
            var laterHits: UInt64 = 0
            var hitsAfter = [UInt64](repeating: 0, count: chain.rules.count)
            for index in chain.rules.indices.reversed() {
                hitsAfter[index] = laterHits
                laterHits += chain.rules[index].counters?.packets ?? 0
            }
            for (index, rule) in chain.rules.enumerated() {
                guard let counters = rule.counters, counters.packets == 0, hitsAfter[index] > 0 else { continue }
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "rule \(index + 1) of \(table.name)/\(chain.name) never matched, while the rules after it matched \(hitsAfter[index]) packets",
                    location: context.location(input, table, chain, rule: index)))
            }
        }
        return findings
    }
}
