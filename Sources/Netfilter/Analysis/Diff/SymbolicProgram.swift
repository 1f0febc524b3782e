/// One rule as the semantic diff walks it: the packets it matches (a header-space set),
/// what it does, and its structural number (equal numbers, equal behaviour).
struct SymbolicRule: Sendable {
    var hashedSpace: StructureInterner.HashedSpace
    var space: PacketSpace { hashedSpace.space }
    var action: SymbolicAction
    /// The chain a jump or goto goes to (its position in the table).
    var callee: Int?
    /// The rule's number among all rules' shapes: match space and action, callees by
    /// their behaviour.
    var shape = 0
    /// The match space's number alone.
    var matchShape = 0
    /// Where the rule was written (its text is its chain's `matchText(of:)`).
    var location: SourceLocation

    /// What the rule does when it decides (`DNAT --to-destination 10.0.0.1`), for the report.
    var verdictText: String { SymbolicProgram.verdictText(action) }
}

/// A chain as the diff walks it.
struct SymbolicChain: Sendable {
    var name: String
    var policy: ChainPolicy?
    var rules: [SymbolicRule]
    /// The rules as written, shared with the ruleset: their text is made only when needed.
    var source: [Rule]
    var family: Family
    var isBuiltin: Bool { policy != nil }

    /// Rule `index`'s matches alone, which name it as a condition.
    func matchText(of index: Int) -> String {
        var matches = source[index]
        matches.target = .none
        return matches.text(family: family)
    }
    /// The number of the chain's behaviour: its rules' shapes and its end.
    var behaviour = 0
    /// `suffixes[i]`: the number of what the chain does from rule i on (the last entry is
    /// the chain's end: its policy, or the return of a user chain).
    var suffixes: [Int] = []
    /// Where each rule shape occurs, for aligning two versions of a long chain (short
    /// chains are searched instead: most chains have a few rules, and a dictionary each
    /// was a tenth of a large diff's memory).
    var positions: [Int: [Int]] = [:]
    static let indexedLength = 16

    /// Whether a rule after `position` has this shape.
    func hasRule(shaped shape: Int, after position: Int) -> Bool {
        if rules.count > Self.indexedLength { return positions[shape]?.contains { $0 > position } ?? false }
        return rules.indices.contains { $0 > position && rules[$0].shape == shape }
    }
    /// For long chains: the rules by the one destination they require.
    var destinationIndex: SpaceDestinationIndex?
}

/// A table as the diff walks it.
struct SymbolicTable: Sendable {
    var name: String
    var kind: TableKind?
    var chains: [SymbolicChain]
    var chainIndex: [String: Int]
}

/// One table walked at a hook: which table, from which chain, and how it sees the packet.
struct SymbolicStage: Sendable {
    var table: Int
    var kind: TableKind?
    var entry: Int
    var hook: Hook?
    /// The raw table at PREROUTING and OUTPUT: conntrack has not run yet.
    var beforeConntrack: Bool
    /// The nat table: only a connection's first packet (NEW) is walked, and only when the
    /// rules switch connection tracking on.
    var onlyNew: Bool
    /// The number of what this stage and the following ones do.
    var shape = 0
}

/// A ruleset compiled for the semantic diff: every rule's header-space set and action,
/// with structural numbers from an interner shared with the other side of the diff.
struct SymbolicProgram: Sendable {
    let family: Family
    var tables: [SymbolicTable]
    let tracksConnections: Bool

    /// A program compiled but not numbered yet (the part that needs no interner, which two
    /// sides can make at once).
    struct Draft: Sendable {
        var family: Family
        var tracksConnections: Bool
        var tables: [SymbolicTable]
    }

    init(draft: Draft, interner: StructureInterner) {
        family = draft.family
        tracksConnections = draft.tracksConnections
        tables = draft.tables
        for position in tables.indices { SymbolicProgram.number(&tables[position], interner: interner) }
    }

    static func draft(_ ruleset: Ruleset) -> Draft {
        // Rules with equal sets share one (kube-proxy's endpoint chains repeat `-p tcp`).
        var shared: [StructureInterner.HashedSpace: StructureInterner.HashedSpace] = [:]
        func sharing(_ space: PacketSpace) -> StructureInterner.HashedSpace {
            let hashed = StructureInterner.HashedSpace(space)
            if let kept = shared[hashed] { return kept }
            shared[hashed] = hashed
            return hashed
        }
        let tables = ruleset.tables.map { table in
            var index: [String: Int] = [:]
            for (position, chain) in table.chains.enumerated() { index[chain.name] = position }
            let kind = TableKind(rawValue: table.name)
            // A table runs before conntrack at all its hooks or at none (raw: PREROUTING, OUTPUT).
            let beforeConntrack = Hook.allCases.contains { HookEvaluator.runsBeforeConntrack(kind, at: $0) }
            let chains = table.chains.map { chain in
                SymbolicChain(name: chain.name,
                              policy: table.builtinChainNames.contains(chain.name) ? (chain.policy ?? .accept) : nil,
                              rules: chain.rules.map { rule in
                                  let space = RuleSpace.matching(rule, family: ruleset.family,
                                                                 beforeConntrack: beforeConntrack)
                                  return SymbolicRule(hashedSpace: sharing(space), action: SymbolicAction(rule.target),
                                                      callee: rule.target.chainName.flatMap { index[$0] },
                                                      location: rule.location)
                              }, source: chain.rules, family: ruleset.family)
            }
            return SymbolicTable(name: table.name, kind: kind, chains: chains, chainIndex: index)
        }
        return Draft(family: ruleset.family, tracksConnections: HookEvaluator.tracksConnections(ruleset), tables: tables)
    }

