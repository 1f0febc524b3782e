/// An nft walk as text (the answer first, one line per class of packets, then each class's
/// chains and rules), JSON, or the lines `nft monitor trace` prints.
public enum NftTraceRenderer {
    static func verdictWord(_ result: NftResult) -> String {
        switch result.verdict {
        case .accept?: return "ACCEPT"
        case .drop?: return result.answer == nil ? "DROP" : "REJECT"
        case .queue?: return "QUEUE"
        default: return "UNKNOWN"
        }
    }

    static func packets(_ result: NftResult, described: DescribedPackets) -> String {
        guard let cubes = result.packets?.cubes, let first = cubes.first else {
            return AnswerRenderer.packets(nil, described: described)
        }
        let more = cubes.count > 1 ? " (and \(cubes.count - 1) more part(s))" : ""
        return AnswerRenderer.packets(first, described: described) + more
    }

    /// The entry that decided: the last rule run to its end, or the last policy.
    static func decidedBy(_ result: NftResult) -> String {
        if let reason = result.undetermined { return "undetermined: \(reason)" }
        guard let step = result.steps.last(where: { !$0.isSkip && !$0.isEntry }) else {
            return "no base chain at these hooks (ACCEPT)"
        }
        return stepText(step)
    }

    /// A step in words: `inet filter input #3 tcp dport 22 accept: accept`.
    static func stepText(_ step: NftStep) -> String {
        let rule = "\(step.place) #\(step.number ?? 0) \(step.ruleText ?? "")"
        switch step.kind {
        case .enter(let hook, let packet): return "\(hook.rawValue.lowercased()): \(step.place)  [\(packet)]"
        case .rule(let verdict): return "\(rule): \(verdict)"
        case .skipped(let reason): return "\(rule): no match (\(reason))"
        case .policy(let policy): return "\(step.place) policy \(policy)"
        case .stop(let reason): return "\(rule): stops (\(reason))"
        }
    }

    public static func text(_ classes: [NftClass], described: DescribedPackets, brief: Bool) -> String {
        var out = ""
        for result in classes.map(\.result) {
            var line = verdictWord(result).padding(toLength: 7, withPad: " ", startingAt: 0) + " "
                + packets(result, described: described) + ": " + decidedBy(result)
            if let answer = result.answer { line += " (answers \(answer))" }
            for assumption in result.assumptions { line += " " + assumption }
            out += line + "\n"
        }
        guard !brief else { return out }
        for (number, item) in classes.enumerated() {
            let result = item.result
            out += "\nclass \(number + 1) of \(classes.count): \(verdictWord(result))\n"
            if let witness = item.witness {
                let status = item.confirmed == true ? "the evaluator confirms it" : "the evaluator does NOT confirm it"
                out += "  e.g. \(PacketDescription.format(witness)) (\(status))\n"
            }
            for step in result.steps { out += (step.isEntry ? "  " : "    ") + stepText(step) + "\n" }
        }
        return out
    }

    public static func json(_ classes: [NftClass], described: DescribedPackets) -> String {
        let items = classes.map { item in
            let result = item.result
            let witness = item.witness.map { JSONText.string(PacketDescription.format($0)) } ?? "null"
            let steps = result.steps.map(stepJSON).joined(separator: ", ")
            let conditions = result.assumptions.map(JSONText.string).joined(separator: ", ")
            return "{\"verdict\": \(JSONText.string(verdictWord(result))), "
                + "\"packets\": \(JSONText.string(packets(result, described: described))), "
                + "\"decidedBy\": \(JSONText.string(decidedBy(result))), "
                + "\"answer\": \(result.answer.map(JSONText.string) ?? "null"), "
                + "\"conditions\": [\(conditions)], \"witness\": \(witness), "
                + "\"confirmed\": \(item.confirmed.map(String.init) ?? "null"), \"steps\": [\(steps)]}"
        }
        return "{\"family\": \"nft\", \"classes\": [" + items.joined(separator: ",\n") + "]}\n"
    }

