/// A ruleset's rules by table, chain and number, looked up in constant time (a table's
/// `chain(named:)` scans its chains, which kube-proxy's rule sets have tens of thousands
/// of): what renderers use to turn trace steps back into rules. Built once per ruleset.
public struct RuleBook: Sendable {
    public let ruleset: Ruleset
    private let chains: [String: [String: Chain]]

    public init(_ ruleset: Ruleset) {
        self.ruleset = ruleset
        var chains: [String: [String: Chain]] = [:]
        for table in ruleset.tables {
            chains[table.name] = Dictionary(table.chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
        self.chains = chains
    }

    /// The chain of a table.
    public func chain(_ table: String, _ chain: String) -> Chain? { chains[table]?[chain] }

    /// The rule a trace step stands for (nil for a policy, a chain's end, or a number out of
    /// range).
    public func rule(_ step: TraceStep) -> Rule? {
        guard step.number >= 1, let chain = chains[step.table]?[step.chain], step.number <= chain.rules.count else {
            return nil
        }
        return chain.rules[step.number - 1]
    }
}