    /// Numbers every chain's behaviour (callees first) and every suffix.
    private static func number(_ table: inout SymbolicTable, interner: StructureInterner) {
        // Depth first without recursion (a line of 100,000 chains is loaded by the kernel):
        // a chain is numbered when it is left, after the callees it entered.
        var walk = DepthFirstWalk(targets: table.chains.map { chain in chain.rules.map { $0.callee ?? -1 } })
        for root in table.chains.indices {
            walk.start(at: root)
            while let event = walk.next() {
                guard case .leave(let chain) = event else { continue }
                number(chain, in: &table, isDone: { walk.marks[$0] == .done }, interner: interner)
            }
        }
    }

    /// Numbers one chain's rules, suffixes and behaviour; a callee not done yet is in a jump
    /// loop with this chain and gets a fresh number.
    private static func number(_ chain: Int, in table: inout SymbolicTable, isDone: (Int) -> Bool,
                               interner: StructureInterner) {
        var shapes: [Int] = []
        for position in table.chains[chain].rules.indices {
            let rule = table.chains[chain].rules[position]
            let matchShape = interner.number(.space(rule.hashedSpace))
            let calleeShape = rule.callee.map { isDone($0) ? table.chains[$0].behaviour : interner.fresh() } ?? 0
            let shape = interner.number(1, matchShape, actionShape(rule.action, interner), calleeShape)
            table.chains[chain].rules[position].matchShape = matchShape
            table.chains[chain].rules[position].shape = shape
            if table.chains[chain].rules.count > SymbolicChain.indexedLength {
                table.chains[chain].positions[shape, default: []].append(position)
            }
            shapes.append(shape)
        }
        let end: Int
        switch table.chains[chain].policy {
        case .accept?: end = interner.number(.policyAccept)
        case .drop?: end = interner.number(.policyDrop)
        case nil: end = interner.number(.chainReturn)
        }
        var suffixes = [Int](repeating: end, count: shapes.count + 1)
        for position in shapes.indices.reversed() {
            suffixes[position] = interner.number(2, shapes[position], suffixes[position + 1])
        }
        table.chains[chain].suffixes = suffixes
        table.chains[chain].destinationIndex = SpaceDestinationIndex(table.chains[chain].rules)
        table.chains[chain].destinationIndex?.number(shapes: shapes, end: end, interner: interner)
        table.chains[chain].behaviour = interner.number(3, suffixes[0])
    }

    static func verdictText(_ action: SymbolicAction) -> String {
        switch action {
        case .reject(let text): return SymbolicAction.bare(text)
        case .nat(let call): return SymbolicAction.bare(SymbolicAction.text(of: call))
        case .undetermined(let reason): return reason
        default: return ""
        }
    }

    /// The number of an action apart from the chain it calls.
    private static func actionShape(_ action: SymbolicAction, _ interner: StructureInterner) -> Int {
        switch action {
        case .none: return interner.number(StructureInterner.Fixed.none)
        case .accept: return interner.number(.accept)
        case .drop: return interner.number(.drop)
        case .queue: return interner.number(.queue)
        case .return: return interner.number(.return)
        case .jump: return interner.number(.jump)
        case .goto: return interner.number(.goto)
        case .reject(let text): return interner.number("reject " + text)
        case .nat(var call):
            call.location = .unknown
            return interner.number(.call(call))
        case .mark(let value, let mask): return interner.number("mark \(value)/\(mask)")
        case .connmark(let value, let mask): return interner.number("connmark \(value)/\(mask)")
        case .copyMark(_, let text, _): return interner.number("copy " + text)
        case .notrack: return interner.number(.notrack)
        case .effect(let text, _): return interner.number("effect " + text)
        case .undetermined(let text): return interner.number("undetermined " + text)
        }
    }

    /// The tables walked at a hook, in the kernel's order (HookEvaluator's), numbered.
    func stages(at hook: Hook, interner: StructureInterner) -> [SymbolicStage] {
        var stages: [SymbolicStage] = []
        for kind in HookEvaluator.tables(at: hook) {
            guard let table = tables.firstIndex(where: { $0.kind == kind }),
                  let entry = tables[table].chainIndex[hook.rawValue] else { continue }
            // Without connection tracking the nat table never sees a packet.
            let onlyNew = HookEvaluator.seesOnlyFirstPackets(kind)
            if onlyNew && !tracksConnections { continue }
            stages.append(SymbolicStage(table: table, kind: kind, entry: entry, hook: hook,
                                        beforeConntrack: HookEvaluator.runsBeforeConntrack(kind, at: hook), onlyNew: onlyNew))
        }
        return numbered(stages, interner: interner)
    }

    /// One chain walked alone (`--chain TABLE/CHAIN`), as `verdict trace --chain` does.
    func stages(table name: String, chain: String, interner: StructureInterner) -> [SymbolicStage]? {
        guard let table = tables.firstIndex(where: { $0.name == name }), let entry = tables[table].chainIndex[chain] else { return nil }
        return numbered([SymbolicStage(table: table, kind: tables[table].kind, entry: entry, hook: Hook(rawValue: chain),
                                       beforeConntrack: false, onlyNew: false)], interner: interner)
    }

    private func numbered(_ stages: [SymbolicStage], interner: StructureInterner) -> [SymbolicStage] {
        var result = stages
        var following = interner.number("end of hook")
        for position in result.indices.reversed() {
            let stage = result[position]
            let entryChain = tables[stage.table].chains[stage.entry]
            following = interner.number([4, interner.number(stage.kind?.rawValue ?? tables[stage.table].name),
                                         stage.beforeConntrack ? 1 : 0, stage.onlyNew ? 1 : 0, entryChain.suffixes[0], following])
            result[position].shape = following
        }
        return result
    }
}
