/// `verdict test --format json`: every case with its result and outcomes
/// (docs/expectations.md, section 3).
public enum ExpectationJSONRenderer {
    public static func render(_ results: [SpecResult], target: SpecTarget) -> String {
        func quote(_ text: String) -> String { JSONText.string(text) }
        func outcomes(_ list: [CaseOutcome]) -> String {
            "[" + list.map { outcome in
                let rules = target.rules(for: outcome.after.family)
                var fields = ["\"fate\": \(quote(OutcomeWords.fate(outcome.fate)))"]
                if let step = outcome.decisive {
                    fields.append("\"by\": \(quote(RuleLookup.reference(step)))")
                    fields.append("\"rule\": " + (rules.flatMap { RuleLookup.text(step, in: $0) }.map(quote) ?? "null"))
                } else {
                    fields += ["\"by\": null", "\"rule\": null"]
                }
                fields.append("\"hooks\": [" + outcome.hooks.map { quote($0.rawValue) }.joined(separator: ", ") + "]")
                fields.append("\"to\": " + (outcome.exit.map { quote($0.description) } ?? "null"))
                fields.append("\"after\": " + quote(PacketDescription.endpoint(outcome.after.source, outcome.after.sourcePort) + " > "
                                                    + PacketDescription.endpoint(outcome.after.destination, outcome.after.destinationPort)))
                fields.append("\"assumptions\": [" + outcome.assumptions.map(quote).joined(separator: ", ") + "]")
                fields.append("\"reason\": " + (outcome.reason.map(quote) ?? "null"))
                return "{" + fields.joined(separator: ", ") + "}"
            }.joined(separator: ", ") + "]"
        }
        let files = results.map { result in
            let cases = result.cases.map { item in
                var fields = ["\"line\": \(item.item.line)", "\"case\": \(quote(OutcomeWords.caseLine(item.item)))",
                              "\"passed\": \(item.passed)", "\"message\": \(quote(item.message))",
                              "\"outcomes\": \(outcomes(item.outcomes))"]
                if let replies = item.replies { fields.append("\"replies\": \(outcomes(replies))") }
                return "{" + fields.joined(separator: ", ") + "}"
            }
            return "{\"file\": \(quote(result.file)), \"passed\": \(result.passed), \"failed\": \(result.failed), \"cases\": [" + cases.joined(separator: ", ") + "]}"
        }
        let passed = results.reduce(0) { $0 + $1.passed }, failed = results.reduce(0) { $0 + $1.failed }
        return "{\"passed\": \(passed), \"failed\": \(failed), \"files\": [" + files.joined(separator: ", ") + "]}"
    }
}
