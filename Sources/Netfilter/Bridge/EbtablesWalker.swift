import Foundation

// net/bridge/netfilter/ebtables.c (ebt_do_table): the walk through one ebtables table from a
// bridge hook's chain; each match, watcher and target is its module's (Bridge/Extensions).

/// What an ebtables walk saw and decided.
public struct EbtablesResult: Sendable, Hashable {
    /// ACCEPT or DROP; nil when the walk could not be decided.
    public var verdict: StandardVerdict?
    /// The lines the log and nflog watchers printed (their prefixes), in order.
    public var logLines: [String]
    /// One entry per rule visited, policy and stop.
    public var steps: [EbtablesStep]
    public var packet: Packet
    /// The packets this outcome is for (nil: every packet the walk was given), split where
    /// a rule tests what their description left open.
    public var packets: PacketSpace?
    /// What earlier walks did to the open fields (see `SymbolicEnvironment`).
    public var environment = SymbolicEnvironment()
}

/// The devices a bridge hook gives ebtables: `-i`/`-o` are the bridge ports,
/// `--logical-in`/`--logical-out` the bridge.
public struct BridgeDevices: Sendable, Hashable {
    public var inPort: String?
    public var outPort: String?
    public var bridge: String

    public init(inPort: String?, outPort: String?, bridge: String) {
        self.inPort = inPort
        self.outPort = outPort
        self.bridge = bridge
    }
}

/// Walks ebtables chains as ebt_do_table does: rules in order; a matching rule runs its
/// watchers, then its target: ACCEPT and DROP end the table, CONTINUE goes on, RETURN
/// goes back to the calling chain, a user chain is jumped to; a user chain's end applies
/// its policy (RETURN by default), a built-in chain's end its policy.
public enum EbtablesWalker {
    public static func walk(_ table: EbtablesTable, chain start: String, packet: Packet, devices: BridgeDevices,
                            packets: PacketSpace? = nil, environment: SymbolicEnvironment = SymbolicEnvironment())
        -> [EbtablesResult] {
        let initial = EbtablesResult(verdict: nil, logLines: [], steps: [], packet: packet, packets: packets,
                                     environment: environment)
        guard table.chain(named: start) != nil else {
            var accepted = initial
            accepted.verdict = .accept
            return [accepted]
        }
        return run(table, chain: start, rule: 0, stack: [], state: initial, devices: devices, budget: 10_000)
    }

    private static func run(_ table: EbtablesTable, chain: String, rule start: Int, stack: [(String, Int)],
                            state initial: EbtablesResult, devices: BridgeDevices, budget: Int) -> [EbtablesResult] {
        var state = initial
        var chainName = chain
        var position = start
        var stack = stack
        var budget = budget
        while budget > 0 {
            budget -= 1
            guard let current = table.chain(named: chainName) else {
                state.verdict = nil
                state.steps.append(EbtablesStep(table: table.name, chain: chainName, kind: .undefinedJump))
                return [state]
            }
            let place = "eb \(table.name)/\(chainName)"
            if position >= current.rules.count {
                let builtin = EbtablesTable.builtinChains(of: table.name).contains(chainName)
                let policy = current.policy.uppercased()
                state.steps.append(EbtablesStep(table: table.name, chain: chainName, kind: .policy(policy)))
                if builtin || policy == "ACCEPT" || policy == "DROP" {
                    state.verdict = policy == "DROP" ? .drop : .accept
                    return [state]
                }
                // RETURN (or CONTINUE) at a user chain's end: back to the caller.
                guard let caller = stack.popLast() else {
                    state.verdict = .accept
                    return [state]
                }
                (chainName, position) = caller
                continue
            }
            let rule = current.rules[position]
            let number = position + 1
            func step(_ kind: EbtablesStep.Kind) -> EbtablesStep {
                EbtablesStep(table: table.name, chain: chainName, number: number, ruleText: rule.text, kind: kind)
            }
            switch check(rule, state.packet, devices, place: "\(place) #\(number)") {
            case .fails(let reason):
                state.steps.append(step(.skipped(reason: reason)))
                position += 1
                continue
            case .undecided(let space):
                // The rule tests what the packets' description left open: split them.
                let family = state.packet.family
                let packets = state.packets ?? .all(family)
                guard let (matched, rest) = state.environment.divide(packets, by: space.specialized(by: state.packet),
                                                                     beforeConntrack: false,
                                                                     ruleText: "\(place) #\(number) \(rule.text)",
                                                                     limit: ChainWalker.classLimit) else {
                    state.verdict = nil
                    state.steps.append(EbtablesStep(table: table.name, chain: chainName, number: number,
                                                    kind: .tooManyClasses(limit: ChainWalker.classLimit)))
                    return [state]
                }
                if matched.isEmpty {
                    state.steps.append(step(.skipped(reason: "none of these packets")))
                    position += 1
                    continue
                }
                var taken = state
                taken.packets = matched
                taken.packet.pin(from: matched, environment: taken.environment)
                taken.steps.append(step(.matched(target: rule.target)))
                let followed = follow(table, rule, chain: chainName, position: position, stack: stack, state: taken,
                                      devices: devices, budget: budget)
                if rest.isEmpty { return followed }
                var skipped = state
                skipped.packets = rest
                skipped.packet.pin(from: rest, environment: skipped.environment)
                skipped.steps.append(step(.skipped(reason: "not these packets")))
                return followed + run(table, chain: chainName, rule: position + 1, stack: stack, state: skipped,
                                      devices: devices, budget: budget)
            case .matches:
                state.steps.append(step(.matched(target: rule.target)))
                return follow(table, rule, chain: chainName, position: position, stack: stack, state: state,
                              devices: devices, budget: budget)
            }
        }
        state.verdict = nil
        state.steps.append(EbtablesStep(table: table.name, chain: chainName, kind: .unfinished))
        return [state]
    }

