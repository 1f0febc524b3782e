/// Counts of what a ruleset holds, per table: what `verdict check` prints.
public struct RulesetSummary: Sendable {
    public struct TableSummary: Sendable {
        public var name: String
        public var builtinChains: Int
        public var userChains: Int
        public var rules: Int
        /// Match modules used, with the number of rules using each.
        public var modules: [(name: String, count: Int)]
        /// Targets used (verdicts, extensions; jumps to user chains are counted as "jump"/"goto").
        public var targets: [(name: String, count: Int)]
    }

    public var tables: [TableSummary]

    public init(tables: [TableSummary]) { self.tables = tables }

    /// Counts by name, the most used first (ties by name).
    static func sorted(_ counts: [String: Int]) -> [(name: String, count: Int)] {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { (name: $0.key, count: $0.value) }
    }

    public init(_ ruleset: Ruleset) {
        tables = ruleset.tables.map { table in
            // Count by extension index first; names only at the end.
            var moduleCounts = [Int](repeating: 0, count: ExtensionRegistry.all.count)
            var targetCounts = [Int](repeating: 0, count: ExtensionRegistry.all.count)
            var verdicts = [Int](repeating: 0, count: StandardVerdict.allCases.count)
            var jumps = 0
            var gotos = 0
            var opaque = 0
            var rules = 0
            for chainIndex in table.chains.indices {
                rules += table.chains[chainIndex].rules.count
                for ruleIndex in table.chains[chainIndex].rules.indices {
                    for match in table.chains[chainIndex].rules[ruleIndex].matches { moduleCounts[Int(match.id.index)] += 1 }
                    switch table.chains[chainIndex].rules[ruleIndex].target {
                    case .none: break
                    case .verdict(let verdict): verdicts[StandardVerdict.allCases.firstIndex(of: verdict) ?? 0] += 1
                    case .jump: jumps += 1
                    case .goto: gotos += 1
                    case .extension(let call): targetCounts[Int(call.id.index)] += 1
                    }
                    if table.chains[chainIndex].rules[ruleIndex].isOpaque { opaque += 1 }
                }
            }
            var targets: [String: Int] = [:]
            for (verdict, count) in zip(StandardVerdict.allCases, verdicts) where count > 0 { targets[verdict.rawValue] = count }
            for (name, count) in [("(jump)", jumps), ("(goto)", gotos), ("(opaque)", opaque)] where count > 0 {
                targets[name] = count
            }
            var modules: [String: Int] = [:]
            for (index, count) in moduleCounts.enumerated() where count > 0 {
                modules[ExtensionRegistry.all[index].name, default: 0] += count
            }
            for (index, count) in targetCounts.enumerated() where count > 0 {
                targets[ExtensionRegistry.all[index].name, default: 0] += count
            }
            let builtins = Set(table.builtinChainNames)
            let builtinCount = table.chains.filter { builtins.contains($0.name) }.count
            return TableSummary(name: table.name, builtinChains: builtinCount, userChains: table.chains.count - builtinCount,
                                rules: rules, modules: Self.sorted(modules), targets: Self.sorted(targets))
        }
    }
}
