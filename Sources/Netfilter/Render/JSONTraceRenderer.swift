/// The walk as JSON, in the schema docs/json.md documents.
public enum JSONTraceRenderer {
    /// The classes of a trace: each outcome with its packets, conditions and witness.
    /// `hook`: the hook walked (nil: a chain walked alone), for the packet's fields in `lines`.
    public static func render(_ classes: [OutcomeClass], described: DescribedPackets, ruleset: RuleBook,
                              fromStart: Bool, hook: Hook?) -> String {
        var out = ""
        write(classes, described: described, ruleset: ruleset, fromStart: fromStart, hook: hook, to: &out)
        return out
    }

    /// `render`, written to `out` as it is made, step by step.
    public static func write<Output: TextOutputStream>(_ classes: [OutcomeClass], described: DescribedPackets,
                                                       ruleset: RuleBook, fromStart: Bool, hook: Hook?,
                                                       to out: inout Output) {
        let packet = PacketDescription.format(described.packet, class: described.packets?.cubes.first)
        out.write("{\"packet\": \(quote(packet)), \"outcomes\": [")
        for (index, item) in classes.enumerated() {
            let line = AnswerRenderer.line(item, described: described, ruleset: ruleset)
            out.write((index == 0 ? "{" : ", {") + verdictField(item.result) + ", "
                      + ["\"answer\": \(quote(line))",
                         "\"packets\": \(quote(PacketDescription.format(described.packet, class: item.packets)))",
                         "\"conditions\": " + conditions(item.packets),
                         "\"witness\": " + (item.witness.map { quote(PacketDescription.format($0)) } ?? "null"),
                         "\"confirmed\": " + (item.confirmed.map { String($0) } ?? "null")].joined(separator: ", "))
            writeOutcome(item.result, fromStart: fromStart, to: &out)
            writeLines(KernelTraceRenderer.traceLines(item.result, described: described.packet, packets: item.packets,
                                                      hook: hook, fromStart: fromStart), to: &out)
            if !item.ways.isEmpty {
                out.write(", \"ways\": [")
                for (number, way) in item.ways.enumerated() {
                    let packets = PacketDescription.format(described.packet, class: way.packets)
                    out.write((number == 0 ? "" : ", ") + "{\"packets\": \(quote(packets)), "
                              + "\"conditions\": \(conditions(way.packets)), "
                              + "\"packetAfter\": \(quote(PacketDescription.format(after(way.result)))), \"steps\": ")
                    writeSteps(way.result.steps, fromStart: fromStart, to: &out)
                    writeLines(KernelTraceRenderer.traceLines(way.result, described: described.packet,
                                                              packets: way.packets ?? item.packets, hook: hook,
                                                              fromStart: fromStart), to: &out)
                    out.write("}")
                }
                out.write("]")
            }
            out.write("}")
        }
        out.write("]}")
    }

    /// An outcome's verdict field.
    static func verdictField(_ result: WalkResult) -> String {
        "\"verdict\": " + (result.verdict.map { quote($0.rawValue) } ?? "null")
    }

    /// The fields of one outcome of a walk after its verdict, each after a comma: what the walk
    /// assumed, the packet after it and every step.
    static func writeOutcome<Output: TextOutputStream>(_ result: WalkResult, fromStart: Bool, to out: inout Output) {
        if let reason = result.undetermined { out.write(", \"undetermined\": \(quote(reason))") }
        out.write(", \"assumptions\": [" + result.assumptions.map(quote).joined(separator: ", ") + "]")
        out.write(", \"probability\": " + (result.probability.map { String($0) } ?? "null"))
        out.write(", \"packetAfter\": \(quote(PacketDescription.format(after(result)))), \"steps\": ")
        writeSteps(result.steps, fromStart: fromStart, to: &out)
    }

    /// The TRACE lines of a walk with the packet's fields at each, after a comma.
    static func writeLines<Output: TextOutputStream>(_ lines: [TraceLine], to out: inout Output) {
        out.write(", \"lines\": [" + lines.map(TraceLineJSON.object).joined(separator: ", ") + "]")
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
    static func writeSteps<Output: TextOutputStream>(_ steps: [TraceStep], fromStart: Bool, to out: inout Output) {
        out.write("[")
        for (index, step) in steps.enumerated() {
            var fields = ["\"table\": \(quote(step.table))", "\"chain\": \(quote(step.chain))", "\"number\": \(step.number)",
                          "\"depth\": \(step.depth)"]
            switch step.kind {
            case .matched: fields.append("\"kind\": \"match\"")
            case .skipped(let reason): fields += ["\"kind\": \"no-match\"", "\"reason\": \(quote(reason))"]
            case .mayMatch(let reason): fields += ["\"kind\": \"may-match\"", "\"reason\": \(quote(reason))"]
            case .skippedRun(let last, let reason):
                fields += ["\"kind\": \"no-match\"", "\"through\": \(last)", "\"reason\": \(quote(reason))"]
            case .policy: fields.append("\"kind\": \"policy\"")
            case .implicitReturn: fields.append("\"kind\": \"return\"")
            }
            if let effect = step.effect { fields.append("\"effect\": \(quote(effect.description))") }
            // An nft base chain's entry: the rule as nft lists it, the packet as the chain saw it.
            if let rule = step.nftRule { fields.append("\"nft\": \(quote(rule))") }
            if let packet = step.nftPacket { fields.append("\"nftPacket\": \(quote(packet))") }
            if let type = step.kernelType, fromStart || step.traced {
                fields.append("\"kernel\": \(quote("TRACE: \(step.table):\(step.chain):\(type):\(step.number)"))")
            }
            out.write((index == 0 ? "{" : ", {") + fields.joined(separator: ", ") + "}")
        }
        out.write("]")
    }

    static func quote(_ text: String) -> String { JSONText.string(text) }
}
