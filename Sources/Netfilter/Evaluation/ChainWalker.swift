// net/ipv4/netfilter/ip_tables.c (ipt_do_table, trace_packet, get_chainname_rulenum):
// the walk through one table's chains from a hook's built-in chain.

/// Walks a table as ipt_do_table does: rules in order, `-j` pushes a return point, `-g`
/// does not, RETURN or a user chain's end pops (to the built-in chain's policy when the
/// stack is empty), a built-in chain's end applies its policy. A match that cannot be
/// decided splits the walk: both branches are followed and each becomes a result.
public struct ChainWalker: Sendable {
    public let table: Table
    private let positions: [String: Int]
    /// Whether each chain (by position) is one of the table's built-in chains.
    private let builtin: [Bool]
    /// For long chains: the rules that require one exact destination address, by that
    /// address, and the others; a walk that records no steps visits only the candidates.
    private let indexes: [DestinationIndex?]

    /// Rule positions of a chain split by the exact destination they require
    /// (`-d ADDR/32` without `!`); `others` lists every other rule. Both sorted.
    struct DestinationIndex: Sendable {
        var byDestination: [IPAddress: [Int]] = [:]
        var others: [Int] = []

        /// The first rule at or after `position` that the destination can match.
        func next(from position: Int, destination: IPAddress, end: Int) -> Int {
            func firstAtLeast(_ list: [Int]) -> Int {
                var low = 0, high = list.count
                while low < high {
                    let middle = (low + high) / 2
                    if list[middle] < position { low = middle + 1 } else { high = middle }
                }
                return low < list.count ? list[low] : end
            }
            let keyed = byDestination[destination].map(firstAtLeast) ?? end
            return min(keyed, firstAtLeast(others))
        }
    }

    /// Chains shorter than this are walked rule by rule.
    static let indexThreshold = 32
    /// Matches the user pinned (`--assume statistic=true`): module name to outcome.
    public var pinned: [String: Bool]
    /// Whether to record the steps (the trace); off, the walk only finds the verdicts.
    public var recordsSteps: Bool

    public init(table: Table, pinned: [String: Bool] = [:], recordsSteps: Bool = true) {
        self.table = table
        self.pinned = pinned
        self.recordsSteps = recordsSteps
        var positions: [String: Int] = [:]
        for (position, chain) in table.chains.enumerated() where positions[chain.name] == nil {
            positions[chain.name] = position
        }
        self.positions = positions
        let names = table.builtinChainNames
        builtin = table.chains.map { names.contains($0.name) }
        indexes = table.chains.map { chain in
            guard chain.rules.count >= Self.indexThreshold else { return nil }
            var index = DestinationIndex()
            for (position, rule) in chain.rules.enumerated() {
                if !rule.isOpaque, let destination = rule.header.destination, !destination.negated,
                   destination.value.prefixLength == (destination.value.address.family == .ipv4 ? 32 : 128) {
                    index.byDestination[destination.value.address, default: []].append(position)
                } else {
                    index.others.append(position)
                }
            }
            return index
        }
    }

    /// The kernel's jump stack limit (XT_MAX_TABLE_SIZE / ... in practice the chain depth);
    /// a deeper walk is reported rather than followed.
    static let maximumDepth = 1024

    private struct State {
        var chain: Int
        var rule: Int
        var stack: [(chain: Int, rule: Int)]
        var packet: Packet
        var steps: [TraceStep]
        var assumptions: [String]
        var probability: Double? = 1
    }

    /// Walks from the built-in chain `chainName` (a hook's chain of this table).
    public func walk(from chainName: String, packet: Packet) -> [WalkResult] {
        guard let start = positions[chainName] else {
            return [WalkResult(verdict: .accept, undetermined: nil, packet: packet, steps: [], assumptions: [])]
        }
        return run(State(chain: start, rule: 0, stack: [], packet: packet, steps: [], assumptions: []), start: start)
    }

