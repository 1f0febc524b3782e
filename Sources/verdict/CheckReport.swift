import Netfilter

/// The text and JSON forms of `verdict check`'s summary.
enum CheckReport {
    /// `rules.v4: ipv4, 2 table(s), 11 rule(s), ok`, or the errors and warnings counted.
    static func headline(file: String, family: String, tables: Int, rules: Int, diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        return "\(file): \(family), \(tables) table(s), \(rules) rule(s)"
            + (errors + warnings == 0 ? ", ok" : ", \(errors) error(s), \(warnings) warning(s)")
    }

    /// The diagnostics as the JSON report's `diagnostics` array.
    static func diagnosticsJSON(_ diagnostics: [Diagnostic]) -> String {
        "[" + diagnostics.map { diagnostic in
            "{\"severity\": \(JSON.string(diagnostic.severity.rawValue)), \"line\": \(diagnostic.location.line), "
                + "\"column\": \(diagnostic.location.column), \"message\": \(JSON.string(diagnostic.message))}"
        }.joined(separator: ", ") + "]"
    }

    static func text(file: String, family: String, summary: RulesetSummary, diagnostics: [Diagnostic]) -> String {
        var text = headline(file: file, family: family, tables: summary.tables.count,
                            rules: summary.tables.reduce(0) { $0 + $1.rules }, diagnostics: diagnostics)
        for table in summary.tables {
            text += "\n  \(table.name): \(table.builtinChains + table.userChains) chains (\(table.builtinChains) built-in, \(table.userChains) user), \(table.rules) rules"
            if !table.modules.isEmpty {
                text += "\n    modules: " + table.modules.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
            }
            if !table.targets.isEmpty {
                text += "\n    targets: " + table.targets.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
            }
        }
        return text
    }

    /// The text summary of nft text: one line for the file, then each table's.
    static func text(file: String, nft summary: NftSummary, diagnostics: [Diagnostic]) -> String {
        let text = headline(file: file, family: "nft", tables: summary.tables.count,
                            rules: summary.tables.reduce(0) { $0 + $1.rules }, diagnostics: diagnostics)
        return ([text] + summary.lines).joined(separator: "\n")
    }

    /// The JSON report of nft text.
    static func json(file: String, nft summary: NftSummary, diagnostics: [Diagnostic]) -> String {
        let tables = summary.tables.map { table in
            let bases = table.baseChains.map { base in
                "{\"name\": \(JSON.string(base.name)), \"type\": \(JSON.string(base.type)), "
                    + "\"hook\": \(JSON.string(base.hook)), \"priority\": \(JSON.string(base.priority)), "
                    + "\"policy\": \(base.policy.map(JSON.string) ?? "null")}"
            }
            return "{\"family\": \(JSON.string(table.family)), \"name\": \(JSON.string(table.name)), "
                + "\"chains\": \(table.chains), \"baseChains\": [\(bases.joined(separator: ", "))], "
                + "\"sets\": \(table.sets), \"maps\": \(table.maps), \"rules\": \(table.rules)}"
        }
        return "{\"file\": \(JSON.string(file)), \"family\": \"nft\", \"tables\": [\(tables.joined(separator: ", "))], "
            + "\"diagnostics\": \(diagnosticsJSON(diagnostics))}"
    }

    static func json(file: String, family: String, summary: RulesetSummary, diagnostics: [Diagnostic]) -> String {
        func counts(_ list: [(name: String, count: Int)]) -> String {
            "{" + list.map { "\(JSON.string($0.name)): \($0.count)" }.joined(separator: ", ") + "}"
        }
        let tables = summary.tables.map { table in
            "{\"name\": \(JSON.string(table.name)), \"builtinChains\": \(table.builtinChains), \"userChains\": \(table.userChains), \"rules\": \(table.rules), \"modules\": \(counts(table.modules)), \"targets\": \(counts(table.targets))}"
        }
        return """
        {"file": \(JSON.string(file)), "family": \(JSON.string(family)), "tables": [\(tables.joined(separator: ", "))], "diagnostics": \(diagnosticsJSON(diagnostics))}
        """
    }
}

/// JSON string escaping, shared with the library's renderers.
enum JSON {
    static func string(_ text: String) -> String { JSONText.string(text) }
}
