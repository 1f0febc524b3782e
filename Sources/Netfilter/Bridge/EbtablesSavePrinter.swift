// ebtables-save's layout (iptables/nft-bridge.c, xtables-save.c): per table `*TABLE`, every
// built-in chain and then the user chains as `:CHAIN POLICY`, then the rules as `-A CHAIN
// OPTIONS`, `[PACKETS:BYTES] ` before them where counters are given (ebtables-save -c); no
// COMMIT. The options print as they were written: a file ebtables-save wrote prints back
// byte for byte, a listing's rules (which ebtables prints as ebtables-save does) become
// `-A` lines.

/// Prints an ebtables ruleset as ebtables-save text.
public enum EbtablesSavePrinter {
    public static func text(_ ruleset: EbtablesRuleset) -> String {
        var lines: [String] = []
        for table in ruleset.tables {
            lines += table.comments
            lines.append("*\(table.name)")
            let builtins = EbtablesTable.builtinChains(of: table.name)
            let chains = builtins.map { name in
                table.chain(named: name) ?? EbtablesChain(name: name, policy: "ACCEPT")
            } + table.chains.filter { !builtins.contains($0.name) }
            for chain in chains {
                lines += chain.comments
                lines.append(":\(chain.name) \(chain.policy)")
            }
            for chain in chains {
                for rule in chain.rules {
                    lines += rule.comments
                    let counters = rule.counters.map { $0 + " " } ?? ""
                    lines.append(counters + "-A \(chain.name)" + (rule.written.isEmpty ? "" : " " + rule.written))
                }
            }
            if table.committed { lines.append("COMMIT") }
        }
        lines += ruleset.trailingComments
        return lines.map { $0 + "\n" }.joined()
    }
}
