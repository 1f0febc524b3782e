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
            effect = Self.effect(of: verdict, rule: ruleText ?? "", family: packetFamily)
        }
        var step = TraceStep(table: "\(family.rawValue) \(table)", chain: chain,
                             number: number ?? policyNumber, kind: kind, depth: depth, kernelType: nil,
                             traced: traced, effect: effect)
        step.nftRule = ruleText
        step.markAfter = mark
        step.rewritesSource = rewritesSource
        step.rewritesDestination = rewritesDestination
        return step
    }

    static func effect(of verdict: String, rule: String, family: Family) -> StepEffect? {
        let words = verdict.split(separator: " ").map(String.init)
        switch words.first {
        case "accept": return .verdict(.accept)
        case "drop":
            guard let reject = rejectAnswer(rule, family: family),
                  let id = ExtensionRegistry.all.indices.first(where: { index in
                      let spec = ExtensionRegistry.all[index]
                      return spec.kind == .target && spec.traits.contains(.answersSender)
                          && spec.families.contains(family)
                  }) else { return .verdict(.drop) }
            return .answers(ExtensionID(id), with: reject)
        case "queue": return .verdict(.queue)
        case "return": return .verdict(.return)
        case "jump" where words.count > 1: return .jump(words[1])
        case "goto" where words.count > 1: return .goto(words[1])
        default: return nil
        }
    }

    /// A reject rule's answer in iptables' words (`icmp-port-unreachable`, `tcp-reset`), for
    /// the host path's answers; nil for a rule without reject.
    static func rejectAnswer(_ rule: String, family: Family) -> String? {
        guard let range = rule.range(of: "reject") else { return nil }
        let rest = rule[range.upperBound...].split(separator: " ").map(String.init)
        let v6 = family == .ipv6
        let portUnreachable = v6 ? "icmp6-port-unreachable" : "icmp-port-unreachable"
        guard rest.first == "with", rest.count >= 3 else { return portUnreachable }
        if rest[1] == "tcp" { return "tcp-reset" }
        let code = rest[2] == "type" && rest.count > 3 ? rest[3] : rest[2]
        let v4: [String: String] = ["port-unreachable": "icmp-port-unreachable",
                                    "host-unreachable": "icmp-host-unreachable",
                                    "net-unreachable": "icmp-net-unreachable",
                                    "prot-unreachable": "icmp-proto-unreachable",
                                    "net-prohibited": "icmp-net-prohibited", "host-prohibited": "icmp-host-prohibited",
                                    "admin-prohibited": "icmp-admin-prohibited", "no-route": "icmp-net-unreachable"]
        let six: [String: String] = ["port-unreachable": "icmp6-port-unreachable",
                                     "admin-prohibited": "icmp6-adm-prohibited",
                                     "no-route": "icmp6-no-route", "addr-unreachable": "icmp6-addr-unreachable",
                                     "host-unreachable": "icmp6-addr-unreachable", "policy-fail": "icmp6-policy-fail",
                                     "reject-route": "icmp6-reject-route"]
        return (v6 ? six : v4)[code] ?? portUnreachable
    }
}

extension TraceStep {
    /// The NAT an nft rule's statement did (dnat and redirect the destination, snat the
    /// source, masquerade); nil for an iptables entry or a rule without NAT.
    public var nftNAT: (kind: NATKind, word: String)? {
        guard let text = nftRule, rewritesAddresses else { return nil }
        let kinds: [String: NATKind] = ["dnat": .destination, "redirect": .destination, "snat": .source,
                                        "masquerade": .masquerade]
        guard let word = text.split(separator: " ").map(String.init).last(where: { kinds[$0] != nil }),
              let kind = kinds[word] else { return nil }
        return (kind, word)
    }

    /// The `comment "..."` of an nft rule, without quotes.
    public var nftComment: String? {
        guard let text = nftRule, let range = text.range(of: " comment \"", options: .backwards),
              text.hasSuffix("\"") else { return nil }
        return String(text[range.upperBound...].dropLast())
    }
}
