// net/netfilter/nf_tables_api.c (a rule's jump to a chain, a set reference: ENOENT; a jump
// loop reached from a base chain: ELOOP, "Too many links"), nft_chain_filter.c,
// nft_chain_nat.c, nft_chain_route.c (the chain types of each family and their hooks),
// nftables' src/evaluate.c ("The ip family does not support this hook", "Missing `device'",
// "Expression is not a map"). Checked with nft 1.0.6 in a scratch namespace: docs/semantics.md.

/// What the kernel (and nft before it) refuses in a ruleset that parses: a jump or goto to
/// no chain of the table, a set or map that does not exist, a verdict map that is not one, a
/// hook or chain type the family does not have, a netdev or ingress chain without its device,
/// and a jump loop reached from a base chain.
public enum NftValidator {
    public static func validate(_ ruleset: NftRuleset) -> [Diagnostic] {
        ruleset.tables.flatMap(validate)
    }

    /// What is wrong with parsed text: its syntax errors, or, when it has none, what the
    /// kernel would refuse (as `Validator.diagnostics(of:)` for iptables text).
    public static func diagnostics(of result: NftParseResult) -> [Diagnostic] {
        guard !result.diagnostics.contains(where: { $0.severity == .error }) else { return result.diagnostics }
        return result.diagnostics + validate(result.ruleset)
    }

