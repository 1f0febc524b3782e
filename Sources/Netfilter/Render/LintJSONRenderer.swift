/// Lint findings as JSON (docs/json.md): `{"findings": [...], "summary": {...}}`.
public enum LintJSONRenderer {
    public static func render(_ findings: [LintFinding]) -> String {
        func location(_ location: LintLocation) -> String {
            var fields = ["\"file\": \(JSONText.string(location.file))", "\"line\": \(location.position.line)",
                          "\"column\": \(location.position.column)"]
            if let chain = location.chain { fields.append("\"chain\": \(JSONText.string(chain))") }
            if let number = location.ruleNumber { fields.append("\"rule\": \(number)") }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        let items = findings.map { finding in
            "    {\"lint\": \(JSONText.string(finding.lint)), \"severity\": \(JSONText.string(finding.severity.rawValue)), "
                + "\"message\": \(JSONText.string(finding.message)), \"location\": \(location(finding.location)), "
                + "\"related\": [\(finding.related.map(location).joined(separator: ", "))]}"
        }
        let counts = LintSeverity.allCases.map { severity in
            "\"\(severity.rawValue)s\": \(findings.filter { $0.severity == severity }.count)"
        }
        return "{\n  \"findings\": [\n" + items.joined(separator: ",\n") + (items.isEmpty ? "" : "\n")
            + "  ],\n  \"summary\": {" + counts.joined(separator: ", ") + "}\n}"
    }
}
