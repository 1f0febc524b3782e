/// Where one side's walk stands: the table (stage), chain and rule, the jump stack, what
/// it changed so far, and how it ended once it has.
struct DiffCursor {
    struct Frame: Hashable {
        var chain: Int
        var rule: Int
        var avoidsIndexed = false
    }

    var stage = 0
    var chain = 0
    var rule = 0
    var stack: [Frame] = []
    var environment = SymbolicEnvironment()
    var decisions: [DiffDecision] = []
    var ending: DiffEnding?
    /// The packets' destinations avoid every destination the current chain's index holds
    /// (they were split off at the chain's start): its indexed rules cannot match.
    var avoidsIndexed = false
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

/// The semantic diff's walk: both rulesets walked together over sets of packets, split at
/// every rule; where both walks are left with the same rest (same rule shapes from there
/// on, same changes so far) the packets cannot be treated differently and are dropped from
/// the walk. What both walks end differently on is a difference.
struct DiffWalk {
    var old: DiffSide
    var new: DiffSide
    let family: Family
    /// The most packet classes one split may make before the diff gives up.
    static let classLimit = 2_000_000

    struct TooComplex: Error {}

    enum Side { case old, new }

    func side(_ which: Side) -> DiffSide { which == .old ? old : new }

    /// Walks both sides from their first stage for every packet of `space`.
    func run(_ space: PacketSpace) throws -> [RawDifference] {
        var work: [DiffPiece] = []
        for (oldSpace, oldCursor) in try enter(DiffCursor(), space, .old) {
            for (newSpace, newCursor) in try enter(DiffCursor(), oldSpace, .new) {
                work.append(DiffPiece(space: newSpace, old: oldCursor, new: newCursor))
            }
        }
        var differences: [RawDifference] = []
        var steps = 0
        while let piece = work.popLast() {
            steps += 1
            if steps > 50_000_000 { throw TooComplex() }
            if let oldEnding = piece.old.ending, let newEnding = piece.new.ending {
                let oldOutcome = DiffOutcome(ending: oldEnding, environment: piece.old.environment, decisions: piece.old.decisions)
                let newOutcome = DiffOutcome(ending: newEnding, environment: piece.new.environment, decisions: piece.new.decisions)
                var differing = piece.space
                if let agreed = oldOutcome.agreement(with: newOutcome, family: family) {
                    guard let rest = piece.space.subtracting(agreed, limit: Self.classLimit) else { throw TooComplex() }
                    differing = rest
                } else {
                    differing = .none(family)
                }
                if !differing.isEmpty { differences.append(RawDifference(space: differing, old: oldOutcome, new: newOutcome)) }
                continue
            }
            if piece.old.ending == nil, piece.new.ending == nil, piece.old.environment == piece.new.environment {
                let point = SpaceDestinationIndex.point(of: piece.space)
                if old.rest(piece.old, destination: point) == new.rest(piece.new, destination: point) { continue }
            }
            work += try step(piece)
        }
        return differences
    }

    /// Advances one side, or both together where they stand at rules with the same match.
    private func step(_ piece: DiffPiece) throws -> [DiffPiece] {
        if let prepared = try prepare(piece) { return prepared }
        if piece.old.ending != nil { return try stepOne(piece, .new) }
        if piece.new.ending != nil { return try stepOne(piece, .old) }
        if piece.old.stage != piece.new.stage { return try stepOne(piece, piece.old.stage < piece.new.stage ? .old : .new) }
        if piece.old.stack.count != piece.new.stack.count {
            return try stepOne(piece, piece.old.stack.count > piece.new.stack.count ? .old : .new)
        }
        let oldChain = old.chain(piece.old), newChain = new.chain(piece.new)
        let oldAtEnd = piece.old.rule >= oldChain.rules.count, newAtEnd = piece.new.rule >= newChain.rules.count
        if oldAtEnd || newAtEnd { return try stepOne(piece, oldAtEnd && !newAtEnd ? .new : .old) }
        let oldRule = oldChain.rules[piece.old.rule], newRule = newChain.rules[piece.new.rule]
        let oldStage = old.stages[piece.old.stage], newStage = new.stages[piece.new.stage]
        if oldRule.matchShape == newRule.matchShape, piece.old.environment == piece.new.environment,
           oldStage.beforeConntrack == newStage.beforeConntrack {
            return try stepBoth(piece, oldRule, newRule)
        }
        if let later = newChain.positions[oldRule.shape], later.contains(where: { $0 > piece.new.rule }) { return try stepOne(piece, .new) }
        return try stepOne(piece, .old)
    }

