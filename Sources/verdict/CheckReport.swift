import Netfilter

/// The text and JSON forms of `verdict check`'s summary.
enum CheckReport {
    static func text(file: String, family: String, summary: RulesetSummary, diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        let rules = summary.tables.reduce(0) { $0 + $1.rules }
        var text = "\(file): \(family), \(summary.tables.count) table(s), \(rules) rule(s)"
        text += errors + warnings == 0 ? ", ok" : ", \(errors) error(s), \(warnings) warning(s)"
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
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        let rules = summary.tables.reduce(0) { $0 + $1.rules }
        var text = "\(file): nft, \(summary.tables.count) table(s), \(rules) rule(s)"
        text += errors + warnings == 0 ? ", ok" : ", \(errors) error(s), \(warnings) warning(s)"
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
        let items = diagnostics.map { diagnostic in
            "{\"severity\": \(JSON.string(diagnostic.severity.rawValue)), \"line\": \(diagnostic.location.line), "
                + "\"column\": \(diagnostic.location.column), \"message\": \(JSON.string(diagnostic.message))}"
        }
        return "{\"file\": \(JSON.string(file)), \"family\": \"nft\", \"tables\": [\(tables.joined(separator: ", "))], "
            + "\"diagnostics\": [\(items.joined(separator: ", "))]}"
    }

    static func json(file: String, family: String, summary: RulesetSummary, diagnostics: [Diagnostic]) -> String {
        func counts(_ list: [(name: String, count: Int)]) -> String {
            "{" + list.map { "\(JSON.string($0.name)): \($0.count)" }.joined(separator: ", ") + "}"
        }
        let tables = summary.tables.map { table in
            "{\"name\": \(JSON.string(table.name)), \"builtinChains\": \(table.builtinChains), \"userChains\": \(table.userChains), \"rules\": \(table.rules), \"modules\": \(counts(table.modules)), \"targets\": \(counts(table.targets))}"
        }
        let items = diagnostics.map { diagnostic in
            "{\"severity\": \(JSON.string(diagnostic.severity.rawValue)), \"line\": \(diagnostic.location.line), \"column\": \(diagnostic.location.column), \"message\": \(JSON.string(diagnostic.message))}"
        }
        return """
        {"file": \(JSON.string(file)), "family": \(JSON.string(family)), "tables": [\(tables.joined(separator: ", "))], "diagnostics": [\(items.joined(separator: ", "))]}
        """
    }
}

/// JSON string escaping, shared with the library's renderers.
enum JSON {
    static func string(_ text: String) -> String { JSONText.string(text) }
}
