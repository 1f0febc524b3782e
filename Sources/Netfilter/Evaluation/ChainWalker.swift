// net/ipv4/netfilter/ip_tables.c (ipt_do_table, trace_packet, get_chainname_rulenum):
// the walk through one table's chains from a hook's built-in chain.

/// Walks a table as ipt_do_table does: rules in order, `-j` pushes a return point, `-g`
/// does not, RETURN or a user chain's end pops (to the built-in chain's policy when the
/// stack is empty), a built-in chain's end applies its policy. A match that cannot be
/// decided splits the walk: both branches are followed and each becomes a result.
public struct ChainWalker: Sendable {
    public let program: CompiledTable
    /// Matches the user pinned (`--assume statistic=true`): module name to outcome.
    public var pinned: [String: Bool]
    /// Whether to record the steps (the trace); off, the walk only finds the verdicts.
    public var recordsSteps: Bool

    public init(table: Table, pinned: [String: Bool] = [:], recordsSteps: Bool = true) {
        self.init(program: CompiledTable(table), pinned: pinned, recordsSteps: recordsSteps)
    }

    public init(program: CompiledTable, pinned: [String: Bool] = [:], recordsSteps: Bool = true) {
        self.program = program
        self.pinned = pinned
        self.recordsSteps = recordsSteps
    }

    /// The kernel's jump stack limit (XT_MAX_TABLE_SIZE / ... in practice the chain depth);
    /// a deeper walk is reported rather than followed.
    static let maximumDepth = 1024

    struct State {
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
        guard let start = program.position(of: chainName) else {
            return [WalkResult(verdict: .accept, undetermined: nil, packet: packet, steps: [], assumptions: [])]
        }
        return walk(fromPosition: start, packet: packet)
    }

    /// Walks from the chain at this position of the compiled table.
    func walk(fromPosition start: Int, packet: Packet) -> [WalkResult] {
        var state = State(chain: start, rule: 0, stack: [], packet: packet, steps: [], assumptions: [])
        if let hook = program.chains[start].hook { state.packet.hook = hook }
        return program.chains.withUnsafeBufferPointer { chains in
            program.rules.withUnsafeBufferPointer { rules in
                Walk(walker: self, chains: chains, rules: rules, start: start).run(state)
            }
        }
    }
}

/// One walk through a compiled table: the table's chains and rules seen through pointers
/// that live as long as the walk (no reference counting per rule visited).
private struct Walk {
    let walker: ChainWalker
    let chains: UnsafeBufferPointer<CompiledChain>
    let rules: UnsafeBufferPointer<CompiledRule>
    let start: Int

    typealias State = ChainWalker.State
    var recordsSteps: Bool { walker.recordsSteps }
    static var maximumDepth: Int { ChainWalker.maximumDepth }
    static func percent(_ probability: Double) -> String { ChainWalker.percent(probability) }

    private func step(_ state: inout State, _ kind: @autoclosure () -> TraceStep.Kind, number: Int, kernelType: String?,
                      effect: @autoclosure () -> String? = nil) {
        guard recordsSteps else { return }
        state.steps.append(TraceStep(table: walker.program.name, chain: chains[state.chain].name, number: number, kind: kind(),
                                     depth: state.stack.count, kernelType: kernelType, traced: state.packet.traced, effect: effect()))
    }

    private func result(_ state: borrowing State, _ verdict: StandardVerdict?, undetermined: String? = nil) -> [WalkResult] {
        [WalkResult(verdict: verdict, undetermined: undetermined, packet: state.packet, steps: state.steps, assumptions: state.assumptions,
                    probability: state.probability)]
    }

