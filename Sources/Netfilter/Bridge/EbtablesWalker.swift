import Foundation

// net/bridge/netfilter/ebtables.c (ebt_do_table, ebt_basic_match), ebt_ip.c, ebt_mark_m.c,
// ebt_log.c, ebt_mark.c: the walk through one ebtables table from a bridge hook's chain.

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
                return followed + run(table, chain: chainName, rule: position + 1, stack: stack, state: skipped, devices: devices,
                                      budget: budget)
            case .matches:
                state.steps.append(step(.matched(target: rule.target)))
                return follow(table, rule, chain: chainName, position: position, stack: stack, state: state, devices: devices, budget: budget)
            }
        }
        state.verdict = nil
        state.steps.append(EbtablesStep(table: table.name, chain: chainName, kind: .unfinished))
        return [state]
    }

    /// Runs a matched rule's watchers and target, and the rest of the walk.
    private static func follow(_ table: EbtablesTable, _ rule: EbtablesRule, chain: String, position: Int, stack: [(String, Int)],
                               state initial: EbtablesResult, devices: BridgeDevices, budget: Int) -> [EbtablesResult] {
        var state = initial
        if let prefix = rule.logPrefix { state.logLines.append(prefix.trimmingCharacters(in: .whitespaces)) }
        if let prefix = rule.nflogPrefix { state.logLines.append(prefix.trimmingCharacters(in: .whitespaces)) }
        var stack = stack
        var target = rule.target
        switch rule.target.lowercased() {
        case "mark":
            if let text = rule.targetOptions["mark-set"] ?? rule.targetOptions["set-mark"], let mark = EbtablesParser.parseUnsignedNumber(text) {
                state.packet.mark = mark
                state.packet.open.remove(.mark)
                state.environment.rewrites[.mark] = nil
            }
            target = rule.targetOptions["mark-target"] ?? "ACCEPT"
        case "redirect", "dnat", "snat", "arpreply":
            target = rule.targetOptions["\(rule.target.lowercased())-target"] ?? "ACCEPT"
        default: break
        }
        switch target.uppercased() {
        case "ACCEPT":
            state.verdict = .accept
            return [state]
        case "DROP":
            state.verdict = .drop
            return [state]
        case "CONTINUE":
            return run(table, chain: chain, rule: position + 1, stack: stack, state: state, devices: devices, budget: budget)
        case "RETURN":
            guard let caller = stack.popLast() else {
                // RETURN in a built-in chain: its policy.
                let policy = table.chain(named: chain)?.policy.uppercased() ?? "ACCEPT"
                state.verdict = policy == "DROP" ? .drop : .accept
                return [state]
            }
            return run(table, chain: caller.0, rule: caller.1, stack: stack, state: state, devices: devices, budget: budget)
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

    /// What a rule's checks say of packets whose fields may be open.
    enum Check {
        case matches
        case fails(String)
        /// Some checks read open fields (and none fails): the packets they match.
        case undecided(PacketSpace)
    }

    /// ebt_basic_match, then the ip and mark matches: one conjunction, a failing check
    /// decides whatever the others leave open; the open ones as a set of packets (a MAC the
    /// description does not give, an option verdict does not model: a condition named by
    /// the rule's place).
    static func check(_ rule: EbtablesRule, _ packet: Packet, _ devices: BridgeDevices, place: String) -> Check {
        let family = packet.family
        var space = PacketSpace.all(family)
        var undecided = false
        func restrict(_ part: PacketSpace) {
            undecided = true
            space = space.intersection(part)
        }
        func set(_ field: PacketField, _ values: FieldSet, negated: Bool) -> PacketSpace {
            .where(field, negated ? field.full(family).subtracting(values) : values, family: family)
        }
        if let type = rule.etherType {
            let actual: UInt16 = family == .ipv6 ? 0x86DD : 0x0800
            if (actual == type.value) == type.negated { return .fails("-p \(String(type.value, radix: 16)): the frame is \(String(actual, radix: 16))") }
        }
        for (option, condition, device) in [("-i", rule.inInterface, devices.inPort), ("-o", rule.outInterface, devices.outPort),
                                            ("--logical-in", rule.logicalIn, devices.inPort == nil ? nil : devices.bridge),
                                            ("--logical-out", rule.logicalOut, devices.outPort == nil ? nil : devices.bridge)] {
            guard let condition else { continue }
            if condition.value.matches(device ?? "") == condition.negated {
                return .fails("\(option) \(condition.value): device is \(device ?? "none")")
            }
        }
        for (option, condition, mac) in [("-s", rule.sourceMAC, packet.sourceMAC), ("-d", rule.destinationMAC, packet.destinationMAC)] {
            guard let condition else { continue }
            guard let mac else {
                restrict(.condition("\(place) \(option) (the frame's MAC address)", family: family))
                continue
            }
            if (mac.value & condition.value.mask == condition.value.address) == condition.negated { return .fails("\(option): MAC \(mac)") }
        }
        for (option, condition, mac) in [("--among-src", rule.amongSource, packet.sourceMAC),
                                         ("--among-dst", rule.amongDestination, packet.destinationMAC)] {
            guard let condition else { continue }
            guard let mac else {
                restrict(.condition("\(place) \(option) (the frame's MAC address)", family: family))
                continue
            }
            if condition.value.contains(mac.value) == condition.negated { return .fails("\(option): MAC \(mac)") }
        }
        if let tos = rule.ipTOS {
            if let actual = packet.tos {
                if (actual == tos.value) == tos.negated { return .fails("--ip-tos: TOS 0x\(String(actual, radix: 16))") }
            } else {
                restrict(.condition("\(place) --ip-tos 0x\(String(tos.value, radix: 16))", family: family))
            }
        }
        for (option, condition, address, field) in [("--ip-src", rule.ipSource, packet.source, PacketField.source),
                                                    ("--ip-dst", rule.ipDestination, packet.destination, .destination)] {
            guard let condition else { continue }
            guard let address else {
                if let addresses = RuleSpace.addresses(condition.value) {
                    restrict(set(field, .intervals(addresses), negated: condition.negated))
                } else {
                    restrict(.condition("\(place) \(option) \(condition.value)", family: family))
                }
                continue
            }
            if condition.value.contains(address) == condition.negated { return .fails("\(option) \(condition.value): \(address)") }
        }
        if let proto = rule.ipProtocol {
            if let actual = packet.protocol {
                if (actual == proto.value) == proto.negated { return .fails("--ip-proto \(proto.value): protocol \(actual)") }
            } else {
                restrict(set(.protocol, .intervals(IntervalSet(value: UInt128(proto.value))), negated: proto.negated))
            }
        }
        for (option, condition, port, field) in [("--ip-sport", rule.ipSourcePort, packet.sourcePort, PacketField.sourcePort),
                                                 ("--ip-dport", rule.ipDestinationPort, packet.destinationPort, .destinationPort)] {
            guard let condition else { continue }
            guard let port else {
                let ports = IntervalSet(UInt128(condition.value.first), UInt128(condition.value.last))
                restrict(set(field, .intervals(ports), negated: condition.negated))
                continue
            }
            if (condition.value.first...condition.value.last).contains(port) == condition.negated { return .fails("\(option): port \(port)") }
        }
        if let mark = rule.mark {
            if packet.open.contains(.mark) {
                let marks = TernarySet(value: UInt64(mark.value.value), mask: UInt64(mark.value.mask))
                restrict(set(.mark, .ternary(marks), negated: mark.negated))
            } else if (packet.mark & mark.value.mask == mark.value.value) == mark.negated {
                return .fails("--mark: mark 0x\(String(packet.mark, radix: 16))")
            }
        }
        for option in rule.unmodelled { restrict(.condition("\(place) \(option)", family: family)) }
        return undecided ? .undecided(space) : .matches
    }
}
