// net/ipv4/netfilter/ip_tables.c (ipt_do_table, trace_packet, get_chainname_rulenum):
// the walk through one table's chains from a hook's built-in chain.

/// Walks a table as ipt_do_table does: rules in order, `-j` pushes a return point, `-g`
/// does not, RETURN or a user chain's end pops (to the built-in chain's policy when the
/// stack is empty), a built-in chain's end applies its policy.
///
/// A packet whose fields are all given takes the concrete path: each rule decides. A
/// packet described in part stands for a set of packets: a rule whose checks read an open
/// field splits the set into the packets it matches and the others (header and matches
/// decided as one conjunction, see `ClassSplit`), each part walks on, and every outcome is
/// a class of packets (`WalkResult.packets`); classes are disjoint and each is consistent
/// with every rule it passed. What the set algebra cannot express becomes a named
/// condition of the class, never a guess.
public struct ChainWalker: Sendable {
    public let program: CompiledTable
    /// Matches the user pinned (`--assume statistic=true`): module name to outcome.
    public var pinned: [String: Bool]
    /// Whether to record the steps (the trace); off, the walk only finds the verdicts.
    public var recordsSteps: Bool
    /// Whether the recorded steps include the rules that did not match, with the reason
    /// (off: only the entries that decided something, enough for the answer lines).
    public var recordsSkippedRules = true

    public init(table: Table, pinned: [String: Bool] = [:], recordsSteps: Bool = true) {
        self.init(program: CompiledTable(table), pinned: pinned, recordsSteps: recordsSteps)
    }

    public init(program: CompiledTable, pinned: [String: Bool] = [:], recordsSteps: Bool = true) {
        self.program = program
        self.pinned = pinned
        self.recordsSteps = recordsSteps
    }

    /// How many nested jumps the walk follows; a deeper walk is reported rather than followed.
    /// verdict's own limit: the kernel's jump stack has a slot per user chain, which a table
    /// without loops never fills (docs/semantics.md, "How deep chains nest").
    static let maximumDepth = 1024
    /// Why a walk deeper than `maximumDepth` has no verdict of its own.
    static let jumpStackExhausted = "jump stack exhausted (more than \(maximumDepth) nested jumps)"

    /// The most packet classes one split may make before the walk gives up on a class.
    static let classLimit = 200_000

    /// Where one part of the walk stands and its outcome so far: the packets it stands for
    /// (`packets`, as they arrived; nil while it is every packet the description stands for),
    /// the packet as the walk changed it, the steps, what the walk did to open fields and the
    /// probability. Where the part's walk ends, the verdict is set and the outcome is its result.
    struct State: PositionedWalk, Sendable {
        var position: WalkPosition
        var outcome: WalkResult
    }

    /// Walks from the built-in chain `chainName` (a hook's chain of this table).
    public func walk(from chainName: String, packet: Packet, packets: PacketSpace? = nil,
                     environment: SymbolicEnvironment = SymbolicEnvironment()) -> [WalkResult] {
        guard let start = program.position(of: chainName) else {
            return [WalkResult(verdict: .accept, undetermined: nil, packet: packet, steps: [], packets: packets,
                               environment: environment)]
        }
        return walk(fromPosition: start, packet: packet, packets: packets, environment: environment)
    }

    /// The fewest rule visits one walk may make before it gives up.
    static let stepLimit = 1_000_000

    /// The rule visits one walk through this table may make: a million, and more in a larger
    /// table, so that a pass over every entry always fits twice (a 1,000,000-rule chain
    /// loads in the kernel). The limit is there for tables without loops that still call
    /// chains from many places, where the visits multiply.
    var stepBudget: Int { ChainWalker.stepLimit + 2 * (program.rules.count + program.chains.count) }

    /// How many parts must wait at once for the walk to spread them over the cores.
    static let partsWalkedAtOnce = 64

    /// One waiting part walked on its own (entered by the chain at `start`) with `budget`
    /// steps: its results and the steps it took. `spreads`: whether the parts it splits into
    /// may be walked on several cores.
    func walkPart(_ part: State, from start: Int, budget: Int,
                  spreads: Bool = false) -> (results: [WalkResult], used: Int) {
        program.chains.withUnsafeBufferPointer { chains in
            program.rules.withUnsafeBufferPointer { rules in
                withUnsafeTemporaryAllocation(of: State.self, capacity: 1) { buffer in
                    guard let slot = buffer.baseAddress else { return ([], 0) }
                    slot.initialize(to: part)
                    var left = budget
                    let results = TableWalk(walker: self, chains: chains, rules: rules, start: start)
                        .run(in: slot, budget: &left, spreads: spreads)
                    return (results, budget - left)
                }
            }
        }
    }

