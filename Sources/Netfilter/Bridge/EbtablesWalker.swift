import Foundation

// net/bridge/netfilter/ebtables.c (ebt_do_table, ebt_basic_match), ebt_ip.c, ebt_mark_m.c,
// ebt_log.c, ebt_mark.c: the walk through one ebtables table from a bridge hook's chain.

/// What an ebtables walk saw and decided.
public struct EbtablesResult: Sendable, Hashable {
    /// ACCEPT or DROP; nil when the walk could not be decided.
    public var verdict: StandardVerdict?
    /// The lines the log and nflog watchers printed (their prefixes), in order.
    public var logLines: [String]
    /// One readable line per rule visited.
    public var steps: [String]
    public var packet: Packet
    public var assumptions: [String]
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
    public static func walk(_ table: EbtablesTable, chain start: String, packet: Packet, devices: BridgeDevices) -> [EbtablesResult] {
        guard table.chain(named: start) != nil else {
            return [EbtablesResult(verdict: .accept, logLines: [], steps: [], packet: packet, assumptions: [])]
        }
        let initial = EbtablesResult(verdict: nil, logLines: [], steps: [], packet: packet, assumptions: [])
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
                state.steps.append("jump to undefined chain \(chainName)")
                return [state]
            }
            let place = "eb \(table.name)/\(chainName)"
            if position >= current.rules.count {
                let builtin = EbtablesTable.builtinChains(of: table.name).contains(chainName)
                let policy = current.policy.uppercased()
                state.steps.append("\(place) policy \(policy)")
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
            switch matches(rule, state.packet, devices) {
            case .fails(let reason):
                state.steps.append("\(place) #\(number) \(rule.text): no match (\(reason))")
                position += 1
                continue
            case .unknown(let reason), .chance(_, let reason):
                var skipped = state
                skipped.assumptions.append("assumed not: \(reason)")
                skipped.steps.append("\(place) #\(number) \(rule.text): assumed not to match (\(reason))")
                state.assumptions.append("assumed: \(reason)")
                state.steps.append("\(place) #\(number) \(rule.text): assumed to match (\(reason))")
                return follow(table, rule, chain: chainName, position: position, stack: stack, state: state, devices: devices, budget: budget)
                    + run(table, chain: chainName, rule: position + 1, stack: stack, state: skipped, devices: devices, budget: budget)
            case .matches:
                state.steps.append("\(place) #\(number) \(rule.text): match -> \(rule.target)")
                return follow(table, rule, chain: chainName, position: position, stack: stack, state: state, devices: devices, budget: budget)
            }
        }
        state.verdict = nil
        state.steps.append("the walk did not end")
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
                state.steps.append("target \(target) is not modelled")
                return [state]
            }
            stack.append((chain, position + 1))
            return run(table, chain: target, rule: 0, stack: stack, state: state, devices: devices, budget: budget)
        }
    }

    /// ebt_basic_match, then the ip and mark matches.
    static func matches(_ rule: EbtablesRule, _ packet: Packet, _ devices: BridgeDevices) -> MatchOutcome {
        if let type = rule.etherType {
            let actual: UInt16 = packet.family == .ipv6 ? 0x86DD : 0x0800
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
            guard let mac else { return .unknown("\(option): the frame's MAC address is not known") }
            if (mac.value & condition.value.mask == condition.value.address) == condition.negated { return .fails("\(option): MAC \(mac)") }
        }
        for (option, condition, address) in [("--ip-src", rule.ipSource, packet.source), ("--ip-dst", rule.ipDestination, packet.destination)] {
            guard let condition else { continue }
            guard let address else { return .unknown("\(option): the address is not known") }
            if condition.value.contains(address) == condition.negated { return .fails("\(option) \(condition.value): \(address)") }
        }
        if let proto = rule.ipProtocol {
            guard let actual = packet.protocol else { return .unknown("--ip-proto: the protocol is not known") }
            if (actual == proto.value) == proto.negated { return .fails("--ip-proto \(proto.value): protocol \(actual)") }
        }
        for (option, condition, port) in [("--ip-sport", rule.ipSourcePort, packet.sourcePort), ("--ip-dport", rule.ipDestinationPort, packet.destinationPort)] {
            guard let condition else { continue }
            guard let port else { return .unknown("\(option): the port is not known") }
            if (condition.value.first...condition.value.last).contains(port) == condition.negated { return .fails("\(option): port \(port)") }
        }
        if let mark = rule.mark, (packet.mark & mark.value.mask == mark.value.value) == mark.negated {
            return .fails("--mark: mark 0x\(String(packet.mark, radix: 16))")
        }
        if let option = rule.unmodelled.first { return .unknown("\(option) is not modelled yet") }
        return .matches
    }
}