    private func step(_ state: inout State, _ kind: TraceStep.Kind, number: Int, kernelType: String?, effect: String? = nil) {
        guard recordsSteps else { return }
        state.steps.append(TraceStep(table: table.name, chain: table.chains[state.chain].name, number: number, kind: kind,
                                     depth: state.stack.count, kernelType: kernelType, traced: state.packet.traced, effect: effect))
    }

    private func result(_ state: State, _ verdict: StandardVerdict?, undetermined: String? = nil) -> [WalkResult] {
        [WalkResult(verdict: verdict, undetermined: undetermined, packet: state.packet, steps: state.steps, assumptions: state.assumptions,
                    probability: state.probability)]
    }

    private func run(_ initial: State, start: Int) -> [WalkResult] {
        var state = initial
        var budget = 1_000_000
        while budget > 0 {
            budget -= 1
            let chain = table.chains[state.chain]
            let isBuiltin = builtin[state.chain]
            if state.rule >= chain.rules.count {
                // The chain's tail entry: policy of a built-in chain, RETURN of a user chain.
                if isBuiltin {
                    let policy: StandardVerdict = chain.policy == .drop ? .drop : .accept
                    step(&state, .policy, number: chain.rules.count + 1, kernelType: "policy", effect: policy.rawValue)
                    return result(state, policy)
                }
                step(&state, .implicitReturn, number: chain.rules.count + 1, kernelType: "return")
                if state.stack.isEmpty && state.chain == start {
                    // A walk that started in a user chain falls off its end: back to a caller
                    // the walk does not know.
                    return result(state, .return)
                }
                returnFromChain(&state, start: start)
                continue
            }
            if !recordsSteps, let index = indexes[state.chain], let destination = state.packet.destination {
                // Rules requiring another exact destination cannot match: skip to the next candidate.
                let next = index.next(from: state.rule, destination: destination, end: chain.rules.count)
                if next != state.rule {
                    state.rule = next
                    continue
                }
            }
            let rule = chain.rules[state.rule]
            switch decide(rule, state.packet) {
            case .fails(let reason):
                step(&state, .skipped(reason), number: state.rule + 1, kernelType: nil)
                state.rule += 1
                continue
            case .chance(let probability, let reason):
                var skipped = state
                skipped.assumptions.append("with probability \(Self.percent(1 - probability)): not \(reason)")
                skipped.probability = skipped.probability.map { $0 * (1 - probability) }
                step(&skipped, .skipped("not \(reason)"), number: state.rule + 1, kernelType: nil)
                skipped.rule += 1
                state.assumptions.append("with probability \(Self.percent(probability)): \(reason)")
                state.probability = state.probability.map { $0 * probability }
                return follow(rule, state, isBuiltin: isBuiltin, start: start) + run(skipped, start: start)
            case .unknown(let reason):
                var skipped = state
                skipped.probability = nil
                state.probability = nil
                skipped.assumptions.append("assumed not: \(reason)")
                step(&skipped, .skipped("assumed not to match: \(reason)"), number: state.rule + 1, kernelType: nil)
                skipped.rule += 1
                state.assumptions.append("assumed: \(reason)")
                return follow(rule, state, isBuiltin: isBuiltin, start: start) + run(skipped, start: start)
            case .matches:
                if let ended = apply(rule, &state, isBuiltin: isBuiltin, start: start) { return ended }
            }
        }
        return result(state, nil, undetermined: "the walk did not end within a million steps")
    }

    /// Runs a matched rule's target and continues the walk from there (a branch).
    private func follow(_ rule: Rule, _ initial: State, isBuiltin: Bool, start: Int) -> [WalkResult] {
        var state = initial
        if let ended = apply(rule, &state, isBuiltin: isBuiltin, start: start) { return ended }
        return run(state, start: start)
    }

