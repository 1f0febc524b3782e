// net/ipv4/netfilter/iptable_*.c (NF_IP_PRI_RAW < MANGLE < NAT_DST < FILTER < SECURITY),
// net/netfilter/nf_nat_core.c (NAT tables only see a connection's first packet).

/// Evaluates packets at a hook: every table registered there, in the kernel's priority
/// order, and the base chains of nft tables among them at their priorities (a host with
/// both). Built once per ruleset (the chains are indexed once), used for many packets.
public struct HookEvaluator: Sendable {
    public static let tableOrder: [TableKind] = [.raw, .mangle, .nat, .filter, .security]

    /// For each hook (by `Hook.ordinal`), the tables that have its chain, in priority
    /// order, with the chain's position.
    private let stages: [[Stage]]

    private final class Stage: Sendable {
        let kind: TableKind
        /// nil for the nat stage of a ruleset without a nat table: conntrack still applies
        /// an established connection's NAT binding there.
        let walker: ChainWalker?
        let start: Int
        /// An nft base chain instead of an iptables table (its kind: nat for a nat chain, raw
        /// below conntrack's priority at PREROUTING and OUTPUT, filter otherwise).
        let nft: NftStage?
        /// The priority the stage runs at (NF_IP_PRI_*; an nft chain's own, or nf_nat's).
        let position: Int
        /// Whether the table sees every packet as it arrives (not nat, which sees first
        /// packets, nor raw where it runs before conntrack): the walk starts right away.
        let seesEveryPacket: Bool

        init(kind: TableKind, walker: ChainWalker?, start: Int, hook: Hook, nft: NftStage? = nil) {
            self.kind = kind
            self.walker = walker
            self.start = start
            self.nft = nft
            position = nft?.base.position ?? HookEvaluator.priority(of: kind, at: hook)
            seesEveryPacket = (walker != nil || nft != nil) && !HookEvaluator.seesOnlyFirstPackets(kind)
                && !HookEvaluator.runsBeforeConntrack(kind, at: hook)
        }

        private init(_ stage: Stage, walker: ChainWalker?) {
            kind = stage.kind
            self.walker = walker
            start = stage.start
            nft = stage.nft
            position = stage.position
            seesEveryPacket = stage.seesEveryPacket
        }

        /// Whether there are rules to walk (the nat stage of a ruleset without a nat table has none).
        var hasRules: Bool { walker != nil || nft != nil }

        /// The stage's walk of a class that reached it.
        func walk(_ packet: Packet, _ from: WalkResult) -> [WalkResult]? {
            if let nft { return nft.walk(packet, from) }
            return walker?.walk(fromPosition: start, packet: packet, packets: from.packets,
                                environment: from.environment, probability: from.probability)
        }

        func recordingSkippedRules(_ records: Bool) -> Stage {
            var walker = walker
            walker?.recordsSkippedRules = records
            return Stage(self, walker: walker)
        }
    }

    private init(stages: [[Stage]], tracksConnections: Bool, family: Family) {
        self.stages = stages
        self.tracksConnections = tracksConnections
        self.family = family
    }

    /// The family of the packets it walks (its ruleset's).
    public let family: Family

    /// This evaluator with the rules that did not match recorded, or not (the tables are
    /// shared, not compiled again).
    public func recordingSkippedRules(_ records: Bool) -> HookEvaluator {
        HookEvaluator(stages: stages.map { $0.map { $0.recordingSkippedRules(records) } },
                      tracksConnections: tracksConnections, family: family)
    }

    /// The tables' priorities at a hook (NF_IP_PRI_*): source NAT (INPUT, POSTROUTING) runs
    /// at NAT_SRC (100), after filter (0) and security (50); destination NAT at NAT_DST
    /// (-100), before them.
    public static func tables(at hook: Hook) -> [TableKind] {
        hook == .input || hook == .postrouting ? [.raw, .mangle, .filter, .security, .nat] : tableOrder
    }
    /// Whether a table at a hook runs before conntrack (priority -200) has looked at the
    /// packet: the raw table (-300) at PREROUTING and OUTPUT, where every packet but an
    /// untracked one has no connection yet.
    public static func runsBeforeConntrack(_ kind: TableKind?, at hook: Hook?) -> Bool {
        kind == .raw && (hook == .prerouting || hook == .output)
    }