    func run(_ initial: consuming State) -> [WalkResult] {
        var state = initial
        var budget = 1_000_000
        while budget > 0 {
            budget -= 1
            let ruleCount = chains[state.chain].ruleCount
            if state.rule >= ruleCount {
                // The chain's tail entry: policy of a built-in chain, RETURN of a user chain.
                if chains[state.chain].isBuiltin {
                    let policy = chains[state.chain].policy
                    step(&state, .policy, number: ruleCount + 1, kernelType: "policy", effect: policy.rawValue)
                    return result(state, policy)
                }
                step(&state, .implicitReturn, number: ruleCount + 1, kernelType: "return")
                if state.stack.isEmpty && state.chain == start {
                    // A walk that started in a user chain falls off its end: back to a caller
                    // the walk does not know.
                    return result(state, .return)
                }
                returnFromChain(&state)
                continue
            }
            if let index = chains[state.chain].index, let destination = state.packet.destination {
                // Rules requiring another exact destination cannot match: skip to the next candidate.
                let next = index.next(from: state.rule, destination: destination, end: ruleCount)
                if next != state.rule {
                    if recordsSteps {
                        let reason = "each requires a destination other than \(destination)"
                        let first = state.rule + 1
                        step(&state, next == first ? .skipped(reason) : .skippedRun(through: next, reason: reason),
                             number: first, kernelType: nil)
                    }
                    state.rule = next
                    continue
                }
            }
            let position = chains[state.chain].firstRule + state.rule
            switch decide(position, state.packet) {
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
                return follow(position, state) + run(skipped)
            case .unknown(let reason):
                var skipped = state
                skipped.probability = nil
                state.probability = nil
                skipped.assumptions.append("assumed not: \(reason)")
                step(&skipped, .skipped("assumed not to match: \(reason)"), number: state.rule + 1, kernelType: nil)
                skipped.rule += 1
                state.assumptions.append("assumed: \(reason)")
                return follow(position, state) + run(skipped)
            case .matches:
                if let ended = apply(position, &state) { return ended }
            }
        }
        return result(state, nil, undetermined: "the walk did not end within a million steps")
    }

    /// Runs a matched rule's target and continues the walk from there (a branch).
    private func follow(_ position: Int, _ initial: State) -> [WalkResult] {
        var state = initial
        if let ended = apply(position, &state) { return ended }
        return run(state)
    }

    /// Runs a matched rule's target: the results when the walk ends there, nil to go on
    /// from the updated state.
    private func apply(_ position: Int, _ state: inout State) -> [WalkResult]? {
        let number = state.rule + 1
        let kernelType = rules[position].kernelType
        switch rules[position].target {
        case .none:
            step(&state, .matched, number: number, kernelType: kernelType)
            state.rule += 1
        case .verdict(let verdict):
            step(&state, .matched, number: number, kernelType: kernelType, effect: verdict.rawValue)
            if verdict == .return {
                if state.stack.isEmpty && !chains[start].isBuiltin { return result(state, .return) }
                returnFromChain(&state)
            } else {
                return result(state, verdict)
            }
        case .jump(let target, let name):
            step(&state, .matched, number: number, kernelType: kernelType, effect: "jump " + name)
            if state.stack.count >= Self.maximumDepth { return result(state, .drop, undetermined: "jump stack exhausted") }
            state.stack.append((state.chain, state.rule + 1))
            state.chain = target
            state.rule = 0
        case .goto(let target, let name):
            step(&state, .matched, number: number, kernelType: kernelType, effect: "goto " + name)
            state.chain = target
            state.rule = 0
        case .undefined(let name):
            step(&state, .matched, number: number, kernelType: kernelType, effect: "jump " + name)
            return result(state, nil, undetermined: "jump to undefined chain \(name)")
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
                    if state.stack.isEmpty && !chains[start].isBuiltin { return result(state, .return) }
                    returnFromChain(&state)
                } else {
                    return result(state, verdict)
                }
            }
        }
        return nil
    }

    /// RETURN: back to the caller's next rule, or to the built-in chain's policy entry.
    private func returnFromChain(_ state: inout State) {
        if let caller = state.stack.popLast() {
            state.chain = caller.chain
            state.rule = caller.rule
        } else {
            state.chain = start
            state.rule = chains[start].ruleCount
        }
    }

    /// Header checks, then each match in order: the first that fails or is unknown decides.
    private func decide(_ position: Int, _ packet: Packet) -> MatchOutcome {
        if let opaque = rules[position].opaqueText { return .unknown("a rule verdict could not read: \(opaque)") }
        // A header that decides quickly needs no reason unless the trace shows it.
        switch rules[position].fastHeader.decide(packet) {
        case true?: break
        case false? where !recordsSteps: return .fails("")
        default:
            let header = rules[position].header.evaluate(packet)
            if case .matches = header {} else { return header }
        }
        for match in rules[position].matches {
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
                guard let value = walker.pinned[match.spec.name] else { return outcome }
                if value { continue }
                return .fails("\(reason) (assumed false by --assume)")
            }
        }
        return .matches
    }
}

extension ChainWalker {
    /// A probability as a percentage with at most one decimal: `33.3%`, `50%`.
    public static func percent(_ probability: Double) -> String {
        let tenths = (probability * 1000).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths))%" : "\(tenths)%"
    }
}