    static func stepJSON(_ step: NftStep) -> String {
        var fields = ["\"family\": \(JSONText.string(step.family.rawValue))", "\"table\": \(JSONText.string(step.table))",
                      "\"chain\": \(JSONText.string(step.chain))"]
        if let number = step.number { fields.append("\"number\": \(number)") }
        if let rule = step.ruleText { fields.append("\"rule\": \(JSONText.string(rule))") }
        switch step.kind {
        case .enter(let hook, let packet):
            fields += ["\"kind\": \"enter\"", "\"hook\": \(JSONText.string(hook.rawValue.lowercased()))",
                       "\"packet\": \(JSONText.string(packet))"]
        case .rule(let verdict): fields += ["\"kind\": \"rule\"", "\"verdict\": \(JSONText.string(verdict))"]
        case .skipped(let reason): fields += ["\"kind\": \"skipped\"", "\"reason\": \(JSONText.string(reason))"]
        case .policy(let policy): fields += ["\"kind\": \"policy\"", "\"verdict\": \(JSONText.string(policy))"]
        case .stop(let reason): fields += ["\"kind\": \"stop\"", "\"reason\": \(JSONText.string(reason))"]
        }
        fields.append("\"traced\": \(step.traced)")
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// The lines `nft monitor trace` prints for a class's walk (`trace id 00000000` for the
    /// id): a chain's `packet:` line before its first traced entry, each rule run to its
    /// end (`rule TEXT (verdict V)`), each policy (`policy V`, with `meta mark 0x...` when
    /// the mark is not 0). `fromStart`: every entry is traced (the rules set no nftrace).
    public static func traceLines(_ result: NftResult, fromStart: Bool) -> [String] {
        let id = "trace id 00000000"
        var lines: [String] = []
        var packetLine: String?
        for step in result.steps {
            let traced = fromStart || step.traced
            switch step.kind {
            case .enter(_, let packet):
                packetLine = "\(id) \(step.place) packet: \(packet)"
                continue
            case .skipped, .stop:
                continue
            case .rule, .policy:
                guard traced else { continue }
            }
            if let line = packetLine {
                lines.append(line)
                packetLine = nil
            }
            switch step.kind {
            case .rule(let verdict): lines.append("\(id) \(step.place) rule \(step.ruleText ?? "") (verdict \(verdict))")
            case .policy(let policy):
                let mark = step.mark.map { $0 == 0 ? "" : " meta mark 0x" + hex8($0) } ?? ""
                lines.append("\(id) \(step.place) policy \(policy)\(mark)")
            default: break
            }
        }
        return lines
    }

    static func hex8(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Whether a ruleset sets nftrace somewhere (`meta nftrace set 1`): then only what follows
    /// is traced, as in the kernel.
    public static func setsTrace(_ ruleset: NftRuleset) -> Bool {
        ruleset.tables.contains { table in
            table.chains.contains { chain in
                chain.rules.contains { rule in
                    rule.statements.contains { statement in
                        if case .set(.meta("nftrace", _), _) = statement { return true }
                        return false
                    }
                }
            }
        }
    }

    /// Every class's trace lines, with a `# class N of M: ...` line before each when there are
    /// several or the packets were described in part.
    public static func trace(_ results: [NftResult], described: DescribedPackets, ruleset: NftRuleset) -> String {
        let fromStart = !setsTrace(ruleset)
        var out = ""
        for (number, result) in results.enumerated() {
            if results.count > 1 || result.packets != nil {
                out += "# class \(number + 1) of \(results.count): \(verdictWord(result)) "
                    + packets(result, described: described) + "\n"
            }
            for line in traceLines(result, fromStart: fromStart) { out += line + "\n" }
            if let reason = result.undetermined { out += "# undetermined: \(reason)\n" }
        }
        return out
    }
}

extension NftStep {
    /// Whether the entry is a base chain entered.
    var isEntry: Bool {
        if case .enter = kind { return true }
        return false
    }
}