    /// In a long chain with a destination index: packets with one destination skip to the
    /// next rule they could match; at the chain's start, other packets are split by the
    /// indexed destinations first. Nil when nothing needed doing.
    private func prepare(_ piece: DiffPiece) throws -> [DiffPiece]? {
        for which in [Side.old, .new] {
            let cursor = which == .old ? piece.old : piece.new
            guard cursor.ending == nil else { continue }
            let chain = side(which).chain(cursor)
            guard let index = chain.destinationIndex, cursor.rule < chain.rules.count else { continue }
            let destination: UInt128?
            switch cursor.environment.rewrites[.destination] {
            case .value(let value)?: destination = value
            case .opaque?, .bits?: continue
            case nil: destination = SpaceDestinationIndex.point(of: piece.space)
            }
            if destination != nil || cursor.avoidsIndexed {
                let next = index.next(from: cursor.rule, destination: destination, count: chain.rules.count)
                guard next != cursor.rule else { continue }
                var moved = piece
                if which == .old { moved.old.rule = next } else { moved.new.rule = next }
                return [moved]
            }
            guard cursor.rule == 0, cursor.environment.rewrites[.destination] == nil else { continue }
            // Split by the indexed destinations the packets can have, and the rest.
            var pieces: [DiffPiece] = []
            for cube in piece.space.cubes {
                let destinations = cube[.destination].flatMap { set -> IntervalSet? in
                    if case .intervals(let values) = set { return values }
                    return nil
                } ?? IntervalSet(0, PacketField.destination.maximum(family))
                let indexed = destinations.intersection(index.destinations)
                for interval in indexed.intervals {
                    var value = interval.lower
                    while true {
                        var single = cube
                        single.restrict(.destination, to: .intervals(IntervalSet(value: value)))
                        pieces.append(DiffPiece(space: PacketSpace(family: family, cubes: [single]), old: piece.old, new: piece.new))
                        if value == interval.upper { break }
                        value += 1
                    }
                }
                let others = destinations.subtracting(index.destinations)
                if !others.isEmpty {
                    var rest = cube
                    rest.restrict(.destination, to: .intervals(others))
                    var restPiece = DiffPiece(space: PacketSpace(family: family, cubes: [rest]), old: piece.old, new: piece.new)
                    if which == .old { restPiece.old.avoidsIndexed = true } else { restPiece.new.avoidsIndexed = true }
                    pieces.append(restPiece)
                }
            }
            return pieces
        }
        return nil
    }

    private func stepOne(_ piece: DiffPiece, _ which: Side) throws -> [DiffPiece] {
        let cursor = which == .old ? piece.old : piece.new
        return try advance(cursor, piece.space, which).map { space, moved in
            which == .old ? DiffPiece(space: space, old: moved, new: piece.new) : DiffPiece(space: space, old: piece.old, new: moved)
        }
    }

    /// Both sides at rules with the same match: the packets split once; each side runs its
    /// own target on the matching ones.
    private func stepBoth(_ piece: DiffPiece, _ oldRule: SymbolicRule, _ newRule: SymbolicRule) throws -> [DiffPiece] {
        let stage = old.stages[piece.old.stage]
        let view = piece.old.environment.view(oldRule.space, beforeConntrack: stage.beforeConntrack, ruleText: oldRule.matchText)
        let matched = piece.space.intersection(view)
        guard let rest = piece.space.subtracting(view, limit: Self.classLimit) else { throw TooComplex() }
        var result: [DiffPiece] = []
        if !rest.isEmpty {
            var oldNext = piece.old, newNext = piece.new
            oldNext.rule += 1
            newNext.rule += 1
            result.append(DiffPiece(space: rest, old: oldNext, new: newNext))
        }
        if !matched.isEmpty {
            let oldPieces = try apply(oldRule, piece.old, matched, .old)
            for (oldSpace, oldCursor) in oldPieces {
                let newPieces = try apply(newRule, piece.new, oldSpace, .new)
                for (newSpace, newCursor) in newPieces { result.append(DiffPiece(space: newSpace, old: oldCursor, new: newCursor)) }
            }
        }
        return result
    }

