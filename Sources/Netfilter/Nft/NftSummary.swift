/// What `verdict check` says of each nft table: its family, chains (base chains with their hook,
/// priority and policy), sets and maps, and rules (with how many are kept as words only).
public struct NftSummary: Sendable {
    /// One table's figures.
    public struct TableSummary: Sendable {
        public var family: String
        public var name: String
        public var chains: Int
        /// `hook HOOK priority P policy X` of each base chain, by chain name, in order.
        public var baseChains: [(name: String, type: String, hook: String, priority: String, policy: String?)]
        public var sets: Int
        public var maps: Int
        public var otherBlocks: Int
        public var rules: Int
        /// Rules with a statement kept as words, not modelled.
        public var rulesWithWords: Int
    }

    public var tables: [TableSummary]

    public init(_ ruleset: NftRuleset) {
        tables = ruleset.tables.map { table in
            let chains = table.chains
            let rules = chains.flatMap(\.rules)
            let withWords = rules.filter { rule in
                rule.statements.contains { if case .tokens = $0 { true } else { false } }
            }.count
            let bases = chains.compactMap { chain in
                chain.base.map { (name: chain.name, type: $0.type, hook: $0.hook, priority: $0.priority.description,
                                  policy: $0.policy) }
            }
            let sets = table.sets
            return TableSummary(family: table.family.rawValue, name: table.name, chains: chains.count,
                                baseChains: bases, sets: sets.filter { !$0.isMap }.count,
                                maps: sets.filter(\.isMap).count,
                                otherBlocks: table.members.count - chains.count - sets.count,
                                rules: rules.count, rulesWithWords: withWords)
        }
    }

    /// The summary's lines (without the file line), as `verdict check` prints them.
    public var lines: [String] {
        var lines: [String] = []
        for table in tables {
            var line = "  table \(table.family) \(table.name): \(table.chains) chains "
                + "(\(table.baseChains.count) base), "
                + "\(table.sets) sets, \(table.maps) maps, \(table.rules) rules"
            if table.otherBlocks > 0 { line += ", \(table.otherBlocks) other blocks" }
            if table.rulesWithWords > 0 { line += " (\(table.rulesWithWords) not modelled, kept as written)" }
            lines.append(line)
            for base in table.baseChains {
                var text = "    \(base.name): \(base.type) hook \(base.hook) priority \(base.priority)"
                if let policy = base.policy { text += " policy \(policy)" }
                lines.append(text)
            }
        }
        return lines
    }
}