    /// Runs a matched rule's target: the results when the walk ends there, nil to go on
    /// from the updated state.
    private func apply(_ rule: Rule, _ state: inout State, isBuiltin: Bool, start: Int) -> [WalkResult]? {
        let number = state.rule + 1
        // get_chainname_rulenum: an unconditional rule with a verdict prints as the
        // chain's policy (built-in chain) or return (user chain).
        var kernelType = "rule"
        if rule.matches.isEmpty && rule.header.isUnconditional, case .verdict = rule.target {
            kernelType = isBuiltin ? "policy" : "return"
        }
        switch rule.target {
        case .none:
            step(&state, .matched, number: number, kernelType: kernelType)
            state.rule += 1
        case .verdict(let verdict):
            step(&state, .matched, number: number, kernelType: kernelType, effect: verdict.rawValue)
            if verdict == .return {
                if state.stack.isEmpty && !isBuiltinChain(start) { return result(state, .return) }
                returnFromChain(&state, start: start)
            } else {
                return result(state, verdict)
            }
        case .jump(let name), .goto(let name):
            let isGoto: Bool
            if case .goto = rule.target { isGoto = true } else { isGoto = false }
            step(&state, .matched, number: number, kernelType: kernelType, effect: (isGoto ? "goto " : "jump ") + name)
            guard let target = positions[name] else { return result(state, nil, undetermined: "jump to undefined chain \(name)") }
            if !isGoto {
                if state.stack.count >= Self.maximumDepth { return result(state, .drop, undetermined: "jump stack exhausted") }
                state.stack.append((state.chain, state.rule + 1))
            }
            state.chain = target
            state.rule = 0
        case .extension(let call):
            step(&state, .matched, number: number, kernelType: kernelType, effect: call.spec.name)
            guard let applyTarget = call.spec.apply else {
                return result(state, nil, undetermined: "target \(call.spec.name) is not modelled yet")
            }
            switch applyTarget(call, &state.packet) {
            case .continue:
                state.rule += 1
            case .verdict(let verdict):
                if verdict == .return {
                    if state.stack.isEmpty && !isBuiltinChain(start) { return result(state, .return) }
                    returnFromChain(&state, start: start)
                } else {
                    return result(state, verdict)
                }
            }
        }
        return nil
    }

    public static func percent(_ probability: Double) -> String {
        let tenths = (probability * 1000).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths))%" : "\(tenths)%"
    }

    private func isBuiltinChain(_ position: Int) -> Bool { builtin[position] }

    /// RETURN: back to the caller's next rule, or to the built-in chain's policy entry.
    private func returnFromChain(_ state: inout State, start: Int) {
        if let caller = state.stack.popLast() {
            state.chain = caller.chain
            state.rule = caller.rule
        } else {
            state.chain = start
            state.rule = table.chains[start].rules.count
        }
    }

    /// Header checks, then each match in order: the first that fails or is unknown decides.
    private func decide(_ rule: Rule, _ packet: Packet) -> MatchOutcome {
        if rule.isOpaque { return .unknown("a rule verdict could not read: \(rule.opaqueText ?? "")") }
        // Without a trace, a header that decides quickly needs no reason.
        if !recordsSteps, let quick = rule.header.quickDecision(packet) {
            if !quick { return .fails("") }
        } else {
            let header = rule.header.evaluate(packet)
            if case .matches = header {} else { return header }
        }
        for match in rule.matches {
            var outcome: MatchOutcome
            if let evaluate = match.spec.evaluate {
                outcome = evaluate(match, packet)
            } else {
                outcome = .unknown("-m \(match.spec.name) is not modelled yet")
            }
            switch outcome {
            case .matches: continue
            case .fails: return outcome
            case .unknown(let reason), .chance(_, let reason):
                guard let value = pinned[match.spec.name] else { return outcome }
                if value { continue }
                return .fails("\(reason) (assumed false by --assume)")
            }
        }
        return .matches
    }
}
