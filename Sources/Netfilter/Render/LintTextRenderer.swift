/// Lint findings for people: `file:line:col: severity: message [id]`, related places
/// indented below, and a closing count.
public enum LintTextRenderer {
    public static func render(_ findings: [LintFinding]) -> String {
        var out = ""
        for finding in findings {
            out += "\(finding.location.description): \(finding.severity.rawValue): \(finding.message) [\(finding.lint)]\n"
            for related in finding.related {
                out += "    \(related.description): see \(related.ruleReference ?? "here")\n"
            }
        }
        out += summary(findings) + "\n"
        return out
    }

    /// `3 findings: 1 warning, 2 notes`, or `no findings`.
    public static func summary(_ findings: [LintFinding]) -> String {
        guard !findings.isEmpty else { return "no findings" }
        let parts = LintSeverity.allCases.reversed().compactMap { severity -> String? in
            let count = findings.filter { $0.severity == severity }.count
            return count == 0 ? nil : "\(count) \(severity.rawValue)\(count == 1 ? "" : "s")"
        }
        return "\(findings.count) finding\(findings.count == 1 ? "" : "s"): \(parts.joined(separator: ", "))"
    }

    /// `verdict lint --list`: every lint with its id, severity and summary.
    public static func list(_ lints: [any Lint]) -> String {
        var out = ""
        for group in ["generic", "docker"] {
            out += group == "generic" ? "Generic lints:\n" : "\nDocker lints (when the rules are Docker's):\n"
            for lint in lints where lint.descriptor.group == group {
                let descriptor = lint.descriptor
                out += "  " + descriptor.id.padding(toLength: 26, withPad: " ", startingAt: 0)
                    + descriptor.severity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + descriptor.summary + "\n"
            }
        }
        return out
    }
}
