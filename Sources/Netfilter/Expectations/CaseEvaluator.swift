/// What a spec runs against: a plain rules file (cases say where with `at`), or a host
/// snapshot (cases say where the packet arrives with `from`).
public enum SpecTarget: Sendable {
    case rules(Ruleset)
    case snapshot(HostSnapshot)

    /// The snapshot's nft rules, if any.
    public var nft: NftRuleset? {
        if case .snapshot(let snapshot) = self { return snapshot.nft }
        return nil
    }

    /// The rules a packet of this family meets.
    public func rules(for family: Family) -> Ruleset? {
        switch self {
        case .rules(let ruleset): return ruleset.family == family ? ruleset : nil
        case .snapshot(let snapshot): return family == .ipv6 ? snapshot.ipv6Ruleset : snapshot.ruleset
        }
    }

    public var isSnapshot: Bool {
        if case .snapshot = self { return true }
        return false
    }
}

/// Every possible outcome of a case's packet (and of its reply, on a snapshot). Keeps the
/// compiled rules per set of `assume` pins, so that a spec compiles them once.
public struct CaseEvaluator {
    public let target: SpecTarget
    private var hookEvaluators: [String: HookEvaluator] = [:]
    private var chainWalkers: [String: ChainWalker] = [:]
    private var paths: [String: HostPath] = [:]

    public init(target: SpecTarget) {
        self.target = target
    }

    /// The request's outcomes; the reply's outcomes (every reply of every request outcome
    /// that had one) on a snapshot, nil on a rules file.
    public mutating func outcomes(for item: ExpectationCase) -> (request: [CaseOutcome], replies: [CaseOutcome]?) {
        let key = item.pinned.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        switch target {
        case .rules(let ruleset):
            switch item.point?.value {
            case .chain(let table, let chain)?:
                let walkerKey = key + "|" + table
                if chainWalkers[walkerKey] == nil, let found = ruleset.table(named: table) {
                    chainWalkers[walkerKey] = ChainWalker(table: found, pinned: item.pinned)
                }
                guard let walker = chainWalkers[walkerKey] else { return ([], nil) }
                let described = Self.described(item, tracksConnections: HookEvaluator.tracksConnections(ruleset))
                let results = OutcomeClasses.merge(walker.walk(from: chain, packet: described.packet,
                                                                               packets: described.packets), waysFor: 0)
                    .map(\.result)
                return (results.map { CaseOutcome(walk: $0, passes: [.init(hook: nil, steps: $0.steps)], before: item.packet) }, nil)
            case .hooks(let hooks)?:
                if hookEvaluators[key] == nil { hookEvaluators[key] = HookEvaluator(ruleset, pinned: item.pinned) }
                guard let evaluator = hookEvaluators[key] else { return ([], nil) }
                let described = Self.described(item, tracksConnections: evaluator.tracksConnections)
                let all = Self.walk(hooks, packet: described.packet, packets: described.packets, evaluator: evaluator)
                // Classes that end alike (the same verdict by the same rule, the same NAT) are one
                // outcome.
                let answer = AnswerKey.init
                var passes: [AnswerKey: [CaseOutcome.HookPass]] = [:]
                for walk in all where passes[answer(walk.result)] == nil { passes[answer(walk.result)] = walk.passes }
                let walks = OutcomeClasses.merge(all.map(\.result), key: answer, waysFor: 0).map { item in
                    (result: item.result, passes: passes[answer(item.result)] ?? [])
                }
                return (walks.map { CaseOutcome(walk: $0.result, passes: $0.passes, before: item.packet) }, nil)
            case nil:
                return ([], nil)
            }
        case .snapshot(let snapshot):
            guard let origin = item.origin?.value else { return ([], nil) }
            if paths[key] == nil { paths[key] = HostPath(snapshot, pinned: item.pinned) }
            guard let path = paths[key] else { return ([], nil) }
            var described = item.described
            described.assumeUnmarked()
            described.assumeReassembled()
            var packet = described.packet
            packet.hookState.inInterface = nil
            packet.hookState.outInterface = nil
            let packets = Flow.run(path, request: packet, packets: described.packets, from: origin)
            let request = packets.first.map { flowPacket in
                flowPacket.outcomes.map { CaseOutcome(path: $0, before: flowPacket.packet) }
            } ?? []
            let replies = packets.dropFirst().flatMap { flowPacket in
                flowPacket.outcomes.map { CaseOutcome(path: $0, before: flowPacket.packet) }
            }
            return (request, replies)
        }
    }

    /// Walks hooks in order, each accepted outcome going on to the next hook with the packet
    /// as the previous hook left it. Each hook sees the devices the kernel gives it: no out
    /// device at PREROUTING and INPUT, no in device at OUTPUT, and at POSTROUTING the in
    /// device only for a forwarded packet.
    /// The case's packets as a walk on a rules file takes them: a later fragment only where
    /// no conntrack reassembles fragments first.
    static func described(_ item: ExpectationCase, tracksConnections: Bool) -> DescribedPackets {
        var described = item.described
        if tracksConnections { described.assumeReassembled() }
        return described
    }

    static func walk(_ hooks: [Hook], packet: Packet, packets: PacketSpace? = nil, evaluator: HookEvaluator)
        -> [(result: WalkResult, passes: [CaseOutcome.HookPass])] {
        var current = [(result: WalkResult(verdict: .accept, undetermined: nil, packet: packet, steps: [], packets: packets),
                        passes: [CaseOutcome.HookPass]())]
        for hook in hooks {
            current = current.flatMap { earlier -> [(result: WalkResult, passes: [CaseOutcome.HookPass])] in
                guard earlier.result.verdict == .accept else { return [earlier] }
                var entering = earlier.result.packet
                // "" is none; nil (not given) is any device where the hook has one.
                let noInput = hook == .output || (hook == .postrouting && !hooks.contains(.forward))
                entering.hookState.inInterface = noInput ? "" : packet.hookState.inInterface
                entering.hookState.outInterface = hook == .prerouting || hook == .input ? "" : packet.hookState.outInterface
                return evaluator.walk(hook: hook, packet: entering, packets: earlier.result.packets,
                                      environment: earlier.result.environment,
                                      probability: earlier.result.probability).map { next in
                    var combined = next
                    combined.steps = earlier.result.steps + next.steps
                    return (combined, earlier.passes + [CaseOutcome.HookPass(hook: hook, steps: next.steps)])
                }
            }
        }
        return current
    }
}