    /// One step of one side: the rule it stands at splits the packets, or the chain ends.
    func advance(_ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
        let side = self.side(which)
        let chain = side.chain(cursor)
        if cursor.rule >= chain.rules.count { return try endOfChain(cursor, space, which) }
        let rule = chain.rules[cursor.rule]
        let stage = side.stages[cursor.stage]
        let view = cursor.environment.view(rule.space, beforeConntrack: stage.beforeConntrack, ruleText: rule.matchText)
        let matched = space.intersection(view)
        guard let rest = space.subtracting(view, limit: Self.classLimit) else { throw TooComplex() }
        var result: [(PacketSpace, DiffCursor)] = []
        if !rest.isEmpty {
            var next = cursor
            next.rule += 1
            result.append((rest, next))
        }
        if !matched.isEmpty { result += try apply(rule, cursor, matched, which) }
        return result
    }

    /// The end of a chain: a built-in chain's policy, a user chain's return.
    private func endOfChain(_ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
        let side = self.side(which)
        let chain = side.chain(cursor)
        var next = cursor
        if chain.isBuiltin {
            let verdict = chain.policy ?? .accept
            next.decisions.append(DiffDecision(table: side.table(cursor).name, chain: chain.name, rule: nil, verdict: verdict.rawValue, location: nil))
            if verdict == .drop {
                next.ending = .drop
                return [(space, next)]
            }
            return try nextStage(next, space, which)
        }
        return try returnFromChain(next, space, which)
    }

    /// RETURN or a user chain's end: back to the caller, to the built-in chain's policy when
    /// the stack is empty, or out of a user chain walked alone.
    private func returnFromChain(_ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
        let side = self.side(which)
        var next = cursor
        if let frame = next.stack.popLast() {
            next.chain = frame.chain
            next.rule = frame.rule
            next.avoidsIndexed = frame.avoidsIndexed
            return [(space, next)]
        }
        next.avoidsIndexed = false
        let stage = side.stages[cursor.stage]
        let entry = side.program.tables[stage.table].chains[stage.entry]
        if !entry.isBuiltin {
            next.decisions.append(DiffDecision(table: side.table(cursor).name, chain: side.chain(cursor).name, rule: nil, verdict: "RETURN", location: nil))
            next.ending = .return
            return [(space, next)]
        }
        next.chain = stage.entry
        next.rule = entry.rules.count
        return [(space, next)]
    }

    /// The next table of the hook, or the end of the hook (the packet goes on).
    private func nextStage(_ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
        var next = cursor
        next.stage += 1
        next.stack = []
        return try enter(next, space, which)
    }

    /// Enters the cursor's stage (or ends the walk past the last one): the nat table sees
    /// only a connection's first packet.
    private func enter(_ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
        let side = self.side(which)
        var next = cursor
        guard next.stage < side.stages.count else {
            next.ending = .accept
            return [(space, next)]
        }
        let stage = side.stages[next.stage]
        next.chain = stage.entry
        next.rule = 0
        next.stack = []
        next.avoidsIndexed = false
        guard stage.onlyNew else { return [(space, next)] }
        let first = PacketSpace.where(.state, .intervals(next.environment.arrivedStates(seeing: { $0 == ConntrackStateValue.new.rawValue },
                                                                                          beforeConntrack: false)), family: family)
        var result: [(PacketSpace, DiffCursor)] = []
        let walked = space.intersection(first)
        if !walked.isEmpty { result.append((walked, next)) }
        guard let skipped = space.subtracting(first, limit: Self.classLimit) else { throw TooComplex() }
        if !skipped.isEmpty {
            var past = cursor
            past.stage += 1
            result += try enter(past, skipped, which)
        }
        return result
    }