    /// Whether a table sees only a connection's first packet (nf_nat: later packets reuse
    /// the binding), and only where connections are tracked.
    public static func seesOnlyFirstPackets(_ kind: TableKind?) -> Bool { kind == .nat }

    /// Whether the rules switch connection tracking on in the kernel (see `tracksConnections`).
    public let tracksConnections: Bool

    /// The priority an iptables table runs at, at a hook (NF_IP_PRI_RAW ... NF_IP_PRI_SECURITY;
    /// nat at NAT_DST or NAT_SRC).
    static func priority(of kind: TableKind, at hook: Hook) -> Int {
        switch kind {
        case .raw: return -300
        case .mangle: return -150
        case .nat: return NftProgram.natPriority(at: hook)
        case .filter: return 0
        case .security: return 50
        }
    }

    /// `recordsSkippedRules`: whether the steps include the rules that did not match (off,
    /// only the entries that decided: enough for the answer lines). `nft`: the nft tables of
    /// the host, whose base chains run among the tables at their priorities (an iptables
    /// table first where the two have the same: the kernel runs the one registered last
    /// first, which a snapshot does not tell).
    public init(_ ruleset: Ruleset, nft: NftRuleset? = nil, pinned: [String: Bool] = [:], recordsSteps: Bool = true,
                indexesLongChains: Bool = true, recordsSkippedRules: Bool = true) {
        let walkers = Self.tableOrder.compactMap { kind in
            ruleset.table(named: kind.rawValue).map { table in
                var walker = ChainWalker(program: CompiledTable(table, indexesLongChains: indexesLongChains), pinned: pinned,
                                         recordsSteps: recordsSteps)
                walker.recordsSkippedRules = recordsSkippedRules
                return (kind, walker)
            }
        }
        let program = nft.map(NftProgram.init)
        stages = Hook.allCases.map { hook in
            let tables = Self.tables(at: hook).compactMap { kind -> Stage? in
                let walker = walkers.first { $0.0 == kind }?.1
                if let walker, let start = walker.program.position(of: hook.rawValue) {
                    return Stage(kind: kind, walker: walker, start: start, hook: hook)
                }
                // nf_nat registers at every hook but FORWARD.
                return kind == .nat && hook != .forward ? Stage(kind: .nat, walker: nil, start: 0, hook: hook) : nil
            }
            guard let program else { return tables }
            let chains = program.baseChains(at: hook, family: ruleset.family).map { base in
                let stage = NftStage(program: program, base: base, hook: hook, recordsSkippedRules: recordsSkippedRules)
                let kind: TableKind = base.isNAT ? .nat : stage.beforeConntrack ? .raw : .filter
                return Stage(kind: kind, walker: nil, start: 0, hook: hook, nft: stage)
            }
            // A table before the nft chains of its priority (which of the two the kernel runs
            // first depends on which was registered last: a snapshot note says so).
            return (tables + chains).enumerated()
                .sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
                .map(\.element)
        }
        tracksConnections = Self.tracksConnections(ruleset) || program?.tracksConnections == true
        family = ruleset.family
    }

    /// Whether an extension of the rules switches connection tracking on for the network
    /// namespace (`ExtensionSpec.usesConntrack`). A nat table alone does not: without
    /// conntrack, packets carry no connection and the nat table is never consulted (observed
    /// on this machine).
    public static func tracksConnections(_ ruleset: Ruleset) -> Bool {
        for table in ruleset.tables {
            for chain in table.chains {
                for rule in chain.rules {
                    if rule.matches.contains(where: { $0.spec.usesConntrack }) { return true }
                    if case .extension(let call) = rule.target, call.spec.usesConntrack { return true }
                }
            }
        }
        return false
    }

