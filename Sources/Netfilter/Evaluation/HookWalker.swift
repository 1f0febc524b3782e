// net/ipv4/netfilter/iptable_*.c (NF_IP_PRI_RAW < MANGLE < NAT_DST < FILTER < SECURITY),
// net/netfilter/nf_nat_core.c (NAT tables only see a connection's first packet).

/// Evaluates packets at a hook: every table registered there, in the kernel's priority
/// order. Built once per ruleset (the chains are indexed once), used for many packets.
public struct HookEvaluator: Sendable {
    public static let tableOrder: [TableKind] = [.raw, .mangle, .nat, .filter, .security]

    private let walkers: [(kind: TableKind, walker: ChainWalker)]

    public init(_ ruleset: Ruleset, pinned: [String: Bool] = [:], recordsSteps: Bool = true) {
        walkers = Self.tableOrder.compactMap { kind in
            ruleset.table(named: kind.rawValue).map { (kind, ChainWalker(table: $0, pinned: pinned, recordsSteps: recordsSteps)) }
        }
    }

    /// Walks every table that has a chain for the hook. ACCEPT ends a table and the next
    /// one runs; DROP and QUEUE end the hook. The nat table is consulted only for a
    /// connection's first packet (ctstate NEW).
    public func walk(hook: Hook, packet: Packet) -> [WalkResult] {
        var results = [WalkResult(verdict: .accept, undetermined: nil, packet: packet, steps: [], assumptions: [])]
        for (kind, walker) in walkers where walker.table.chain(named: hook.rawValue) != nil {
            results = results.flatMap { previous -> [WalkResult] in
                guard previous.verdict == .accept else { return [previous] }
                if kind == .nat && previous.packet.conntrackState != .new { return [previous] }
                let outcomes = walker.walk(from: hook.rawValue, packet: previous.packet)
                if previous.steps.isEmpty && previous.assumptions.isEmpty && previous.probability == 1 { return outcomes }
                return outcomes.map { next in
                    WalkResult(verdict: next.verdict, undetermined: next.undetermined, packet: next.packet,
                               steps: previous.steps + next.steps, assumptions: previous.assumptions + next.assumptions,
                               probability: previous.probability.flatMap { first in next.probability.map { first * $0 } })
                }
            }
        }
        return results
    }
}

/// One-off hook walks (see `HookEvaluator` to evaluate many packets).
public enum HookWalker {
    public static func walk(_ ruleset: Ruleset, hook: Hook, packet: Packet, pinned: [String: Bool] = [:],
                            recordsSteps: Bool = true) -> [WalkResult] {
        HookEvaluator(ruleset, pinned: pinned, recordsSteps: recordsSteps).walk(hook: hook, packet: packet)
    }
}