    /// Walks from the chain at this position of the compiled table.
    func walk(fromPosition start: Int, packet: Packet, packets: PacketSpace? = nil,
              environment: SymbolicEnvironment = SymbolicEnvironment(), probability: Double? = 1) -> [WalkResult] {
        program.chains.withUnsafeBufferPointer { chains in
            program.rules.withUnsafeBufferPointer { rules in
                withUnsafeTemporaryAllocation(of: State.self, capacity: 1) { buffer in
                    guard let slot = buffer.baseAddress else { return [] }
                    slot.initialize(to: State(position: WalkPosition(entry: start), outcome: WalkResult(
                        verdict: nil, undetermined: nil, packet: packet, steps: [], probability: probability,
                        packets: packets, environment: environment)))
                    if let hook = chains[start].hook { slot.pointee.outcome.packet.hookState.hook = hook }
                    var budget = stepBudget
                    return TableWalk(walker: self, chains: chains, rules: rules, start: start)
                        .run(in: slot, budget: &budget, spreads: true)
                }
            }
        }
    }
}

/// One walk through a compiled table: the table's chains and rules seen through pointers
/// that live as long as the walk (no reference counting per rule visited).
struct TableWalk {
    let walker: ChainWalker
    let chains: UnsafeBufferPointer<CompiledChain>
    let rules: UnsafeBufferPointer<CompiledRule>
    let start: Int

    typealias State = ChainWalker.State
    var recordsSteps: Bool { walker.recordsSteps }

    var recordsSkips: Bool { walker.recordsSteps && walker.recordsSkippedRules }

    /// Records a rule (or a run of rules) that did not match, when skips are recorded.
    func skip(_ state: inout State, _ reason: @autoclosure () -> String, number: Int, through last: Int? = nil) {
        guard recordsSkips else { return }
        let why = reason()
        step(&state, last.map { .skippedRun(through: $0, reason: why) } ?? .skipped(why), number: number, kernelType: nil)
    }

    func step(_ state: inout State, _ kind: @autoclosure () -> TraceStep.Kind, number: Int, kernelType: String?,
              effect: @autoclosure () -> StepEffect? = nil) {
        guard recordsSteps else { return }
        state.outcome.steps.append(TraceStep(table: walker.program.name, chain: chains[state.chain].name,
                                             number: number, kind: kind(), depth: state.stack.count,
                                             kernelType: kernelType, traced: state.outcome.packet.hookState.traced,
                                             effect: effect()))
    }

    /// How a part's walk ended: its verdict, or why there is none.
    struct Ending {
        var verdict: StandardVerdict?
        var undetermined: String? = nil
    }

    /// Walks every part until it ends, from the one in `slot` (memory the caller owns, left
    /// empty): parts split off wait on a stack, the packets that match a rule first (so that
    /// outcomes come in rule order); `budget` is the steps left. Many parts waiting at once are
    /// walked on the machine's cores (`walkAtOnce`, when `spreads` and there are several),
    /// with the same results.
    ///
    /// The part being walked lives in the slot, not in a variable, so that where it ends its
    /// outcome is moved into the results, not copied: a described packet is copied once per table.
    func run(in slot: UnsafeMutablePointer<State>, budget: inout Int, spreads: Bool) -> [WalkResult] {
        var results: [WalkResult] = []
        var waiting: [State] = []
        var spreads = spreads
        // Whether the slot holds a part (it does not once a part's outcome is taken).
        var occupied = true
        while true {
            if let ending = advance(&slot.pointee, &waiting, &budget) {
                // A walk that never split (a described packet) has this one result.
                if results.isEmpty && waiting.isEmpty { return [Self.take(slot, ending)] }
                results.append(Self.take(slot, ending))
                occupied = false
            }
            // (The cores are counted only here: a walk that never splits this much never asks.)
            if spreads && waiting.count >= ChainWalker.partsWalkedAtOnce && Concurrently.cores > 1 {
                results += walkAtOnce(&waiting, budget: &budget)
                spreads = false
            }
            guard let next = waiting.popLast() else { break }
            if occupied {
                slot.pointee = next
            } else {
                slot.initialize(to: next)
                occupied = true
            }
        }
        if occupied { slot.deinitialize(count: 1) }
        return results
    }

