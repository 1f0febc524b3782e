/// The answer lines of a flow, one per class of requests: the verdict first, the packets
/// and where they came from, what happened on the way (NAT, the deciding rule, where they
/// left), and what came back:
///
///     ACCEPT  tcp * -> 10.0.2.15:8080 from eth0: DNAT 172.17.0.2:80 (nat/DOCKER:2), accepted by
///             filter/DOCKER:1, out vethc1; reply ACCEPT
public enum FlowAnswerRenderer {
    /// One line per answer.
    /// `described`: the request as the user described it (before the flow's defaults).
    /// `rules`: the rules the request's family meets.
    public static func lines(_ answers: [FlowAnswer], request: FlowPacket, described: Packet, rules: RuleBook?) -> [String] {
        answers.map { line($0, request: request, described: described, rules: rules) }
    }

    public static func line(_ answer: FlowAnswer, request: FlowPacket, described: Packet, rules: RuleBook?) -> String {
        let verdict = verdictWord(answer.request)
        var packets = PacketDescription.format(described, class: answer.packets) + " from \(request.origin)"
        let conditions = PacketDescription.conditionText(answer.packets)
        if !conditions.isEmpty { packets += " " + conditions }
        return verdict.padding(toLength: max(7, verdict.count + 1), withPad: " ", startingAt: 0) + " " + packets + ": "
            + outcomeText(answer, request: request, rules: rules)
    }

    /// What happened to the class and what came back (the line after its packets).
    public static func outcomeText(_ answer: FlowAnswer, request: FlowPacket, rules: RuleBook?) -> String {
        var how = explanation(answer.request, rules: rules)
        if let reply = answer.reply, let replyPacket = answer.replyPacket {
            let word = verdictWord(reply)
            let what = replyPacket.refusal.map { "answered with \($0):" } ?? "reply"
            how += "; \(what) \(word)"
            if word != "ACCEPT" { how += " (" + explanation(reply, rules: rules) + ")" }
        } else if case .sent = answer.request.fate {
            how += "; no reply simulated"
        }
        return how
    }

    /// ACCEPT (delivered or sent), DROP, REJECT (dropped by a REJECT rule) or UNKNOWN.
    public static func verdictWord(_ outcome: PathOutcome) -> String {
        switch outcome.fate {
        case .delivered, .sent: return "ACCEPT"
        case .undetermined: return "UNKNOWN"
        case .dropped:
            if case .hook(_, _, _, let steps, _, _)? = outcome.lastStation, steps.last?.effect?.answer != nil {
                return "REJECT"
            }
            return "DROP"
        }
    }

    /// NAT on the way, the deciding entry, and where the packets ended.
    static func explanation(_ outcome: PathOutcome, rules: RuleBook?) -> String {
        var parts: [String] = []
        var deciding: String?
        for event in outcome.events {
            guard case .hook(let hook, _, _, let steps, let verdict, _) = event else { continue }
            let result = WalkResult(verdict: verdict, undetermined: nil, packet: outcome.packet, steps: steps)
            if let rules {
                for step in steps where step.rewritesAddresses {
                    guard let text = AnswerRenderer.natText(step, ruleset: rules, after: outcome.packet) else {
                        continue
                    }
                    parts.append(text + " (\(step.table)/\(step.chain):\(step.number))")
                }
                // The filtering hook's decision for packets that got through, the dropping
                // hook's for the others.
                if verdict != .accept || hook == .input || hook == .forward || hook == .output || deciding == nil {
                    deciding = steps.isEmpty ? nil : AnswerRenderer.decision(result)
                }
            }
        }
        switch outcome.fate {
        case .sent(let device):
            if let deciding { parts.append(deciding) }
            parts.append("out \(device)")
        case .delivered(let device):
            if let deciding { parts.append(deciding) }
            parts.append("delivered locally (in on \(device))")
        case .dropped(let reason):
            if case .hook? = outcome.lastStation, let deciding { parts.append(deciding) } else { parts.append(reason) }
        case .undetermined(let reason):
            parts.append("undetermined: \(reason)")
        }
        if let probability = outcome.probability, probability < 1 { parts.append("probability \(ChainWalker.percent(probability))") }
        return parts.joined(separator: ", ")
    }
}

extension HostSnapshot {
    /// The rules packets of a family meet.
    public func rules(for family: Family) -> Ruleset? { family == .ipv6 ? ipv6Ruleset : ruleset }
}
