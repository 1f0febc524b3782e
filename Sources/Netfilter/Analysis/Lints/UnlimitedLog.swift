/// A LOG, NFLOG or ULOG rule without a rate limit: a flood of matching packets floods the
/// kernel log (and the disk) as well.
public struct UnlimitedLog: Lint {
    public let descriptor = LintDescriptor(
        id: "log-without-limit", severity: .warning, title: "Logging without a rate limit",
        summary: "A LOG or NFLOG rule without -m limit or -m hashlimit: a packet flood becomes a log flood.")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        context.forEachChain { input, table, chain in
            for (index, rule) in chain.rules.enumerated() {
                guard let call = rule.target.call, call.traits.contains(.logsPackets),
                      !rule.matches.contains(where: { $0.traits.contains(.limitsRate) }) else { continue }
                var location = context.location(input, table, chain, rule: index)
                if rule.targetLocation != .unknown { location.position = rule.targetLocation }
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "rule \(index + 1) of \(table.name)/\(chain.name) logs every matching packet (-j \(call.spec.name) without -m limit)",
                    location: location))
            }
        }
        return findings
    }
}