    /// The outcome of the part in `slot`, whose walk ended so, moved out; the slot is left empty.
    private static func take(_ slot: UnsafeMutablePointer<State>, _ ending: Ending) -> WalkResult {
        slot.pointee.outcome.verdict = ending.verdict
        slot.pointee.outcome.undetermined = ending.undetermined
        _ = withUnsafeMutablePointer(to: &slot.pointee.position) { $0.deinitialize(count: 1) }
        return withUnsafeMutablePointer(to: &slot.pointee.outcome) { $0.move() }
    }

    /// Walks the waiting parts on the machine's cores, each on its own with the steps left,
    /// and takes their results in the order `run` would have made them (the last part
    /// first). From the first part that the steps left would not have covered in turn, the
    /// parts stay waiting, for `run` to walk one by one as it would have.
    private func walkAtOnce(_ waiting: inout [State], budget: inout Int) -> [WalkResult] {
        let parts = Array(waiting.reversed())
        let (walker, start, left) = (self.walker, self.start, budget)
        let walked = Concurrently.map(parts) { part in walker.walkPart(part, from: start, budget: left) }
        var results: [WalkResult] = []
        for (index, part) in walked.enumerated() {
            guard part.used <= budget else {
                waiting = parts[index...].reversed()
                return results
            }
            budget -= part.used
            results += part.results
        }
        waiting = []
        return results
    }

    /// Walks one part until it ends (its result) or splits (nil: the parts wait).
    private func advance(_ state: inout State, _ waiting: inout [State], _ budget: inout Int) -> Ending? {
        while budget > 0 {
            budget -= 1
            let ruleCount = chains[state.chain].ruleCount
            if state.rule >= ruleCount {
                // The chain's tail entry: policy of a built-in chain, RETURN of a user chain.
                if chains[state.chain].isBuiltin {
                    let policy = chains[state.chain].policy
                    step(&state, .policy, number: ruleCount + 1, kernelType: "policy", effect: .verdict(policy))
                    return Ending(verdict: policy)
                }
                step(&state, .implicitReturn, number: ruleCount + 1, kernelType: "return")
                // A walk that started in a user chain falls off its end: back to a caller
                // the walk does not know.
                if returnFromChain(&state) == .outOfTable { return Ending(verdict: .return) }
                continue
            }
            if let index = chains[state.chain].index {
                switch skipByIndex(index, &state, &waiting) {
                case .skipped: continue
                case .split: return nil
                case .none: break
                }
            }
            let position = chains[state.chain].firstRule + state.rule
            switch check(position, state.outcome.packet) {
            case .fails(let reason):
                skip(&state, reason, number: state.rule + 1)
                state.rule += 1
            case .matches:
                if let ended = apply(position, &state, &waiting) { return ended }
            case .undecided(let parts):
                if case .none = rules[position].target {
                    // A rule without a target changes nothing: the packets go on the same way
                    // whether it matches or not, so the class is not split (14 such rules with
                    // matches the algebra cannot express made 16,384 classes of one outcome).
                    if recordsSkips {
                        let family = state.outcome.packet.family
                        step(&state, .mayMatch(text(of: parts, position, family: family)), number: state.rule + 1,
                             kernelType: nil)
                    }
                    state.rule += 1
                    continue
                }
                switch split(position, parts, state) {
                case .none(let reason):
                    skip(&state, reason, number: state.rule + 1)
                    state.rule += 1
                case .all(let packets):
                    state.outcome.packets = packets
                    if let ended = apply(position, &state, &waiting) { return ended }
                case .parts(let matched, let rest, let reason):
                    for var part in rest.reversed() {
                        skip(&part, reason, number: part.rule + 1)
                        part.rule += 1
                        waiting.append(part)
                    }
                    state = matched
                    if let ended = apply(position, &state, &waiting) { return ended }
                case .tooComplex:
                    return Ending(verdict: nil, undetermined: "more than \(ChainWalker.classLimit) packet classes at "
                                  + "\(walker.program.name)/\(chains[state.chain].name) rule \(state.rule + 1)")
                }
            }
        }
        return Ending(verdict: nil, undetermined: "the walk did not end within \(walker.stepBudget) steps")
    }

