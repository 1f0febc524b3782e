// net/ipv4/netfilter/iptable_*.c (NF_IP_PRI_RAW < MANGLE < NAT_DST < FILTER < SECURITY),
// net/netfilter/nf_nat_core.c (NAT tables only see a connection's first packet).

/// The tables registered at a hook, in the kernel's priority order.
public enum HookWalker {
    public static let tableOrder: [TableKind] = [.raw, .mangle, .nat, .filter, .security]

    /// Walks every table that has a chain for the hook. ACCEPT ends a table and the next
    /// one runs; DROP and QUEUE end the hook. The nat table is consulted only for a
    /// connection's first packet (ctstate NEW).
    public static func walk(_ ruleset: Ruleset, hook: Hook, packet: Packet) -> [WalkResult] {
        var results = [WalkResult(verdict: .accept, undetermined: nil, packet: packet, steps: [], assumptions: [])]
        for kind in tableOrder {
            guard let table = ruleset.table(named: kind.rawValue), table.chain(named: hook.rawValue) != nil else { continue }
            let walker = ChainWalker(table: table)
            results = results.flatMap { previous -> [WalkResult] in
                guard previous.verdict == .accept else { return [previous] }
                if kind == .nat && previous.packet.conntrackState != .new { return [previous] }
                return walker.walk(from: hook.rawValue, packet: previous.packet).map { next in
                    WalkResult(verdict: next.verdict, undetermined: next.undetermined, packet: next.packet,
                               steps: previous.steps + next.steps, assumptions: previous.assumptions + next.assumptions,
                               probability: previous.probability.flatMap { first in next.probability.map { first * $0 } })
                }
            }
        }
        return results
    }
}