    static func validate(_ table: NftTable) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let chains = Dictionary(table.chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let sets = Dictionary(table.sets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for chain in table.chains {
            if let base = chain.base, let problem = problem(with: base, family: table.family) {
                diagnostics.append(.error(problem, at: chain.location, length: 5))
            }
            for rule in chain.rules {
                for target in jumps(in: rule) where chains[target] == nil {
                    diagnostics.append(.error("no chain '\(target)' in table \(table.family.rawValue) \(table.name) "
                                              + "to jump to (the kernel answers: No such file or directory)",
                                              at: rule.location))
                }
                for (name, asVerdictMap) in references(in: rule) {
                    guard let set = sets[name] else {
                        diagnostics.append(.error("no set or map '@\(name)' in table \(table.family.rawValue) "
                                                  + "\(table.name) (the kernel answers: No such file or directory)",
                                                  at: rule.location))
                        continue
                    }
                    if asVerdictMap && !set.isVerdictMap {
                        diagnostics.append(.error("'@\(name)' is not a verdict map (nft: Expression is not a map)",
                                                  at: rule.location))
                    }
                }
            }
        }
        if let loop = loop(in: table, chains: chains) {
            diagnostics.append(.error("the jumps from base chain '\(loop.base)' come back to chain '\(loop.chain)' "
                                      + "(the kernel answers: Too many links)", at: loop.location))
        } else {
            diagnostics += misplaced(in: table, chains: chains, sets: sets)
        }
        return diagnostics
    }

    /// Where a statement may run (nft_nat_validate, nft_masq_validate, nft_redir_validate,
    /// nft_reject_validate): dnat and redirect in a nat chain at prerouting or output, snat at
    /// postrouting or input, masquerade at postrouting, reject at prerouting, input, forward or
    /// output; checked in every chain a base chain reaches, as the kernel validates them.
    static func misplaced(in table: NftTable, chains: [String: NftChain], sets: [String: NftSet]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var reported = Set<SourceLocation>()
        for chain in table.chains {
            guard let base = chain.base else { continue }
            var seen = Set<String>()
            var pending = [chain]
            while let current = pending.popLast() {
                guard seen.insert(current.name).inserted else { continue }
                for rule in current.rules {
                    if let problem = problem(with: rule, in: base), reported.insert(rule.location).inserted {
                        diagnostics.append(.error(problem, at: rule.location))
                    }
                    for target in jumps(in: rule) + mapJumps(in: rule, sets: sets) {
                        if let next = chains[target] { pending.append(next) }
                    }
                }
            }
        }
        return diagnostics
    }

    /// What is wrong with a rule's statement where the base chain reaching it runs, or nil.
    static func problem(with rule: NftRule, in base: NftBaseChain) -> String? {
        let refused = " (the kernel answers: Operation not supported)"
        for statement in rule.statements {
            switch statement {
            case .nat(let nat):
                let hooks: [String: [String]] = ["dnat": ["prerouting", "output"], "redirect": ["prerouting", "output"],
                                                 "snat": ["postrouting", "input"], "masquerade": ["postrouting"]]
                guard base.type == "nat" else {
                    return "\(nat.kind) runs in nat chains only, not in a \(base.type) chain at \(base.hook)" + refused
                }
                if let allowed = hooks[nat.kind], !allowed.contains(base.hook) {
                    return "\(nat.kind) runs at \(allowed.joined(separator: " or ")), not at \(base.hook)" + refused
                }
            case .reject where !["prerouting", "input", "forward", "output"].contains(base.hook):
                return "reject runs at prerouting, input, forward or output, not at \(base.hook)" + refused
            default:
                continue
            }
        }
        return nil
    }

    /// The chains the named verdict maps a rule looks up jump or go to.
    static func mapJumps(in rule: NftRule, sets: [String: NftSet]) -> [String] {
        var names: [String] = []
        for case .verdictMap(_, .setReference(let name)) in rule.statements {
            names += sets[name]?.verdictTargets ?? []
        }
        return names
    }

    /// The hooks of each family's base chains.
    static let hooks: [NftFamily: Set<String>] = [
        .ip: ["prerouting", "input", "forward", "output", "postrouting"],
        .ip6: ["prerouting", "input", "forward", "output", "postrouting"],
        .inet: ["prerouting", "input", "forward", "output", "postrouting", "ingress"],
        .bridge: ["prerouting", "input", "forward", "output", "postrouting"],
        .arp: ["input", "output"],
        .netdev: ["ingress", "egress"],
    ]

    /// What is wrong with a base chain in a family, or nil.
    static func problem(with base: NftBaseChain, family: NftFamily) -> String? {
        guard hooks[family]?.contains(base.hook) == true else {
            return "the \(family.rawValue) family does not support hook \(base.hook)"
        }
        let hasDevice = base.device != nil || base.devices != nil
        if (family == .netdev || base.hook == "ingress") && !hasDevice {
            return "an \(base.hook) chain needs its device (`device NAME`)"
        }
        let routed: Set<NftFamily> = [.ip, .ip6, .inet]
        switch base.type {
        case "filter":
            return nil
        case "nat":
            guard routed.contains(family), ["prerouting", "input", "output", "postrouting"].contains(base.hook) else {
                return "a nat chain is for the ip, ip6 and inet families at prerouting, input, output or postrouting, "
                    + "not \(family.rawValue) \(base.hook) (the kernel answers: "
                    + (routed.contains(family) ? "Operation not supported)" : "No such file or directory)")
            }
            // nf_tables_api.c: a nat chain runs after conntrack (priority above NF_IP_PRI_CONNTRACK, -200).
            if let priority = base.priority.value(in: family), priority <= -200 {
                return "a nat chain's priority must be above conntrack's (-200), not \(base.priority) "
                    + "(the kernel answers: Operation not supported)"
            }
            return nil
        case "route":
            guard routed.contains(family), base.hook == "output" else {
                return "a route chain is for the ip, ip6 and inet families at output, not \(family.rawValue) "
                    + "\(base.hook) (the kernel answers: Operation not supported)"
            }
            return nil
        default:
            return "no chain type '\(base.type)' (filter, nat or route)"
        }
    }

    /// The chains a rule jumps or goes to (its verdicts and its verdict maps' values).
    static func jumps(in rule: NftRule) -> [String] {
        var names: [String] = []
        func verdicts(_ expression: NftExpression) {
            switch expression {
            case .verdict(.jump(let name)), .verdict(.goto(let name)): names.append(name)
            case .set(let elements): for element in elements { element.value.map(verdicts) }
            case .map(_, let map): verdicts(map)
            default: break
            }
        }
        for statement in rule.statements {
            switch statement {
            case .verdict(.jump(let name)), .verdict(.goto(let name)): names.append(name)
            case .verdictMap(_, let map): verdicts(map)
            default: break
            }
        }
        return names
    }

    /// The named sets and maps a rule refers to, each with whether it is used as a verdict map.
    static func references(in rule: NftRule) -> [(String, Bool)] {
        var found: [(String, Bool)] = []
        func walk(_ expression: NftExpression, verdictMap: Bool) {
            switch expression {
            case .setReference(let name): found.append((name, verdictMap))
            case .concatenation(let parts): for part in parts { walk(part, verdictMap: false) }
            case .binary(_, let left, let right):
                walk(left, verdictMap: false)
                walk(right, verdictMap: false)
            case .map(let key, let map):
                walk(key, verdictMap: false)
                walk(map, verdictMap: false)
            default: break
            }
        }
        for statement in rule.statements {
            switch statement {
            case .match(let relation):
                walk(relation.left, verdictMap: false)
                walk(relation.right, verdictMap: false)
            case .verdictMap(let key, let map):
                walk(key, verdictMap: false)
                walk(map, verdictMap: true)
            case .set(let target, let value):
                walk(target, verdictMap: false)
                walk(value, verdictMap: false)
            case .nat(let nat): nat.to.map { walk($0, verdictMap: false) }
            default: break
            }
        }
        return found
    }

    /// A chain the jumps from a base chain reach twice on one path, with that base chain and
    /// the rule that closes the loop; nil when there is none.
    static func loop(in table: NftTable, chains: [String: NftChain])
        -> (base: String, chain: String, location: SourceLocation)? {
        for base in table.chains where base.base != nil {
            var path: [String] = []
            var done = Set<String>()
            func visit(_ chain: NftChain) -> (String, SourceLocation)? {
                path.append(chain.name)
                defer { path.removeLast() }
                for rule in chain.rules {
                    for target in jumps(in: rule) {
                        if path.contains(target) { return (target, rule.location) }
                        guard !done.contains(target), let next = chains[target] else { continue }
                        if let found = visit(next) { return found }
                        done.insert(target)
                    }
                }
                return nil
            }
            if let (chain, location) = visit(base) { return (base.name, chain, location) }
        }
        return nil
    }
}
