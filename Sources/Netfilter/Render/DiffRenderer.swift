/// The semantic diff as text (one line per class of packets treated differently, its
/// witness, then the structural changes) and as JSON (docs/json.md).
public enum DiffRenderer {
    /// `ACCEPT dnat 172.17.0.2:80 +LOG --log-prefix x`.
    public static func outcomeText(_ outcome: DiffOutcome, family: Family) -> String {
        var words = [outcome.ending.name]
        words += rewriteTexts(outcome, family: family)
        words += outcome.environment.effects.map { "+" + SymbolicAction.bare($0) }
        return words.joined(separator: " ")
    }

    /// What the walk changed on packets that go on: NAT, marks, NOTRACK.
    public static func rewriteTexts(_ outcome: DiffOutcome, family: Family) -> [String] {
        switch outcome.ending {
        case .drop, .reject: return []
        default: break
        }
        let rewrites = outcome.environment.rewrites
        var words: [String] = []
        for (addressField, portField, name) in [(PacketField.destination, PacketField.destinationPort, "dnat"), (.source, .sourcePort, "snat")] {
            var address: String?
            switch rewrites[addressField] {
            case .value(let value)?: address = Witness.address(value, family).description
            case .opaque(let tag)?: words.append(SymbolicAction.bare(tag).lowercased().split(separator: " ").first.map(String.init) ?? tag)
            default: break
            }
            var port: String?
            if case .value(let value)? = rewrites[portField] { port = String(value) }
            if address != nil || port != nil {
                let host = address.map { family == .ipv6 && port != nil ? "[\($0)]" : $0 } ?? ""
                words.append(name + " " + host + (port.map { ":" + $0 } ?? ""))
            }
        }
        for (field, name) in [(PacketField.mark, "mark"), (.connmark, "connmark")] {
            switch rewrites[field] {
            case .bits(let keep, let flip, let source)?:
                let mask = ~keep & 0xFFFF_FFFF
                var text = "\(name) set 0x\(String(flip, radix: 16))" + (mask == 0xFFFF_FFFF ? "" : "/0x\(String(mask, radix: 16))")
                if let source, keep != 0 { text = "\(name) from \(source == .connmark ? "connmark" : "mark")" + (flip == 0 && keep == 0xFFFF_FFFF ? "" : " (\(text))") }
                words.append(text)
            case .opaque(let tag)?:
                words.append("\(name) from " + SymbolicAction.bare(tag))
            default: break
            }
        }
        if rewrites[.state] != nil { words.append("notrack") }
        return words
    }

    static func decisionText(_ outcome: DiffOutcome) -> String {
        outcome.decidingRule?.reference ?? "-"
    }

    public static func text(_ diffs: [SemanticDiff]) -> String {
        var out = ""
        var changed = 0
        for diff in diffs {
            let familyName = diff.family == .ipv4 ? "IPv4" : "IPv6"
            for walk in diff.scope.walks {
                let classes = diff.classes.filter { $0.walk == walk }
                guard !classes.isEmpty else { continue }
                changed += classes.count
                out += "\(familyName) \(walk): \(classes.count) class\(classes.count == 1 ? "" : "es") of packets treated differently\n"
                for found in classes {
                    out += "  " + PacketClassText.describe(found.packets, family: diff.family, walk: walk) + ": "
                        + outcomeText(found.old, family: diff.family) + " → " + outcomeText(found.new, family: diff.family)
                        + " (old \(decisionText(found.old)), new \(decisionText(found.new)))\n"
                    if let witness = found.witness {
                        let status: String
                        switch found.confirmed {
                        case true?: status = "the evaluator agrees"
                        case false?: status = "NOT confirmed by the evaluator: please report this"
                        case nil: status = "depends on what the evaluator cannot decide"
                        }
                        out += "      e.g. \(PacketDescription.format(witness)) (\(status))\n"
                    }
                }
            }
        }
        let structure = diffs.flatMap { diff in diff.structure.chains.map { (diff.family, $0) } }
        if !structure.isEmpty {
            out += "Structure:\n"
            for (family, change) in structure {
                let prefix = diffs.count > 1 ? (family == .ipv4 ? "IPv4 " : "IPv6 ") : ""
                out += "  \(prefix)\(change.table)/\(change.chain): "
                switch change.kind {
                case .added: out += "chain added (\(change.added.count) rule\(change.added.count == 1 ? "" : "s"))\n"
                case .removed: out += "chain removed (\(change.removed.count) rule\(change.removed.count == 1 ? "" : "s"))\n"
                case .renamed: out += "renamed to \(change.newName ?? "?") (same rules)\n"
                case .changed:
                    var parts: [String] = []
                    if let policy = change.policy { parts.append("policy \(policy.old) → \(policy.new)") }
                    if !change.added.isEmpty { parts.append("\(change.added.count) added") }
                    if !change.removed.isEmpty { parts.append("\(change.removed.count) removed") }
                    if !change.moved.isEmpty { parts.append("\(change.moved.count) moved") }
                    out += parts.joined(separator: ", ") + "\n"
                    for rule in change.removed { out += "      - #\(rule.number) \(rule.text)\n" }
                    for rule in change.added { out += "      + #\(rule.number) \(rule.text)\n" }
                    for rule in change.moved { out += "      ~ #\(rule.from) → #\(rule.to) \(rule.text)\n" }
                }
            }
        }
        if changed == 0 {
            out += structure.isEmpty ? "no packet changes (the rulesets are the same)\n"
                                     : "no packet changes (the rulesets differ only in their text)\n"
        } else {
            out += "\(changed) class\(changed == 1 ? "" : "es") of packets change\n"
        }
        return out
    }

