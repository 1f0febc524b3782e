/// `-m state --state`: the older match; `-m conntrack --ctstate` is the current one and
/// the one iptables-translate and nftables know.
public struct StateMatch: Lint {
    public let descriptor = LintDescriptor(
        id: "state-match", severity: .note, title: "-m state instead of -m conntrack",
        summary: "-m state --state is the obsolete spelling; use -m conntrack --ctstate.")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        context.forEachChain { input, table, chain in
            for (index, rule) in chain.rules.enumerated() {
                guard let call = rule.matches.first(where: { $0.spec === ExtensionSpec.state }) else { continue }
                var location = context.location(input, table, chain, rule: index)
                if call.location != .unknown { location.position = call.location }
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "rule \(index + 1) of \(table.name)/\(chain.name) uses -m state; write -m conntrack --ctstate instead",
                    location: location))
            }
        }
        return findings
    }
}