    /// Walks every table that has a chain for the hook. ACCEPT ends a table and the next
    /// one runs; DROP and QUEUE end the hook. The nat table is consulted only for a
    /// connection's first packet (ctstate NEW), only when connections are tracked, and only
    /// once per manip type (destination NAT at PREROUTING or OUTPUT, source NAT at
    /// POSTROUTING or INPUT): nf_nat_inet_fn skips it once `nf_nat_initialized`.
    /// `packets` and `environment` carry a class of packets from an earlier walk (see
    /// `ChainWalker`); each outcome is for a class of them.
    public func walk(hook: Hook, packet: Packet, packets: PacketSpace? = nil,
                     environment: SymbolicEnvironment = SymbolicEnvironment(), probability: Double? = 1) -> [WalkResult] {
        // Until a table has seen it, the packet is walked as given (no result made for it).
        var results: [WalkResult]?
        // What reaches the first table that sees it: the packets, accepted so far.
        func arriving() -> WalkResult {
            WalkResult(verdict: .accept, undetermined: nil, packet: packet, steps: [], probability: probability,
                       packets: packets, environment: environment)
        }
        for stage in stages[hook.ordinal] {
            guard let previous = results else {
                if stage.seesEveryPacket {
                    results = stage.walk(packet, arriving())
                } else {
                    results = enter(stage, hook: hook, arriving())
                }
                continue
            }
            var next: [WalkResult] = []
            next.reserveCapacity(previous.count)
            for earlier in previous {
                guard earlier.verdict == .accept, let outcomes = enter(stage, hook: hook, earlier) else {
                    next.append(earlier)
                    continue
                }
                if earlier.steps.isEmpty {
                    next += outcomes
                } else {
                    for var outcome in outcomes {
                        outcome.steps = outcome.steps.isEmpty ? earlier.steps : earlier.steps + outcome.steps
                        next.append(outcome)
                    }
                }
            }
            results = next
        }
        return decidingNAT(results ?? [arriving()], at: hook)
    }

    /// After a hook's nat tables and chains, the connection's mapping of the hook's manip type
    /// is decided, a null binding where none set one up: later hooks of the same type (a
    /// packet looped back through lo) do not consult them again.
    private func decidingNAT(_ results: [WalkResult], at hook: Hook) -> [WalkResult] {
        guard tracksConnections, stages[hook.ordinal].contains(where: { $0.kind == .nat && $0.hasRules }) else {
            return results
        }
        return results.map { result in
            var result = result
            let related = result.packet.conntrack.state == .related && result.packet.protocol == nil
            if Self.consultsNAT(result.packet) || related {
                result.packet.conntrack.decideNAT(destination: hook.natRewritesDestination)
            }
            return result
        }
    }

