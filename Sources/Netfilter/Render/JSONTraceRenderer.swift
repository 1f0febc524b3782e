/// The walk as JSON, in the schema docs/json.md documents.
public enum JSONTraceRenderer {
    /// The classes of a trace: each outcome with its packets, conditions and witness.
    public static func render(_ classes: [OutcomeClass], described: DescribedPackets, ruleset: RuleBook,
                              fromStart: Bool) -> String {
        let outcomes = classes.map { item -> String in
            var fields = outcomeFields(item.result, fromStart: fromStart)
            let line = AnswerRenderer.line(item, described: described, ruleset: ruleset)
            let answer = ["\"answer\": \(quote(line))",
                          "\"packets\": \(quote(PacketDescription.format(described.packet, class: item.packets)))",
                          "\"conditions\": " + conditions(item.packets),
                          "\"witness\": " + (item.witness.map { quote(PacketDescription.format($0)) } ?? "null"),
                          "\"confirmed\": " + (item.confirmed.map { String($0) } ?? "null")]
            fields.insert(contentsOf: answer, at: 1)
            if !item.ways.isEmpty {
                fields.append("\"ways\": [" + item.ways.map { way in
                    "{\"packets\": \(quote(PacketDescription.format(described.packet, class: way.packets))), "
                        + "\"conditions\": \(conditions(way.packets)), "
                        + "\"packetAfter\": \(quote(PacketDescription.format(after(way.result)))), "
                        + "\"steps\": \(steps(way.result.steps, fromStart: fromStart))}"
                }.joined(separator: ", ") + "]")
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return "{\"packet\": \(quote(PacketDescription.format(described.packet, class: described.packets?.cubes.first))), "
            + "\"outcomes\": [" + outcomes.joined(separator: ", ") + "]}"
    }

    /// The fields of one outcome of a walk: verdict, what the walk assumed, the packet after
    /// it and every step.
    static func outcomeFields(_ result: WalkResult, fromStart: Bool) -> [String] {
        var fields = ["\"verdict\": " + (result.verdict.map { quote($0.rawValue) } ?? "null")]
        if let reason = result.undetermined { fields.append("\"undetermined\": \(quote(reason))") }
        fields.append("\"assumptions\": [" + result.assumptions.map(quote).joined(separator: ", ") + "]")
        fields.append("\"probability\": " + (result.probability.map { String($0) } ?? "null"))
        fields.append("\"packetAfter\": \(quote(PacketDescription.format(after(result))))")
        fields.append("\"steps\": " + steps(result.steps, fromStart: fromStart))
        return fields
    }

    /// The packet as the walk left it.
    static func after(_ result: WalkResult) -> Packet {
        var packet = result.packet
        packet.open = []
        return packet
    }

    /// A class's conditions: the matches the algebra cannot express, and whether each holds.
    static func conditions(_ cube: PacketCube?) -> String {
        "[" + (cube?.conditions ?? []).map { condition in
            "{\"match\": \(quote(condition.text)), \"holds\": \(condition.holds)}"
        }.joined(separator: ", ") + "]"
    }

    /// Every step of a walk.
    static func steps(_ steps: [TraceStep], fromStart: Bool) -> String {
        "[" + steps.map { step -> String in
            var fields = ["\"table\": \(quote(step.table))", "\"chain\": \(quote(step.chain))", "\"number\": \(step.number)",
                          "\"depth\": \(step.depth)"]
            switch step.kind {
            case .matched: fields.append("\"kind\": \"match\"")
            case .skipped(let reason): fields += ["\"kind\": \"no-match\"", "\"reason\": \(quote(reason))"]
            case .skippedRun(let last, let reason):
                fields += ["\"kind\": \"no-match\"", "\"through\": \(last)", "\"reason\": \(quote(reason))"]
            case .policy: fields.append("\"kind\": \"policy\"")
            case .implicitReturn: fields.append("\"kind\": \"return\"")
            }
            if let effect = step.effect { fields.append("\"effect\": \(quote(effect))") }
            if let type = step.kernelType, fromStart || step.traced {
                fields.append("\"kernel\": \(quote("TRACE: \(step.table):\(step.chain):\(type):\(step.number)"))")
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }.joined(separator: ", ") + "]"
    }

    static func quote(_ text: String) -> String { JSONText.string(text) }
}