    /// Runs a matched rule's target for the packets that matched it.
    private func apply(_ rule: SymbolicRule, _ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
        let side = self.side(which)
        let stage = side.stages[cursor.stage]
        var next = cursor
        func decided(_ verdict: String) {
            next.decisions.append(DiffDecision(table: side.table(cursor).name, chain: side.chain(cursor).name, rule: cursor.rule + 1,
                                               verdict: verdict, location: rule.location))
        }
        func onward() -> [(PacketSpace, DiffCursor)] {
            next.rule += 1
            return [(space, next)]
        }
        switch rule.action {
        case .none:
            return onward()
        case .accept:
            decided("ACCEPT")
            return try nextStage(next, space, which)
        case .drop:
            decided("DROP")
            next.ending = .drop
            return [(space, next)]
        case .queue:
            decided("QUEUE")
            next.ending = .queue
            return [(space, next)]
        case .reject(let text):
            decided(rule.verdictText)
            next.ending = .reject(text)
            return [(space, next)]
        case .return:
            return try returnFromChain(next, space, which)
        case .jump, .goto:
            guard let callee = rule.callee else {
                decided("jump to an undefined chain")
                next.ending = .undetermined("a jump to an undefined chain", rest: [])
                return [(space, next)]
            }
            if case .jump = rule.action {
                next.stack.append(DiffCursor.Frame(chain: cursor.chain, rule: cursor.rule + 1, avoidsIndexed: cursor.avoidsIndexed))
            }
            next.avoidsIndexed = false
            next.chain = callee
            next.rule = 0
            return [(space, next)]
        case .nat(let call):
            decided(rule.verdictText)
            for (field, rewrite) in SymbolicAction.natRewrites(call, hook: stage.hook, family: family) {
                next.environment.rewrites[field] = rewrite
            }
            return try nextStage(next, space, which)
        case .mark(let value, let mask):
            next.environment.rewrites[.mark] = FieldRewrite.settingBits(next.environment.rewrites[.mark], value: value, mask: mask)
            return onward()
        case .connmark(let value, let mask):
            return try withConnection(cursor, space, stage) { environment in
                environment.rewrites[.connmark] = FieldRewrite.settingBits(environment.rewrites[.connmark], value: value, mask: mask)
            }
        case .copyMark(let toConnection, let text, let wholly):
            return try withConnection(cursor, space, stage) { environment in
                let from: PacketField = toConnection ? .mark : .connmark, to: PacketField = toConnection ? .connmark : .mark
                if wholly {
                    environment.rewrites[to] = FieldRewrite.copy(of: from, current: environment.rewrites[from])
                } else {
                    environment.rewrites[to] = .opaque(text + (environment.rewrites[from].map { " of \($0)" } ?? ""))
                }
            }
        case .notrack:
            next.environment.rewrites[.state] = .value(UInt128(ConntrackStateValue.untracked.rawValue))
            return onward()
        case .effect(let text, let observes):
            next.environment.addEffect(text)
            if !observes { next.environment.tags.append(text) }
            return onward()
        case .undetermined(let reason):
            decided(reason)
            var rest = cursor
            rest.rule += 1
            next.ending = .undetermined(reason, rest: side.rest(rest))
            return [(space, next)]
        }
    }

    /// CONNMARK changes only packets that have a connection (not before conntrack, not
    /// INVALID or UNTRACKED): the others go on unchanged.
    private func withConnection(_ cursor: DiffCursor, _ space: PacketSpace, _ stage: SymbolicStage,
                                _ change: (inout SymbolicEnvironment) -> Void) throws -> [(PacketSpace, DiffCursor)] {
        let tracked: Set<Int> = [ConntrackStateValue.new.rawValue, ConntrackStateValue.established.rawValue, ConntrackStateValue.related.rawValue]
        let connected = PacketSpace.where(.state, .intervals(cursor.environment.arrivedStates(seeing: tracked.contains,
                                                                                                beforeConntrack: stage.beforeConntrack)), family: family)
        var result: [(PacketSpace, DiffCursor)] = []
        let changed = space.intersection(connected)
        if !changed.isEmpty {
            var next = cursor
            change(&next.environment)
            next.rule += 1
            result.append((changed, next))
        }
        guard let unchanged = space.subtracting(connected, limit: Self.classLimit) else { throw TooComplex() }
        if !unchanged.isEmpty {
            var next = cursor
            next.rule += 1
            result.append((unchanged, next))
        }
        return result
    }
}
