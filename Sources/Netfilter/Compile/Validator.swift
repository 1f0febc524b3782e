/// Checks a parsed ruleset the way the kernel checks a table when it is loaded
/// (net/netfilter/x_tables.c, net/ipv4/netfilter/ip_tables.c: mark_source_chains,
/// check_target, xt_check_match/xt_check_target): every jump lands on a user chain of the
/// same table, no chain can reach itself, and every target and match is used only in the
/// tables and at the hooks its kernel module allows.
public enum Validator {
    /// What `verdict check` reports of read rules: the reading's diagnostics and the
    /// validation's, in file order.
    public static func diagnostics(of result: ParseResult) -> [Diagnostic] {
        (result.diagnostics + validate(result.ruleset)).sorted { $0.location < $1.location }
    }

    public static func validate(_ ruleset: Ruleset) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for table in ruleset.tables {
            diagnostics += validate(table, in: ruleset)
        }
        return diagnostics
    }

    /// The hooks from which each chain of a table can be reached (a built-in chain is
    /// reached from its own hook; a user chain from every hook whose chains jump to it).
    public static func reachingHooks(_ table: Table) -> [String: Set<Hook>] {
        reachingHooks(table, graph: ChainGraph(table))
    }

    static func reachingHooks(_ table: Table, graph: ChainGraph) -> [String: Set<Hook>] {
        let hooks = hooksByPosition(table, graph: graph)
        var result: [String: Set<Hook>] = [:]
        for (position, chain) in table.chains.enumerated() where !hooks[position].isEmpty {
            result[chain.name] = Set(hooks[position].hooks)
        }
        return result
    }

    /// The hooks reaching each chain, by the chain's position in the table.
    static func hooksByPosition(_ table: Table, graph: ChainGraph) -> [HookSet] {
        let index = graph.index
        let successors = graph.successors
        var hooks = [HookSet](repeating: [], count: table.chains.count)
        for name in table.builtinChainNames {
            guard let hook = Hook(rawValue: name), let start = index[name] else { continue }
            var stack = [start]
            var seen = [Bool](repeating: false, count: table.chains.count)
            while let current = stack.popLast() {
                guard !seen[current] else { continue }
                seen[current] = true
                hooks[current].insert(hook)
                stack += successors[current]
            }
        }
        return hooks
    }

    static func validate(_ table: Table, in ruleset: Ruleset) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let builtins = table.builtinChainNames
        let graph = ChainGraph(table)

        // Jumps and gotos.
        for (chainPosition, edges) in graph.edges.enumerated() {
            for edge in edges where edge.target < 0 || builtins.contains(table.chains[edge.target].name) {
                let rule = table.chains[chainPosition].rules[edge.rule]
                guard let target = rule.target.chainName else { continue }
                let location = rule.targetLocation == .unknown ? rule.location : rule.targetLocation
                if builtins.contains(target) {
                    diagnostics.append(.error("cannot jump to built-in chain '\(target)': only user chains can be targets",
                                              at: location, length: 2))
                } else {
                    let elsewhere = ruleset.tables.filter { $0.name != table.name && $0.chain(named: target) != nil }.map(\.name)
                    let hint = elsewhere.isEmpty ? "" : " (a chain of that name exists in table \(elsewhere.joined(separator: ", ")); jumps stay within one table)"
                    diagnostics.append(.error("jump to undefined chain '\(target)' in table '\(table.name)'\(hint)",
                                              at: location, length: 2))
                }
            }
        }

        diagnostics += loops(in: table, graph: graph)

        // Where targets and matches may be used.
        let hooks = hooksByPosition(table, graph: graph)
        func check(_ call: ExtensionCall, inChain chainName: String, reachedFrom reaching: HookSet) {
            let spec = call.spec
            guard spec.tables != nil || spec.hooks != nil || spec.hookCheck != nil else { return }
            let what = { spec.kind == .target ? "\(spec.name) target" : "\(spec.name) match" }
            if let tables = spec.tables, !tables.contains(table.name) {
                diagnostics.append(.error("\(what()) is only valid in the \(tables.joined(separator: ", ")) table, not in '\(table.name)'",
                                          at: call.location, length: 2))
                return
            }
            guard let allowed = spec.allowedHooks(for: call) else { return }
            let refusedHooks = reaching.subtracting(allowed.reduce(into: HookSet()) { $0.insert($1) })
            guard !refusedHooks.isEmpty else { return }
            let refused = refusedHooks.hooks
            let via = builtins.contains(chainName) ? "" : " (chain '\(chainName)' is reached from \(reaching.hooks.map(\.rawValue).joined(separator: ", ")))"
            diagnostics.append(.error("\(what()) is not allowed at hook \(refused.map(\.rawValue).joined(separator: ", "))\(via): the kernel allows it only at \(allowed.sorted().map(\.rawValue).joined(separator: ", "))",
                                      at: call.location, length: 2))
        }
        for position in table.chains.indices {
            let chainHooks = hooks[position]
            let chainName = table.chains[position].name
            // iptables (do_command4), by the chain's name: -o is refused in PREROUTING and
            // INPUT, -i in OUTPUT and POSTROUTING (a user chain reached from them is not
            // checked; there the device simply never matches).
            let refusesOut = chainName == "PREROUTING" || chainName == "INPUT"
            let refusesIn = chainName == "OUTPUT" || chainName == "POSTROUTING"
            for ruleIndex in table.chains[position].rules.indices {
                let location = table.chains[position].rules[ruleIndex].location
                if refusesOut, table.chains[position].rules[ruleIndex].header.outInterface != nil {
                    diagnostics.append(.error("can't use -o with \(chainName): incoming packets have no output device yet",
                                              at: location, length: 2))
                }
                if refusesIn, table.chains[position].rules[ruleIndex].header.inInterface != nil {
                    diagnostics.append(.error("can't use -i with \(chainName): outgoing packets have no input device",
                                              at: location, length: 2))
                }
                // Rules the kernel's walk does not reach have their table checked, not their hooks.
                let reaching = ruleIndex < graph.reachedRules[position] ? chainHooks : HookSet()
                for call in table.chains[position].rules[ruleIndex].matches {
                    check(call, inChain: chainName, reachedFrom: reaching)
                }
                if case .extension(let target) = table.chains[position].rules[ruleIndex].target {
                    check(target, inChain: chainName, reachedFrom: reaching)
                }
            }
        }
        return diagnostics
    }

    /// Chains that can reach themselves through jumps and gotos; the kernel refuses
    /// such a table with ELOOP. One error per loop, at the jump that closes it.
    static func loops(in table: Table, graph: ChainGraph) -> [Diagnostic] {
        // Edges the kernel's walk follows keep their index; the others are skipped (-1).
        let targets = graph.edges.indices.map { position in
            graph.edges[position].map { $0.rule < graph.reachedRules[position] ? $0.target : -1 }
        }
        var walk = DepthFirstWalk(targets: targets)
        var diagnostics: [Diagnostic] = []
        // mark_source_chains walks from the hooks' entry points only: a loop among chains
        // that no built-in chain reaches is loaded (observed on this kernel).
        let builtins = table.builtinChainNames
        for root in table.chains.indices where builtins.contains(table.chains[root].name) {
            walk.start(at: root)
            while let event = walk.next() {
                guard case .loop(let from, let edge, let to) = event else { continue }
                let cycle = walk.loop(closingAt: to).map { table.chains[$0].name }
                let rule = table.chains[from].rules[graph.edges[from][edge].rule]
                let location = rule.targetLocation == .unknown ? rule.location : rule.targetLocation
                diagnostics.append(.error("jump loop: \(cycle.joined(separator: " -> ")) (the kernel refuses loops)",
                                          at: location, length: 2))
            }
        }
        return diagnostics
    }
}

