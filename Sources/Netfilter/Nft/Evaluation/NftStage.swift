/// An nft base chain as one stage of a hook's walk next to iptables' tables
/// (`HookEvaluator`): the class that reached it walked through the chain, each outcome as a
/// `WalkResult` whose steps name the chain `FAMILY TABLE` / `CHAIN` and carry the rule's
/// nft text.
struct NftStage: Sendable {
    let program: NftProgram
    let base: NftProgram.BaseChain
    let hook: Hook
    /// Whether the steps include the rules that did not match.
    let recordsSkippedRules: Bool

    /// Below conntrack's priority at PREROUTING and OUTPUT: no connection yet.
    var beforeConntrack: Bool {
        (hook == .prerouting || hook == .output) && base.position < NftHookWalker.conntrackPriority
    }

    func walk(_ packet: Packet, _ from: WalkResult) -> [WalkResult] {
        var state = NftResult(packet: packet, packets: from.packets)
        state.environment = from.environment
        state.probability = from.probability
        state.packet.hookState.hook = hook
        let walker = NftWalker(program: program, table: program.tables[base.table], hook: hook,
                               beforeConntrack: beforeConntrack)
        let length = base.chain.rules.count
        let entered = NftPacketLine.text(state.packet)
        return walker.walk(base, state).map { result in
            var steps = result.steps.compactMap { step -> TraceStep? in
                if step.isSkip && !recordsSkippedRules { return nil }
                return step.traceStep(policyNumber: length + 1, family: packet.family)
            }
            if !steps.isEmpty { steps[0].nftPacket = entered }
            return WalkResult(verdict: result.verdict, undetermined: result.undetermined, packet: result.packet,
                              steps: steps, probability: result.probability, packets: result.packets,
                              environment: result.environment)
        }
    }
}

extension NftStep {
    /// The entry as the iptables walk records one: the table named `FAMILY TABLE`, the
    /// rule's nft text, a reject as the target that answers the sender (with iptables' name
    /// of its answer), no kernel TRACE type (nft's trace is not dmesg's).
    func traceStep(policyNumber: Int, family packetFamily: Family) -> TraceStep? {
        let kind: TraceStep.Kind
        var effect: StepEffect?
        switch self.kind {
        case .skipped(let reason): kind = .skipped(reason)
        case .stop: return nil
        case .policy(let policy):
            kind = .policy
            effect = .verdict(policy == "drop" ? .drop : .accept)
        case .rule(let verdict):
            kind = .matched
            effect = Self.effect(of: verdict, answer: answer, family: packetFamily)
        }
        var step = TraceStep(table: "\(family.rawValue) \(table)", chain: chain,
                             number: number ?? policyNumber, kind: kind, depth: depth, kernelType: nil,
                             traced: traced, effect: effect)
        step.nftRule = ruleText
        step.markAfter = mark
        step.nftNAT = nat
        step.nftComment = comment
        step.rewritesSource = rewritesSource
        step.rewritesDestination = rewritesDestination
        return step
    }

    /// The target that answers the sender (REJECT) of each family, found once by its trait.
    static let answeringTarget: [Family: ExtensionID] = Dictionary(uniqueKeysWithValues: Family.allCases.compactMap {
        family in
        ExtensionRegistry.all.indices.first { index in
            let spec = ExtensionRegistry.all[index]
            return spec.kind == .target && spec.traits.contains(.answersSender) && spec.families.contains(family)
        }.map { (family, ExtensionID($0)) }
    })

    /// The effect of a rule's nft verdict word; a drop with an answer is a reject, as the
    /// target that answers the sender.
    static func effect(of verdict: String, answer: String?, family: Family) -> StepEffect? {
        let words = verdict.split(separator: " ").map(String.init)
        switch words.first {
        case "accept": return .verdict(.accept)
        case "drop":
            guard let answer, let id = answeringTarget[family] else { return .verdict(.drop) }
            return .answers(id, with: answer)
        case "queue": return .verdict(.queue)
        case "return": return .verdict(.return)
        case "jump" where words.count > 1: return .jump(words[1])
        case "goto" where words.count > 1: return .goto(words[1])
        default: return nil
        }
    }
}
