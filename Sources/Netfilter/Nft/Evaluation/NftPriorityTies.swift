// net/netfilter/core.c (nf_hook_entries_grow): of two hooks of equal priority, the one
// registered last runs first; a snapshot does not say whether iptables' table or the nft
// chain was.

extension NftProgram {
    /// Where an nft base chain has the priority of an iptables table at the same hook (nat
    /// chains and the nat table share nf_nat's hook): the order of the two is the reverse of
    /// their registration, which verdict cannot know. One line each, for a snapshot's notes.
    public func ties(with ruleset: Ruleset) -> [String] {
        var notes: [String] = []
        for hook in Hook.allCases {
            for kind in TableKind.allCases where kind != .nat {
                guard let table = ruleset.table(named: kind.rawValue), table.chain(named: hook.rawValue) != nil else {
                    continue
                }
                let priority = HookEvaluator.priority(of: kind, at: hook)
                let bases = baseChains(at: hook, family: ruleset.family)
                for base in bases where !base.isNAT && base.position == priority {
                    let chain = "\(tables[base.table].table.family.rawValue) \(tables[base.table].table.name) "
                        + base.chain.name
                    notes.append("\(hook.rawValue): nft chain \(chain) and iptables table \(kind.rawValue) have "
                                 + "priority \(priority); the kernel runs the one registered last first, verdict "
                                 + "the table")
                }
            }
        }
        return notes
    }
}
