/// The walk as JSON, in the schema docs/json.md documents.
public enum JSONTraceRenderer {
    public static func render(_ results: [WalkResult], packet: Packet, ruleset: Ruleset, fromStart: Bool) -> String {
        let outcomes = results.map { result -> String in
            let steps = result.steps.map { step -> String in
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
            }
            var fields = ["\"verdict\": " + (result.verdict.map { quote($0.rawValue) } ?? "null")]
            if let reason = result.undetermined { fields.append("\"undetermined\": \(quote(reason))") }
            fields.append("\"assumptions\": [" + result.assumptions.map(quote).joined(separator: ", ") + "]")
            fields.append("\"probability\": " + (result.probability.map { String($0) } ?? "null"))
            fields.append("\"packetAfter\": \(quote(PacketDescription.format(result.packet)))")
            fields.append("\"steps\": [" + steps.joined(separator: ", ") + "]")
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return "{\"packet\": \(quote(PacketDescription.format(packet))), \"outcomes\": [" + outcomes.joined(separator: ", ") + "]}"
    }

    static func quote(_ text: String) -> String { JSONText.string(text) }
}
