/// The answer first: one line per class of packets, the verdict first, then which packets,
/// then how (NAT on the way, the deciding rule):
///
///     ACCEPT  tcp * -> 172.17.0.2:80 in eth0 out docker0 ctstate NEW: accepted by filter/DOCKER:1
///     DROP    tcp * -> 172.17.0.2:80 in eth0 out !docker0 ctstate NEW: dropped by filter/FORWARD policy
public enum AnswerRenderer {
    /// The verdict word of a walk's end: ACCEPT, DROP, REJECT, QUEUE, RETURN or UNKNOWN.
    public static func verdictWord(_ result: WalkResult) -> String {
        guard let verdict = result.verdict else { return "UNKNOWN" }
        if verdict == .drop, result.steps.last?.effect?.answer != nil { return "REJECT" }
        return verdict.rawValue
    }

    /// The rule a step stands for.
    static func rule(_ step: TraceStep, ruleset: RuleBook) -> Rule? { ruleset.rule(step) }


    /// How the walk came to its verdict: NAT on the way, then the deciding entry.
    public static func explanation(_ result: WalkResult, ruleset: RuleBook) -> String {
        var parts: [String] = []
        for step in result.steps where step.rewritesAddresses {
            guard let text = natText(step, ruleset: ruleset, after: result.packet) else { continue }
            parts.append(text + " (\(step.table)/\(step.chain):\(step.number))")
        }
        parts.append(decision(result) + caveat(result))
        if let probability = result.probability, probability < 1 {
            parts.append("probability \(ChainWalker.percent(probability))")
        }
        return parts.joined(separator: ", ")
    }

    /// Why a verdict is the evaluator's, not the rules': ` (jump stack exhausted ...)` when
    /// the walk went deeper than it follows; empty for every other walk.
    static func caveat(_ result: WalkResult) -> String {
        guard result.verdict != nil, let reason = result.undetermined else { return "" }
        return " (\(reason))"
    }

    /// `DNAT 172.17.0.2:80`, `MASQUERADE 10.0.2.15`: the target and what it rewrote to.
    /// What a NAT entry did, as `natText` words it: an iptables target (`DNAT 172.17.0.2:80`)
    /// or an nft statement (`dnat 172.17.0.2:80`, `masquerade 10.0.2.15`); nil for an entry
    /// that rewrote nothing.
    static func natText(_ step: TraceStep, ruleset: RuleBook, after packet: Packet) -> String? {
        if step.nftRule != nil {
            guard let kind = step.nftNAT?.word else { return nil }
            let destination = step.rewritesDestination
            let address = destination ? packet.destination : packet.source
            let port = destination ? packet.destinationPort : nil
            return "\(kind) " + (address.map { PacketDescription.endpoint($0, port) } ?? "an address the host decides")
        }
        guard let rule = rule(step, ruleset: ruleset), case .nat(let call) = SymbolicAction(rule.target) else {
            return nil
        }
        return natText(call, after: packet)
    }

    static func natText(_ call: ExtensionCall, after packet: Packet) -> String {
        let rewrites = SymbolicAction.natRewrites(call, hook: nil, family: packet.family)
        let destination = rewrites.contains { $0.0 == .destination || $0.0 == .destinationPort }
        let address = destination ? packet.destination : packet.source
        // The port only where the target rewrites it.
        let rewritesPort = rewrites.contains { $0.0 == (destination ? .destinationPort : .sourcePort) }
        let port = rewritesPort ? (destination ? packet.destinationPort : packet.sourcePort) : nil
        let shown = address.map { PacketDescription.endpoint($0, port) } ?? "an address the host decides"
        return "\(call.spec.name) \(shown)"
    }

