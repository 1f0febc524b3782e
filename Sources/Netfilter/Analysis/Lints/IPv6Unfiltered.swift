/// IPv4 filtered but IPv6 left wide open: with both iptables.rules and ip6tables.rules
/// (a snapshot), a filter chain (INPUT, FORWARD) that drops in IPv4 while IPv6's accepts
/// everything and drops nothing.
public struct IPv6Unfiltered: Lint {
    public let descriptor = LintDescriptor(
        id: "ipv6-unfiltered", severity: .warning, title: "IPv6 wide open",
        summary: "IPv4 filters a chain (policy DROP or DROP/REJECT rules) while IPv6's same chain accepts everything.")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let v4 = context.ipv4, let v6 = context.ipv6,
              let filter4 = v4.ruleset.table(named: "filter") else { return [] }
        var findings: [LintFinding] = []
        for name in ["INPUT", "FORWARD"] {
            guard let chain4 = filter4.chain(named: name), IPv6Unfiltered.filters(chain4, in: filter4) else { continue }
            let filter6 = v6.ruleset.table(named: "filter")
            let chain6 = filter6?.chain(named: name)
            if let filter6, let chain6, IPv6Unfiltered.filters(chain6, in: filter6) { continue }
            let location = filter6.flatMap { table in chain6.map { context.location(v6, table, $0) } }
                ?? LintLocation(file: v6.file, position: SourceLocation(line: 1, column: 1))
            findings.append(LintFinding(
                lint: descriptor,
                message: "IPv4 filters filter/\(name) but IPv6 accepts everything there (policy \(chain6?.policy?.rawValue ?? "ACCEPT"), no DROP or REJECT): hosts reach this machine\(name == "FORWARD" ? " and what it routes" : "") over IPv6 unfiltered",
                location: location,
                related: [context.location(v4, filter4, chain4)]))
        }
        return findings
    }

    /// Whether a chain drops anything: policy DROP, or a DROP/REJECT in it or a chain it reaches.
    static func filters(_ chain: Chain, in table: Table) -> Bool {
        if chain.policy == .drop { return true }
        let positions = table.chainPositions
        var seen = Set<String>()
        var stack = [chain.name]
        while let name = stack.popLast() {
            guard seen.insert(name).inserted, let position = positions[name] else { continue }
            for rule in table.chains[position].rules {
                switch rule.target {
                case .verdict(.drop): return true
                case .extension(let call) where call.traits.contains(.answersSender): return true
                default: if let next = rule.target.chainName { stack.append(next) }
                }
            }
        }
        return false
    }
}
