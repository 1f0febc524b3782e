/// One possible end of a case's packet, the same for a walk through a rules file and for
/// a journey through a snapshot's host: what became of it, which rules decided, the hooks
/// it passed, where it left, and the packet after NAT.
public struct CaseOutcome: Sendable {
    public enum Fate: Sendable, Hashable {
        case accept
        case drop
        /// Dropped by REJECT, with its `--reject-with` type.
        case reject(String)
        case `return`
        /// The evaluator met something it cannot model (a target, an unknown route).
        case undetermined(String)
    }

    /// One hook passed (nil: a single chain walked), with its steps: every rule visited
    /// there, all tables.
    public struct HookPass: Sendable {
        public var hook: Hook?
        public var steps: [TraceStep]
    }

    public var fate: Fate
    /// Why a packet was dropped when no rule did it (no route, forwarding off, ebtables),
    /// or the snapshot's words for the fate.
    public var reason: String?
    public var passes: [HookPass]
    /// For a snapshot: the device the packet left by, `.local` when delivered to a process.
    public var exit: PacketOrigin?
    public var before: Packet
    public var after: Packet
    public var assumptions: [String]
    public var probability: Double?
    /// The packets this outcome is for, as they arrived (nil: every packet the case
    /// describes).
    public var packets: PacketSpace?

    public var hooks: [Hook] { passes.compactMap(\.hook) }

    /// The entry that decided in each table at each hook (the last one that table ran), in
    /// packet order.
    public var deciders: [TraceStep] {
        passes.flatMap { pass -> [TraceStep] in
            var ends: [TraceStep] = []
            for (position, step) in pass.steps.enumerated() {
                let next = position + 1 < pass.steps.count ? pass.steps[position + 1] : nil
                if next?.table != step.table { ends.append(step) }
            }
            return ends
        }
    }

    /// The entry that explains the outcome: the one that dropped, rejected or returned;
    /// for an accepted packet the filter table's last deciding rule (where the operator's
    /// policy lives), else the last deciding entry.
    public var decisive: TraceStep? {
        let all = deciders
        switch fate {
        case .accept:
            let filter = all.filter { $0.table == "filter" }
            return filter.last { $0.kind == .matched } ?? filter.last ?? all.last { $0.kind == .matched } ?? all.last
        default:
            return all.last
        }
    }

    /// Whether a NAT rule of this kind (MASQUERADE, DNAT, ...) matched on the way.
    public func applied(_ kind: NATKind) -> Bool {
        passes.contains { pass in
            pass.steps.contains { $0.kind == .matched && ($0.targetSpec?.nat ?? $0.nftNAT?.kind) == kind }
        }
    }
}

extension CaseOutcome {
    /// From a walk through a rules file (`passes`: the hooks walked, with their steps).
    init(walk result: WalkResult, passes: [HookPass], before: Packet) {
        let fate: Fate
        switch result.verdict {
        case .accept?: fate = .accept
        case .drop?: fate = Self.rejection(result.steps.last).map(Fate.reject) ?? .drop
        case .return?: fate = .return
        case .queue?: fate = .undetermined("QUEUE: the packet goes to a user-space program")
        case nil: fate = .undetermined(result.undetermined ?? "the walk could not be followed")
        }
        // A verdict with a reason is the evaluator's (a jump stack exhausted), not a rule's.
        let reason = result.verdict == nil ? nil : result.undetermined
        self.init(fate: fate, reason: reason, passes: passes, exit: nil, before: before, after: result.packet,
                  assumptions: result.assumptions, probability: result.probability, packets: result.packets)
    }

    /// From a journey through a snapshot's host.
    init(path outcome: PathOutcome, before: Packet) {
        var passes: [HookPass] = []
        for event in outcome.events {
            if case .hook(let hook, _, _, let steps, _, _) = event { passes.append(HookPass(hook: hook, steps: steps)) }
        }
        let fate: Fate
        var exit: PacketOrigin?
        var reason: String?
        switch outcome.fate {
        case .delivered:
            fate = .accept
            exit = .local
        case .sent(let device):
            fate = .accept
            exit = .device(device)
        case .dropped(let why):
            let last = outcome.lastStation
            if case .hook(_, _, _, let steps, .drop?, _)? = last, let kind = Self.rejection(steps.last) {
                fate = .reject(kind)
            } else {
                fate = .drop
            }
            if case .hook? = last {} else { reason = why }
        case .undetermined(let why):
            fate = .undetermined(why)
        }
        self.init(fate: fate, reason: reason, passes: passes, exit: exit, before: before, after: outcome.packet,
                  assumptions: outcome.assumptions, probability: outcome.probability, packets: outcome.packets)
    }

    /// The answer (`--reject-with` type) of the rule a step matched when its target answers
    /// the sender, nil otherwise.
    static func rejection(_ step: TraceStep?) -> String? {
        guard let step, step.kind == .matched else { return nil }
        return step.effect?.answer
    }
}

/// The rule behind a trace step, its text and its comment.
public enum RuleLookup {
    public static func rule(_ step: TraceStep, in ruleset: Ruleset) -> Rule? {
        guard let chain = ruleset.table(named: step.table)?.chain(named: step.chain), step.number >= 1, step.number <= chain.rules.count
        else { return nil }
        return chain.rules[step.number - 1]
    }

    /// The `-m comment --comment` texts of the rule.
    public static func comments(_ rule: Rule) -> [String] { rule.matches.compactMap(\.commentText) }

    /// `-A CHAIN ...` as iptables-save prints it; the policy for a policy step.
    public static func text(_ step: TraceStep, in ruleset: Ruleset) -> String? {
        switch step.kind {
        case .policy: return ":\(step.chain) \(step.effect?.description ?? "ACCEPT")"
        case .implicitReturn: return "end of \(step.chain)"
        default:
            if let text = step.nftRule { return text }
            guard let rule = rule(step, in: ruleset) else { return nil }
            let body = SavePrinter.ruleText(rule, family: ruleset.family)
            return "-A \(step.chain)" + (body.isEmpty ? "" : " " + body)
        }
    }

    /// `table/CHAIN:N`, or `table/CHAIN:policy` for a built-in chain's policy.
    public static func reference(_ step: TraceStep) -> String {
        if case .policy = step.kind { return "\(step.table)/\(step.chain):policy" }
        return "\(step.table)/\(step.chain):\(step.number)"
    }
}