    /// Runs a matched rule's target: the result when the walk ends there, nil to go on
    /// from the updated state (parts split off by the target wait).
    private func apply(_ position: Int, _ state: inout State, _ waiting: inout [State]) -> Ending? {
        let number = state.rule + 1
        let kernelType = rules[position].kernelType
        switch rules[position].target {
        case .none:
            step(&state, .matched, number: number, kernelType: kernelType)
            state.rule += 1
        case .verdict(let verdict):
            step(&state, .matched, number: number, kernelType: kernelType, effect: .verdict(verdict))
            if verdict == .return {
                if returnFromChain(&state) == .outOfTable { return Ending(verdict: .return) }
            } else {
                return Ending(verdict: verdict)
            }
        case .jump(let target, let name):
            step(&state, .matched, number: number, kernelType: kernelType, effect: .jump(name))
            if state.stack.count >= ChainWalker.maximumDepth {
                return Ending(verdict: .drop, undetermined: ChainWalker.jumpStackExhausted)
            }
            state.position.jump(to: target)
        case .goto(let target, let name):
            step(&state, .matched, number: number, kernelType: kernelType, effect: .goto(name))
            state.position.goto(target)
        case .undefined(let name):
            step(&state, .matched, number: number, kernelType: kernelType, effect: .jump(name))
            return Ending(verdict: nil, undetermined: "jump to undefined chain \(name)")
        case .extension(let call):
            guard let applyTarget = call.spec.apply else {
                step(&state, .matched, number: number, kernelType: kernelType, effect: .target(call.id))
                return Ending(verdict: nil, undetermined: "target \(call.spec.name) is not modelled yet")
            }
            // A target that needs to know whether the packets have a connection splits
            // packets whose state is open by state first.
            if rules[position].action.readsConnection, state.outcome.packet.conntrack.state == nil,
               !state.outcome.packet.conntrack.beforeConntrack {
                let parts = splitByState(state)
                guard let first = parts.first else { return nil }
                for part in parts.dropFirst().reversed() { waiting.append(part) }
                state = first
            }
            step(&state, .matched, number: number, kernelType: kernelType,
                 effect: call.spec.answer.map { .answers(call.id, with: $0(call)) } ?? .target(call.id))
            if recordsSteps, case .nat(let call) = rules[position].action {
                let last = state.outcome.steps.count - 1
                let packet = (hook: state.outcome.packet.hookState.hook, family: state.outcome.packet.family)
                for (field, _) in SymbolicAction.natRewrites(call, hook: packet.hook, family: packet.family) {
                    if field == .source || field == .sourcePort { state.outcome.steps[last].rewritesSource = true }
                    if field == .destination || field == .destinationPort {
                        state.outcome.steps[last].rewritesDestination = true
                    }
                }
            }
            let before = state.outcome.packet
            let effect = applyTarget(call, &state.outcome.packet)
            if recordsSteps, state.outcome.packet.mark != before.mark, !state.outcome.steps.isEmpty {
                state.outcome.steps[state.outcome.steps.count - 1].markAfter = state.outcome.packet.mark
            }
            follow(rules[position].action, before: before, &state)
            switch effect {
            case .continue:
                state.rule += 1
            case .verdict(let verdict):
                if verdict == .return {
                    if returnFromChain(&state) == .outOfTable { return Ending(verdict: .return) }
                } else {
                    return Ending(verdict: verdict)
                }
            }
        }
        return nil
    }

    /// RETURN: back to the caller's next rule, or to the built-in chain's policy entry.
    private func returnFromChain(_ state: inout State) -> WalkPosition.Return {
        state.position.returnFromChain(entryIsBuiltin: chains[start].isBuiltin, entryRuleCount: chains[start].ruleCount)
    }
}

extension ChainWalker {
    /// A probability as a percentage with at most one decimal: `33.3%`, `50%`.
    public static func percent(_ probability: Double) -> String {
        let tenths = (probability * 1000).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths))%" : "\(tenths)%"
    }
}
