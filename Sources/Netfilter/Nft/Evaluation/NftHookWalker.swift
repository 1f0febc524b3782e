// net/netfilter/core.c (nf_hook_slow: each hook entry in priority order; NF_ACCEPT goes on
// to the next one, NF_DROP ends the packet), net/netfilter/nf_nat_core.c (nf_nat_inet_fn:
// the nat chains see a connection's first packet, once per manip type),
// nf_conntrack_proto.c (conntrack at priority -200: chains below it see no connection).

/// Walks packets through the nft base chains of one hook, or of several hooks in the order a
/// packet passes them (`prerouting, input`), carrying what each hook did to the packets. A
/// hook's walk is `HookEvaluator`'s, with no iptables tables.
public struct NftHookWalker: Sendable {
    public let program: NftProgram
    private let evaluators: [HookEvaluator]

    /// `recordsSkippedRules`: whether the steps include the rules that did not match.
    public init(_ ruleset: NftRuleset, recordsSkippedRules: Bool = true) {
        program = NftProgram(ruleset)
        evaluators = Family.allCases.map { family in
            HookEvaluator(Ruleset(family: family), nft: ruleset, recordsSkippedRules: recordsSkippedRules)
        }
    }

    /// nf_conntrack's priority at PREROUTING and OUTPUT (NF_IP_PRI_CONNTRACK).
    static let conntrackPriority = -200

    /// The outcomes, one per class of the packets, after every hook in `hooks`: the walk of a
    /// class ends at the first hook that does not accept it. The packet's devices are its
    /// description's, where each hook has them: an input device at every hook of a packet
    /// that came in (none at OUTPUT, nor at POSTROUTING after it), an output device at FORWARD,
    /// OUTPUT and POSTROUTING.
    public func walk(hooks: [Hook], packet: Packet, packets: PacketSpace? = nil) -> [WalkResult] {
        guard let evaluator = evaluators.first(where: { $0.family == packet.family }) else { return [] }
        let cameIn = hooks.first != .output
        var pending = [WalkResult(verdict: .accept, undetermined: nil, packet: packet, steps: [], packets: packets)]
        var done: [WalkResult] = []
        for hook in hooks {
            var next: [WalkResult] = []
            for earlier in pending {
                var arriving = earlier.packet
                arriving.hookState.inInterface = cameIn && hook != .output ? packet.hookState.inInterface : ""
                arriving.hookState.outInterface = hook.hasOutputDevice ? packet.hookState.outInterface : ""
                for var result in evaluator.walk(hook: hook, packet: arriving, packets: earlier.packets,
                                                 environment: earlier.environment, probability: earlier.probability) {
                    result.steps = earlier.steps + result.steps
                    if result.verdict == .accept { next.append(result) } else { done.append(result) }
                }
            }
            pending = next
        }
        return pending + done
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
