/// The targets as the diff's walk runs them on sets of packets (the concrete targets of
/// Extensions/ do the same to one packet).
extension DiffWalk {
    /// Runs a matched rule's target for the packets that matched it.
    func apply(_ rule: SymbolicRule, _ cursor: DiffCursor, _ space: PacketSpace, _ which: Side) throws -> [(PacketSpace, DiffCursor)] {
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
            guard case .jump = rule.action else {
                next.position.goto(callee)
                return [(space, next)]
            }
            // The evaluator's limit (ChainWalker.maximumDepth), so that diff and trace agree: the
            // rest, from this jump on, tells two sides' exhausted walks apart.
            guard cursor.stack.count < ChainWalker.maximumDepth else {
                decided(ChainWalker.jumpStackExhausted)
                next.ending = .undetermined(ChainWalker.jumpStackExhausted, rest: side.rest(cursor))
                return [(space, next)]
            }
            next.position.jump(to: callee)
            return [(space, next)]
        case .nat(let call):
            decided(rule.verdictText)
            for (field, rewrite) in SymbolicAction.natRewrites(call, hook: stage.hook, family: family) {
                next.environment.rewrites[field] = rewrite
            }
            return try nextStage(next, space, which)
        case .mark(let value, let mask):
            next.environment.setBits(.mark, value: value, mask: mask)
            return onward()
        case .connmark(let value, let mask):
            return try withConnection(cursor, space, stage) { environment in
                environment.setBits(.connmark, value: value, mask: mask)
            }
        case .copyMark(let toConnection, let text, let wholly):
            return try withConnection(cursor, space, stage) { environment in
                environment.copyMark(toConnection: toConnection, text: text, wholly: wholly)
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
    func withConnection(_ cursor: DiffCursor, _ space: PacketSpace, _ stage: SymbolicStage,
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