    /// The outcomes of one table's walk for a class that reached it (accepted by the tables
    /// before, its steps not carried); nil where the table does not see it (nat has decided
    /// already, or the packets are not a connection's first), or the class itself, accepted,
    /// where conntrack applies a NAT binding instead.
    private func enter(_ stage: Stage, hook: Hook, _ arriving: WalkResult) -> [WalkResult]? {
        func walk(_ packet: Packet, _ from: WalkResult) -> [WalkResult]? { stage.walk(packet, from) }
        if Self.seesOnlyFirstPackets(stage.kind) {
            let destinationManip = hook.natRewritesDestination
            // A later packet of a NATed connection: conntrack applies the binding here.
            // (Not for a packet the raw table untracked: it has no connection to take it from.)
            let state = arriving.packet.conntrack.state
            let binding = arriving.packet.conntrack.binding
            if state != .untracked, state != .invalid,
               let rewrite = destinationManip ? binding?.destination : binding?.source {
                var rewritten = arriving
                rewritten.steps = []
                if destinationManip {
                    rewritten.packet.destination = rewrite.address
                    if let port = rewrite.port { rewritten.packet.destinationPort = port }
                    rewritten.packet.conntrack.binding?.destination = nil
                } else {
                    rewritten.packet.source = rewrite.address
                    if let port = rewrite.port { rewritten.packet.sourcePort = port }
                    rewritten.packet.conntrack.binding?.source = nil
                }
                return [rewritten]
            }
            let conntrack = arriving.packet.conntrack
            let decided = destinationManip ? conntrack.destinationNATDecided : conntrack.sourceNATDecided
            if !tracksConnections || decided || !stage.hasRules { return nil }
            // The nat tables and chains run until one sets up a mapping (nf_nat_inet_fn); the
            // walk's end decides it for the others (see `decidingNAT`).
            func walkFirst(_ part: WalkResult) -> [WalkResult]? {
                walk(part.packet, part)?.map { result in
                    var result = result
                    let rewrote = destinationManip
                        ? result.packet.destination != part.packet.destination
                            || result.packet.destinationPort != part.packet.destinationPort
                            || result.steps.contains(where: \.rewritesDestination)
                        : result.packet.source != part.packet.source
                            || result.packet.sourcePort != part.packet.sourcePort
                            || result.steps.contains(where: \.rewritesSource)
                    if rewrote { result.packet.conntrack.decideNAT(destination: destinationManip) }
                    return result
                }
            }
            if Self.consultsNAT(arriving.packet) { return walkFirst(arriving) }
            // An open state, or RELATED with the protocol open (ICMP errors are not consulted for):
            // the class splits.
            guard state == nil || (state == .related && arriving.packet.protocol == nil) else { return nil }
            var unwalked = arriving
            unwalked.steps = []
            return Self.splitByFirstPacket(unwalked).flatMap { part -> [WalkResult] in
                guard part.first else { return [part.result] }
                return walkFirst(part.result) ?? [part.result]
            }
        }
        if Self.runsBeforeConntrack(stage.kind, at: hook) {
            // The raw table (priority -300) runs before conntrack (-200): the packet has no
            // connection yet, unless the kernel attached one when it made the packet.
            var early = arriving.packet
            early.conntrack.beforeConntrack = true
            return walk(early, arriving)?.map { result in
                var result = result
                result.packet.conntrack.beforeConntrack = false
                return result
            }
        }
        return walk(arriving.packet, arriving)
    }

    /// Whether nf_nat consults the nat tables for a packet whose state is given (and whose
    /// connection has not decided this manip): a connection's first packet (NEW), or a
    /// RELATED one that is not an ICMP error (nf_nat_inet_fn: an expected connection's first
    /// packet, or a reset REJECT made, whose connection never reached this hook's nat).
    static func consultsNAT(_ packet: Packet) -> Bool {
        switch packet.conntrack.state {
        case .new?: return true
        case .related?:
            // The family's own ICMP (nf_nat_inet_fn: nf_nat_icmp_reply_translation for IPv4's
            // ICMP, nf_nat_icmpv6_reply_translation for IPv6's ICMPv6).
            guard let proto = packet.protocol else { return false }
            return proto != (packet.family == .ipv6 ? IPProtocol.icmpv6 : IPProtocol.icmp)
        default: return false
        }
    }

    /// A class whose conntrack state is open, split into the packets nf_nat consults the nat
    /// tables for (`first`: NEW, RELATED but ICMP) and the others.
    static func splitByFirstPacket(_ result: WalkResult) -> [(result: WalkResult, first: Bool)] {
        let family = result.packet.family
        let packets = result.packets ?? .all(family)
        // The fields the packet has given (its protocol) decided, the open ones as sets.
        let new = result.environment.firstPackets(family).specialized(by: result.packet)
        var parts: [(result: WalkResult, first: Bool)] = []
        let first = packets.intersection(new)
        if !first.isEmpty {
            var part = result
            part.packets = first
            part.packet.pin(from: first, environment: result.environment)
            parts.append((part, true))
        }
        if let others = packets.subtracting(new), !others.isEmpty {
            var part = result
            part.packets = others
            part.packet.pin(from: others, environment: result.environment)
            parts.append((part, false))
        }
        return parts
    }
}

/// One-off hook walks (see `HookEvaluator` to evaluate many packets).
public enum HookWalker {
    public static func walk(_ ruleset: Ruleset, hook: Hook, packet: Packet, pinned: [String: Bool] = [:],
                            recordsSteps: Bool = true) -> [WalkResult] {
        HookEvaluator(ruleset, pinned: pinned, recordsSteps: recordsSteps).walk(hook: hook, packet: packet)
    }
}
