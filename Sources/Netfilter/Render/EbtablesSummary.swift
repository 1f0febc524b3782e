/// `verdict check`'s summary of ebtables rules: per table its chains, rules, the match and
/// watcher modules used and the targets.
extension RulesetSummary {
    public init(_ ruleset: EbtablesRuleset) {
        self.init(tables: ruleset.tables.map { table in
            var modules: [String: Int] = [:]
            var targets: [String: Int] = [:]
            var rules = 0
            for chain in table.chains {
                for rule in chain.rules {
                    rules += 1
                    let used = Set(rule.options.map(\.option.module)).filter { name in
                        [.match, .watcher].contains(EbtablesModule.named(name)?.kind)
                    }
                    for module in used { modules[module, default: 0] += 1 }
                    let target = table.chain(named: rule.target) == nil ? rule.target : "(jump)"
                    targets[target, default: 0] += 1
                }
            }
            let builtins = EbtablesTable.builtinChains(of: table.name)
            let builtinCount = builtins.count
            return TableSummary(name: table.name, builtinChains: builtinCount,
                                userChains: table.chains.filter { !builtins.contains($0.name) }.count,
                                rules: rules, modules: Self.sorted(modules), targets: Self.sorted(targets))
        })
    }
}
