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
    func step(_ piece: DiffPiece) throws -> [DiffPiece] {
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
        if newChain.hasRule(shaped: oldRule.shape, after: piece.new.rule) { return try stepOne(piece, .new) }
        return try stepOne(piece, .old)
    }

    func stepOne(_ piece: DiffPiece, _ which: Side) throws -> [DiffPiece] {
        let cursor = which == .old ? piece.old : piece.new
        return try advance(cursor, piece.space, which).map { space, moved in
            which == .old ? DiffPiece(space: space, old: moved, new: piece.new) : DiffPiece(space: space, old: piece.old, new: moved)
        }
    }

    /// Both sides at rules with the same match: the packets split once; each side runs its
    /// own target on the matching ones.
    func stepBoth(_ piece: DiffPiece, _ oldRule: SymbolicRule, _ newRule: SymbolicRule) throws -> [DiffPiece] {
        let (matched, rest) = try split(piece.space, by: oldRule, at: piece.old, old.stages[piece.old.stage],
                                        ruleText: old.chain(piece.old).matchText(of: piece.old.rule))
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
        let (matched, rest) = try split(space, by: rule, at: cursor, side.stages[cursor.stage],
                                        ruleText: chain.matchText(of: cursor.rule))
        var result: [(PacketSpace, DiffCursor)] = []
        if !rest.isEmpty {
            var next = cursor
            next.rule += 1
            result.append((rest, next))
        }
        if !matched.isEmpty { result += try apply(rule, cursor, matched, which) }
        return result
    }

    /// The packets a rule matches and the others, the rule read through what the walk has
    /// changed so far and the table's view of the packet.
    func split(_ space: PacketSpace, by rule: SymbolicRule, at cursor: DiffCursor, _ stage: SymbolicStage,
               ruleText: @autoclosure () -> String) throws -> (matched: PacketSpace, rest: PacketSpace) {
        guard let parts = cursor.environment.divide(space, by: rule.space, beforeConntrack: stage.beforeConntrack,
                                                    ruleText: ruleText(), limit: Self.classLimit) else { throw TooComplex() }
        return parts
    }

    /// The end of a chain: a built-in chain's policy, a user chain's return.
    func endOfChain(_ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
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
    func returnFromChain(_ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
        let side = self.side(which)
        var next = cursor
        let stage = side.stages[cursor.stage]
        let entry = side.program.tables[stage.table].chains[stage.entry]
        if next.position.returnFromChain(entryIsBuiltin: entry.isBuiltin, entryRuleCount: entry.rules.count) == .outOfTable {
            next.decisions.append(DiffDecision(table: side.table(cursor).name, chain: side.chain(cursor).name, rule: nil,
                                               verdict: "RETURN", location: nil))
            next.ending = .return
        }
        return [(space, next)]
    }

    /// The next table of the hook, or the end of the hook (the packet goes on).
    func nextStage(_ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
        var next = cursor
        next.stage += 1
        return try enter(next, space, which)
    }

    /// Enters the cursor's stage (or ends the walk past the last one): the nat table sees
    /// only a connection's first packet.
    func enter(_ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
        let side = self.side(which)
        var next = cursor
        guard next.stage < side.stages.count else {
            next.ending = .accept
            return [(space, next)]
        }
        let stage = side.stages[next.stage]
        next.position = WalkPosition(entry: stage.entry)
        guard stage.onlyNew else { return [(space, next)] }
        let first = next.environment.firstPackets(family)
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
}
