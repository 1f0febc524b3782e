/// Lint findings as SARIF 2.1.0 (the format GitHub code scanning reads): the rule
/// metadata from the lint registry (its help names the section of docs/lints.md), each
/// finding with its file, line and column, and the related rules as related locations.
public enum SARIFRenderer {
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    public static func render(_ findings: [LintFinding], lints: [any Lint], version: String) -> String {
        let descriptors = lints.map(\.descriptor)
        let rules = descriptors.map { descriptor in
            """
                  {
                    "id": \(JSONText.string(descriptor.id)),
                    "name": \(JSONText.string(pascalCase(descriptor.id))),
                    "shortDescription": {"text": \(JSONText.string(descriptor.title))},
                    "fullDescription": {"text": \(JSONText.string(descriptor.summary))},
                    "help": {"text": \(JSONText.string(descriptor.summary + " See " + descriptor.documentation + "."))},
                    "defaultConfiguration": {"level": \(JSONText.string(level(descriptor.severity)))},
                    "properties": {"tags": [\(JSONText.string(descriptor.group)), "firewall"]}
                  }
            """
        }
        let results = findings.map { finding in
            let index = descriptors.firstIndex { $0.id == finding.lint } ?? 0
            var text = """
                  {
                    "ruleId": \(JSONText.string(finding.lint)),
                    "ruleIndex": \(index),
                    "level": \(JSONText.string(level(finding.severity))),
                    "message": {"text": \(JSONText.string(finding.message))},
                    "locations": [\(location(finding.location, id: nil))]
            """
            if !finding.related.isEmpty {
                let related = finding.related.enumerated().map { location($1, id: $0 + 1) }
                text += ",\n          \"relatedLocations\": [\(related.joined(separator: ", "))]"
            }
            return text + "\n      }"
        }
        return """
        {
          "$schema": \(JSONText.string(schema)),
          "version": "2.1.0",
          "runs": [
            {
              "tool": {
                "driver": {
                  "name": "verdict",
                  "version": \(JSONText.string(version)),
                  "rules": [
        \(rules.joined(separator: ",\n"))
                  ]
                }
              },
              "columnKind": "utf16CodeUnits",
              "results": [
        \(results.joined(separator: ",\n"))
              ]
            }
          ]
        }
        """
    }

    /// SARIF's levels: note, warning, error.
    static func level(_ severity: LintSeverity) -> String { severity.rawValue }

    static func location(_ location: LintLocation, id: Int?) -> String {
        var physical = "\"artifactLocation\": {\"uri\": \(JSONText.string(uri(location.file)))}"
        if location.position.line > 0 {
            physical += ", \"region\": {\"startLine\": \(location.position.line), \"startColumn\": \(max(1, location.position.column))}"
        }
        var fields: [String] = []
        if let id { fields.append("\"id\": \(id)") }
        fields.append("\"physicalLocation\": {\(physical)}")
        if let reference = location.ruleReference {
            fields.append("\"logicalLocations\": [{\"fullyQualifiedName\": \(JSONText.string(reference)), \"kind\": \"member\"}]")
            if id != nil { fields.append("\"message\": {\"text\": \(JSONText.string(reference))}") }
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// A relative path as a URI reference (SARIF wants forward slashes and escaped spaces).
    static func uri(_ path: String) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case " ": out += "%20"
            case "%": out += "%25"
            case "#": out += "%23"
            case "?": out += "%3F"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out.hasPrefix("./") ? String(out.dropFirst(2)) : out
    }

    /// `shadowed-rule` → `ShadowedRule`.
    static func pascalCase(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
