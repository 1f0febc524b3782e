/// Where one side's walk stands: the table (stage), chain and rule, the jump stack, what
/// it changed so far, and how it ended once it has.
struct DiffCursor: PositionedWalk {
    var stage = 0
    /// Where the walk stands in the stage's table (`WalkPosition`: the jump stack's rules).
    var position = WalkPosition(entry: 0)
    var environment = SymbolicEnvironment()
    var decisions: [DiffDecision] = []
    var ending: DiffEnding?
}

/// One side of the diff: its compiled rules and the tables the walk goes through.
struct DiffSide {
    var program: SymbolicProgram
    var stages: [SymbolicStage]
    let endOfHook: Int

    func chain(_ cursor: DiffCursor) -> SymbolicChain { program.tables[stages[cursor.stage].table].chains[cursor.chain] }
    func table(_ cursor: DiffCursor) -> SymbolicTable { program.tables[stages[cursor.stage].table] }

    /// The numbers of what the rest of the walk does from the cursor on (equal numbers on
    /// both sides with equal environments: the same outcome for every packet). In indexed
    /// chains, for packets with one destination, only the rules they can match count.
    func rest(_ cursor: DiffCursor, destination point: UInt128? = nil) -> [Int] {
        let stage = stages[cursor.stage]
        let chains = program.tables[stage.table].chains
        var destination = point
        switch cursor.environment.rewrites[.destination] {
        case .value(let value)?: destination = value
        case nil: break
        default: destination = nil
        }
        func suffix(_ chain: Int, _ rule: Int, avoidsIndexed: Bool) -> Int {
            let compiled = chains[chain]
            let position = min(rule, compiled.rules.count)
            if let index = compiled.destinationIndex, destination != nil || avoidsIndexed,
               let projected = index.projectedSuffix(from: position, destination: destination) {
                return projected
            }
            return compiled.suffixes[position]
        }
        var key = [cursor.stage + 1 < stages.count ? stages[cursor.stage + 1].shape : endOfHook,
                   stage.kind.flatMap { TableKind.allCases.firstIndex(of: $0) } ?? -1, stage.beforeConntrack ? 1 : 0, stage.hook?.ordinal ?? -1,
                   chains[stage.entry].suffixes[chains[stage.entry].rules.count],
                   chains[stage.entry].isBuiltin ? 1 : 0,
                   suffix(cursor.chain, cursor.rule, avoidsIndexed: cursor.avoidsIndexed)]
        for frame in cursor.stack.reversed() { key.append(suffix(frame.chain, frame.rule, avoidsIndexed: frame.avoidsIndexed)) }
        return key
    }
}

/// A set of packets and where each side's walk stands for them.
struct DiffPiece {
    var space: PacketSpace
    var old: DiffCursor
    var new: DiffCursor
}

/// A class of packets the two sides treat differently.
struct RawDifference {
    var space: PacketSpace
    var old: DiffOutcome
    var new: DiffOutcome
}
