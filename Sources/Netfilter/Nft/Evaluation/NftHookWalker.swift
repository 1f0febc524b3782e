// net/netfilter/core.c (nf_hook_slow: each hook entry in priority order; NF_ACCEPT goes on
// to the next one, NF_DROP ends the packet), net/netfilter/nf_nat_core.c (nf_nat_inet_fn:
// the nat chains see a connection's first packet, once per manip type),
// nf_conntrack_proto.c (conntrack at priority -200: chains below it see no connection).

/// Walks packets through the nft base chains of one hook, or of several hooks in the order a
/// packet passes them (`prerouting, input`), carrying what each chain did to the packets.
public struct NftHookWalker: Sendable {
    public let program: NftProgram

    public init(_ ruleset: NftRuleset) { program = NftProgram(ruleset) }

    /// nf_conntrack's priority at PREROUTING and OUTPUT (NF_IP_PRI_CONNTRACK).
    static let conntrackPriority = -200

    /// The outcomes, one per class of the packets, after every hook in `hooks`: the walk of a
    /// class ends at the first hook that does not accept it. The packet's devices are its
    /// description's, where each hook has them: an input device at every hook of a packet
    /// that came in (none at OUTPUT, nor at POSTROUTING after it), an output device at FORWARD,
    /// OUTPUT and POSTROUTING.
    public func walk(hooks: [Hook], packet: Packet, packets: PacketSpace? = nil) -> [NftResult] {
        let cameIn = hooks.first != .output
        var pending = [NftResult(packet: packet, packets: packets)]
        var done: [NftResult] = []
        for hook in hooks {
            var next: [NftResult] = []
            for var state in pending {
                state.packet.hookState.hook = hook
                state.packet.hookState.inInterface = cameIn && hook != .output ? packet.hookState.inInterface : ""
                state.packet.hookState.outInterface = hook.hasOutputDevice ? packet.hookState.outInterface : ""
                state.verdict = .accept
                for result in walk(hook: hook, state) {
                    if result.verdict == .accept { next.append(result) } else { done.append(result) }
                }
            }
            pending = next
        }
        return pending + done
    }

    /// Every base chain at the hook for the class, in order. The nat chains run until one
    /// sets up a mapping (nf_nat_inet_fn); after them the connection's mapping of this manip
    /// type is decided either way (a null binding when none did).
    func walk(hook: Hook, _ arriving: NftResult) -> [NftResult] {
        var pending = [arriving]
        var consultedNAT = false
        for base in program.baseChains(at: hook, family: arriving.packet.family) {
            let table = program.tables[base.table]
            let early = (hook == .prerouting || hook == .output) && base.position < Self.conntrackPriority
            let walker = NftWalker(program: program, table: table, hook: hook, beforeConntrack: early)
            consultedNAT = consultedNAT || base.isNAT
            pending = pending.flatMap { state -> [NftResult] in
                guard state.verdict == .accept else { return [state] }
                if base.isNAT { return nat(base, walker, state) }
                return enter(base, walker, state)
            }
        }
        guard consultedNAT, program.tracksConnections else { return pending }
        return pending.map { result in
            var result = result
            result.packet.conntrack.decideNAT(destination: hook.natRewritesDestination)
            return result
        }
    }

    /// The chain walked for the class: its entry recorded, then its rules.
    private func enter(_ base: NftProgram.BaseChain, _ walker: NftWalker, _ state: NftResult) -> [NftResult] {
        var state = state
        state.verdict = nil
        state.steps.append(NftStep(family: walker.family, table: walker.table.table.name, chain: base.chain.name,
                                   kind: .enter(hook: walker.hook, packet: NftPacketLine.text(state.packet)),
                                   traced: state.packet.hookState.traced, mark: nil))
        if walker.beforeConntrack { state.packet.conntrack.beforeConntrack = true }
        return walker.walk(base, state).map { result in
            var result = result
            if walker.beforeConntrack { result.packet.conntrack.beforeConntrack = false }
            return result
        }
    }

    /// A nat chain: only a connection's first packet, only where connections are tracked, and
    /// once per manip type; the others pass it by.
    private func nat(_ base: NftProgram.BaseChain, _ walker: NftWalker, _ state: NftResult) -> [NftResult] {
        let destination = walker.hook.natRewritesDestination
        let conntrack = state.packet.conntrack
        let decided = destination ? conntrack.destinationNATDecided : conntrack.sourceNATDecided
        guard program.tracksConnections, !decided else { return [state] }
        func first(_ state: NftResult) -> [NftResult] { enter(base, walker, state) }
        switch conntrack.state {
        case .new?: return first(state)
        case nil:
            let family = state.packet.family
            let packets = state.packets ?? .all(family)
            let new = state.environment.firstPackets(family)
            var parts: [NftResult] = []
            let firstPackets = packets.intersection(new)
            if !firstPackets.isEmpty {
                var part = state
                part.packets = firstPackets
                part.packet.pin(from: firstPackets, environment: state.environment)
                parts += first(part)
            }
            if let others = packets.subtracting(new), !others.isEmpty {
                var part = state
                part.packets = others
                part.packet.pin(from: others, environment: state.environment)
                parts.append(part)
            }
            return parts
        default:
            return [state]
        }
    }
}

/// The `packet:` line of nft's trace, cut to the fields verdict models, in nft's order:
/// `iif "eth0" oif "eth1" ip saddr A ip daddr B tcp sport N tcp dport M` (an open field
/// is left out).
public enum NftPacketLine {
    public static func text(_ packet: Packet) -> String {
        var words: [String] = []
        let hook = packet.hookState.hook
        if hook?.hasInputDevice ?? true, let device = packet.hookState.inInterface, !device.isEmpty {
            words.append("iif \"\(device)\"")
        }
        if hook?.hasOutputDevice ?? true, let device = packet.hookState.outInterface, !device.isEmpty {
            words.append("oif \"\(device)\"")
        }
        let ip = packet.family == .ipv6 ? "ip6" : "ip"
        if let source = packet.source { words.append("\(ip) saddr \(source)") }
        if let destination = packet.destination { words.append("\(ip) daddr \(destination)") }
        switch packet.protocol {
        case IPProtocol.tcp?, IPProtocol.udp?:
            let name = packet.protocol == IPProtocol.tcp ? "tcp" : "udp"
            if let port = packet.sourcePort { words.append("\(name) sport \(port)") }
            if let port = packet.destinationPort { words.append("\(name) dport \(port)") }
        case IPProtocol.icmp?, IPProtocol.icmpv6?:
            let v6 = packet.protocol == IPProtocol.icmpv6
            if let type = packet.icmpType {
                let names = v6 ? NftValues.icmpv6Types : NftValues.icmpTypes
                let name = names.filter { $0.value == type }.map(\.key).sorted().first ?? String(type)
                words.append("\(v6 ? "icmpv6" : "icmp") type \(name)")
            }
        default:
            break
        }
        return words.joined(separator: " ")
    }
}