/// A table's chains by name and the jumps between them, resolved to positions once.
struct ChainGraph {
    /// A rule that jumps or goes to another chain: the rule's index in its chain and the
    /// target chain's position, -1 when no chain of that name exists.
    struct Edge {
        var rule: Int
        var target: Int
    }

    /// Chain name to its position in `table.chains` (the first, if declared twice).
    let index: NameIndex
    /// For each chain, its jumps and gotos in rule order.
    let edges: [[Edge]]
    /// For each chain, how many of its rules the kernel's walk reaches (mark_source_chains
    /// turns back at an unconditional ACCEPT, DROP, QUEUE or RETURN: the rules after it
    /// are never reached, and their hooks are not checked).
    let reachedRules: [Int]

    /// For each chain, the positions of the chains its reached rules jump or go to.
    var successors: [[Int]] {
        edges.indices.map { position in edges[position].compactMap { $0.target >= 0 && $0.rule < reachedRules[position] ? $0.target : nil } }
    }

    init(_ table: Table) {
        let index = table.chainPositions
        self.index = index
        var edges: [[Edge]] = []
        edges.reserveCapacity(table.chains.count)
        reachedRules = table.chains.indices.map { position in
            let rules = table.chains[position].rules
            return rules.firstIndex(where: \.isUnconditionalVerdict).map { $0 + 1 } ?? rules.count
        }
        for chainPosition in table.chains.indices {
            var chainEdges: [Edge] = []
            let count = table.chains[chainPosition].rules.count
            for ruleIndex in 0..<count {
                switch table.chains[chainPosition].rules[ruleIndex].target {
                case .jump(let name), .goto(let name):
                    chainEdges.append(Edge(rule: ruleIndex, target: index[name] ?? -1))
                default:
                    continue
                }
            }
            edges.append(chainEdges)
        }
        self.edges = edges
    }
}

/// A set of hooks as bits: one per chain of a table, so no set is allocated per chain.
struct HookSet: OptionSet {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ hook: Hook) {
        rawValue = 1 << UInt8(Hook.allCases.firstIndex(of: hook) ?? 0)
    }

    /// The hooks in the kernel's order.
    var hooks: [Hook] { Hook.allCases.filter { contains(HookSet($0)) } }

    mutating func insert(_ hook: Hook) { formUnion(HookSet(hook)) }
}