    /// The entry that decided: `accepted by filter/DOCKER:1`, `dropped by filter/FORWARD
    /// policy`, `rejected by filter/INPUT:3 (tcp-reset)`. For packets that got through a
    /// hook, the filter table's last entry (where the operator's policy lives), else the
    /// last table's.
    static func decision(_ result: WalkResult) -> String {
        guard let verdict = result.verdict else { return "undetermined: " + (result.undetermined ?? "") }
        var deciding = result.steps.last
        if verdict == .accept, let filter = result.steps.last(where: { $0.table == "filter" }) { deciding = filter }
        guard let last = deciding else { return verdict == .accept ? "no rule applies" : verdict.rawValue }
        let place = "\(last.table)/\(last.chain)"
        switch last.kind {
        case .policy:
            return "\(verdictVerb(verdict, rejected: nil)) by \(place) policy"
        case .implicitReturn:
            return "returns to the caller at the end of \(place)"
        default:
            let rejected = last.effect?.answer
            if verdict == .return { return "returns to the caller from \(place):\(last.number)" }
            let kind = rejected.map { " (\($0))" } ?? ""
            return "\(verdictVerb(verdict, rejected: rejected)) by \(place):\(last.number)\(kind)"
        }
    }

    static func verdictVerb(_ verdict: StandardVerdict, rejected: String?) -> String {
        if rejected != nil { return "rejected" }
        switch verdict {
        case .accept: return "accepted"
        case .drop: return "dropped"
        case .queue: return "queued"
        case .return: return "returned"
        }
    }

    /// One answer line: `VERDICT  PACKETS [conditions]: how`.
    public static func line(_ item: OutcomeClass, described: DescribedPackets, ruleset: RuleBook) -> String {
        let verdict = verdictWord(item.result)
        return verdict.padding(toLength: max(7, verdict.count + 1), withPad: " ", startingAt: 0) + " "
            + packets(item.packets, described: described) + ": " + explanation(item.result, ruleset: ruleset)
    }

    /// A class of the described packets in the compact form, with its conditions.
    public static func packets(_ cube: PacketCube?, described: DescribedPackets) -> String {
        PacketDescription.classText(described.packet, class: cube)
    }

    /// The answer lines of every class (at most `maxClasses`, then a line saying how many
    /// more), each class's walk after them unless `brief`.
    public static func text(_ classes: [OutcomeClass], described: DescribedPackets, ruleset: RuleBook, brief: Bool,
                            maxClasses: Int, colour: Bool) -> String {
        var out = ""
        write(classes, described: described, ruleset: ruleset, brief: brief, maxClasses: maxClasses, colour: colour,
              to: &out)
        return out
    }

    /// `text`, written to `out` as it is made (a walk of a million rules is not held twice).
    public static func write<Output: TextOutputStream>(
        _ classes: [OutcomeClass], described: DescribedPackets, ruleset: RuleBook, brief: Bool, maxClasses: Int,
        colour: Bool, to out: inout Output) {
        for item in classes.prefix(maxClasses) { out.write(line(item, described: described, ruleset: ruleset) + "\n") }
        if classes.count > maxClasses {
            out.write("... and \(classes.count - maxClasses) more classes of packets (--max-classes \(classes.count) "
                      + "shows them all)\n")
        }
        guard !brief else { return }
        let shown = classes.prefix(maxClasses)
        for (position, item) in shown.enumerated() {
            out.write("\n")
            if shown.count > 1 || item.packets != nil {
                let answer = line(item, described: described, ruleset: ruleset)
                out.write("class \(position + 1) of \(classes.count): \(answer)\n")
                if let witness = item.witness {
                    let status = item.confirmed.map {
                        $0 ? "the evaluator confirms it" : "the evaluator does NOT confirm it"
                    }
                    out.write("  e.g. \(PacketDescription.format(witness))\(status.map { " (\($0))" } ?? "")\n")
                }
            }
            if !item.skippedRulesListed {
                out.write("  (the rules that did not match are left out for a class of this many sets of values; "
                          + "--format json lists them)\n")
            }
            if item.ways.isEmpty {
                TextTraceRenderer.writeSteps(item.result.steps, rules: ruleset, colour: colour, markLast: true,
                                             to: &out)
            }
            for (number, way) in item.ways.enumerated() {
                out.write("  way \(number + 1) of \(item.ways.count): \(packets(way.packets, described: described))\n")
                TextTraceRenderer.writeSteps(way.result.steps, rules: ruleset, colour: colour, markLast: true, to: &out)
            }
            out.write("verdict: \(TextTraceRenderer.verdictText(item.result))\n")
            if item.result.steps.contains(where: \.rewritesAddresses) {
                out.write("packet after NAT: \(PacketDescription.format(item.result.packet, class: nil))\n")
            }
        }
    }
}