    /// Runs a matched rule's watchers and target, and the rest of the walk.
    private static func follow(_ table: EbtablesTable, _ rule: EbtablesRule, chain: String, position: Int,
                               stack: [(String, Int)],
                               state initial: EbtablesResult, devices: BridgeDevices, budget: Int) -> [EbtablesResult] {
        var state = initial
        state.logLines += rule.watchers.compactMap { $0.base.logLine() }
        var stack = stack
        let target = rule.action.map { $0.base.apply(to: &state) } ?? rule.target
        switch target.uppercased() {
        case "ACCEPT":
            state.verdict = .accept
            return [state]
        case "DROP":
            state.verdict = .drop
            return [state]
        case "CONTINUE":
            return run(table, chain: chain, rule: position + 1, stack: stack, state: state, devices: devices,
                       budget: budget)
        case "RETURN":
            guard let caller = stack.popLast() else {
                // RETURN in a built-in chain: its policy.
                let policy = table.chain(named: chain)?.policy.uppercased() ?? "ACCEPT"
                state.verdict = policy == "DROP" ? .drop : .accept
                return [state]
            }
            return run(table, chain: caller.0, rule: caller.1, stack: stack, state: state, devices: devices,
                       budget: budget)
        default:
            guard table.chain(named: target) != nil else {
                state.verdict = nil
                state.steps.append(EbtablesStep(table: table.name, chain: chain, kind: .unmodelledTarget(target)))
                return [state]
            }
            stack.append((chain, position + 1))
            return run(table, chain: target, rule: 0, stack: stack, state: state, devices: devices, budget: budget)
        }
    }

    /// ebt_basic_match, then each match in turn: one conjunction, a failing check decides
    /// whatever the others leave open; the open ones as a set of packets.
    static func check(_ rule: EbtablesRule, _ packet: Packet, _ devices: BridgeDevices,
                      place: String) -> EbtablesCheck {
        var open = EbtablesOpenConditions(packet.family)
        func failure(_ check: EbtablesCheck) -> String? {
            switch check {
            case .matches: return nil
            case .fails(let reason): return reason
            case .undecided(let part):
                open.restrict(part)
                return nil
            }
        }
        if let reason = failure(EbtBasic.check(rule, packet, devices, place: place)) { return .fails(reason) }
        for match in rule.matches {
            if let reason = failure(match.base.check(packet, place: place)) { return .fails(reason) }
        }
        return open.result
    }
}
