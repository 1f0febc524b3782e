// What ebtables-nft-restore and the kernel refuse when ebtables rules load: policies
// (xtables-eb.c; a built-in chain's RETURN fails the commit), jumps to no chain, -i/-o in
// chains whose hook has no such device (xtables-eb.c "Use -o only in OUTPUT, FORWARD and
// POSTROUTING chains"), the protocol each match module insists on (ebt_ip.c, ebt_ip6.c,
// ebt_arp.c, ebt_vlan.c: -EINVAL; libebt_802_3.c), ports without a protocol that has them,
// targets outside their tables and hooks (ebt_dnat.c, ebt_snat.c, ebt_redirect.c,
// ebt_arpreply.c), a target without its option, and jump loops (nf_tables: ELOOP).

/// Checks an ebtables ruleset as it would load; every problem a diagnostic.
public enum EbtablesValidator {
    public static func diagnostics(of ruleset: EbtablesRuleset, listing: Bool = false) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for table in ruleset.tables where EbtablesParser.tableNames.contains(table.name) {
            let reaching = EbtablesReach.builtinChainsReaching(table)
            for chain in table.chains {
                diagnostics += policy(chain, in: table)
                if chain.line == 0, !listing, !isBuiltin(chain.name, table), let first = chain.rules.first {
                    let message = "chain '\(chain.name)' is not declared (:\(chain.name) RETURN before its rules)"
                    diagnostics.append(.error(message, at: SourceLocation(line: first.line, column: 1)))
                }
                let hooks = isBuiltin(chain.name, table) ? [chain.name] : reaching[chain.name] ?? []
                for rule in chain.rules {
                    diagnostics += EbtablesRuleChecks.check(rule, chain: chain.name, hooks: hooks, in: table)
                }
            }
            diagnostics += EbtablesReach.loops(table)
        }
        return diagnostics.sorted { $0.location < $1.location }
    }

    static func isBuiltin(_ chain: String, _ table: EbtablesTable) -> Bool {
        EbtablesTable.builtinChains(of: table.name).contains(chain)
    }

    static func policy(_ chain: EbtablesChain, in table: EbtablesTable) -> [Diagnostic] {
        let builtin = isBuiltin(chain.name, table)
        let allowed = builtin ? ["ACCEPT", "DROP"] : ["ACCEPT", "DROP", "RETURN"]
        guard !allowed.contains(chain.policy), chain.line > 0 else { return [] }
        let message = builtin
            ? "policy '\(chain.policy)': a built-in chain's policy is ACCEPT or DROP"
            : "policy '\(chain.policy)': a user chain's policy is ACCEPT, DROP or RETURN"
        return [.error(message, at: SourceLocation(line: chain.line, column: chain.policyColumn),
                       length: chain.policy.utf8.count)]
    }
}

extension EbtablesValidator {
    /// Reads ebtables text and checks it: the parser's diagnostics and the validator's, in
    /// the order of the text.
    public static func read(_ bytes: [UInt8], lenient: Bool = false) -> EbtablesParser.Result {
        var result = EbtablesParser.read(bytes, lenient: lenient)
        let found = diagnostics(of: result.ruleset, listing: result.isListing)
        let all = (result.diagnostics + found).sorted { $0.location < $1.location }
        result.diagnostics = Diagnostic.mergingRepeats(all)
        return result
    }
}