    public static func json(_ diffs: [SemanticDiff]) -> String {
        func outcome(_ outcome: DiffOutcome, family: Family) -> String {
            let decisions = outcome.decisions.map { decision in
                "{\"rule\": \(JSONText.string(decision.reference)), \"verdict\": \(JSONText.string(decision.verdict))"
                    + (decision.location.map { ", \"line\": \($0.line)" } ?? "") + "}"
            }
            return "{\"verdict\": \(JSONText.string(outcome.ending.name)), \"by\": \(JSONText.string(decisionText(outcome))), "
                + "\"rewrites\": [\(rewriteTexts(outcome, family: family).map(JSONText.string).joined(separator: ", "))], "
                + "\"effects\": [\(outcome.environment.effects.map(JSONText.string).joined(separator: ", "))], "
                + "\"decisions\": [\(decisions.joined(separator: ", "))]}"
        }
        var classes: [String] = []
        for diff in diffs {
            for found in diff.classes {
                let conditions = found.conditions.map { "{\"match\": \(JSONText.string($0.text)), \"holds\": \($0.holds)}" }
                let confirmed = found.confirmed.map { $0 ? "true" : "false" } ?? "null"
                classes.append("    {\"family\": \"\(diff.family.rawValue)\", \"walk\": \(JSONText.string(found.walk.description)), "
                    + "\"packets\": \(JSONText.string(PacketClassText.describe(found.packets, family: diff.family, walk: found.walk))), "
                    + "\"conditions\": [\(conditions.joined(separator: ", "))], "
                    + "\"old\": \(outcome(found.old, family: diff.family)), \"new\": \(outcome(found.new, family: diff.family)), "
                    + "\"witness\": \(found.witness.map { JSONText.string(PacketDescription.format($0)) } ?? "null"), \"confirmed\": \(confirmed)}")
            }
        }
        var chains: [String] = []
        for diff in diffs {
            for change in diff.structure.chains {
                func rules(_ list: [(number: Int, text: String)]) -> String {
                    "[" + list.map { "{\"rule\": \($0.number), \"text\": \(JSONText.string($0.text))}" }.joined(separator: ", ") + "]"
                }
                let moved = change.moved.map { "{\"from\": \($0.from), \"to\": \($0.to), \"text\": \(JSONText.string($0.text))}" }
                chains.append("    {\"family\": \"\(diff.family.rawValue)\", \"table\": \(JSONText.string(change.table)), "
                    + "\"chain\": \(JSONText.string(change.chain)), \"change\": \"\(change.kind.rawValue)\""
                    + (change.newName.map { ", \"newName\": \(JSONText.string($0))" } ?? "")
                    + (change.policy.map { ", \"policy\": {\"old\": \"\($0.old)\", \"new\": \"\($0.new)\"}" } ?? "")
                    + ", \"added\": \(rules(change.added)), \"removed\": \(rules(change.removed)), \"moved\": [\(moved.joined(separator: ", "))]}")
            }
        }
        let changes = diffs.contains { $0.changesPackets }
        return "{\n  \"changesPackets\": \(changes),\n  \"classes\": [\n" + classes.joined(separator: ",\n") + (classes.isEmpty ? "" : "\n")
            + "  ],\n  \"structure\": [\n" + chains.joined(separator: ",\n") + (chains.isEmpty ? "" : "\n") + "  ]\n}"
    }
}
