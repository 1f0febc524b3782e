import Foundation

/// Reads the JSON `nft -j list ruleset` prints (libnftables-json(5)) into the AST `NftParser`
/// builds from the text `nft list ruleset` prints for the same ruleset, so that `NftPrinter`
/// prints nft's text from it: the objects listed flat (`table`, then its `set`s and `map`s,
/// `chain`s and `rule`s, each naming its family and table) are gathered into tables in their
/// order; values are printed as nft prints them for their datatypes; each rule's statements are
/// what the text parser makes of nft's text of them. Problems are `Diagnostic`s at the line and
/// column of the offending object, their message naming its JSON path; it never traps on any
/// input.
///
/// nft 1.0.6 leaves some things out of its JSON that its text has (docs/grammar.md lists them: a
/// table's flags and comment, a chain's comment and device, `typeof`, a set's `dynamic` flag and
/// `auto-merge`, milliseconds of `expires`): what is not there is not printed.
public enum NftJSONReader {
    public static func read(_ bytes: [UInt8]) -> NftParseResult {
        var reader = Reader(bytes)
        reader.read()
        return NftParseResult(ruleset: NftRuleset(tables: reader.tables), diagnostics: reader.diagnostics)
    }

    public static func read(_ text: String) -> NftParseResult { read(Array(text.utf8)) }

    /// What is wrong with read JSON: its errors, or what the kernel would refuse, as
    /// `NftValidator.diagnostics(of:)`; but a netdev or ingress chain is taken to have the device
    /// nft 1.0.6 leaves out of its JSON (the kernel listed it, so it has one).
    public static func diagnostics(of result: NftParseResult) -> [Diagnostic] {
        var ruleset = result.ruleset
        for table in ruleset.tables.indices {
            for member in ruleset.tables[table].members.indices {
                guard case .chain(var chain) = ruleset.tables[table].members[member],
                      var base = chain.base, base.device == nil, base.devices == nil else { continue }
                base.device = "\"\""
                chain.base = base
                ruleset.tables[table].members[member] = .chain(chain)
            }
        }
        return NftValidator.diagnostics(of: NftParseResult(ruleset: ruleset, diagnostics: result.diagnostics))
    }

    /// Whether the bytes are nft's JSON: `{"nftables": [` after any whitespace.
    public static func isNftJSON(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
        func expect(_ text: String) -> Bool {
            skipSpace()
            let expected = Array(text.utf8)
            guard index + expected.count <= bytes.count,
                  Array(bytes[index..<(index + expected.count)]) == expected else { return false }
            index += expected.count
            return true
        }
        return expect("{") && expect("\"nftables\"") && expect(":") && expect("[")
    }

    struct TableKey: Hashable {
        var family: NftFamily
        var name: String
    }

    struct Reader {
        let bytes: [UInt8]
        let locator: NftJSONLocator
        var tables: [NftTable] = []
        var diagnostics: [Diagnostic] = []
        /// Each table's index in `tables`, its chains' indices in its members, its sets' kinds.
        var tableIndex: [TableKey: Int] = [:]
        var chainIndex: [TableKey: [String: Int]] = [:]
        var contexts: [TableKey: NftJSONContext] = [:]
        /// Where each element of the `nftables` array starts.
        var elementOffsets: [Int] = []
        /// The rules read, by the index of their table and of their chain among its members (put
        /// into the chains at the end: appending to a chain inside its enum would copy its rules).
        var rules: [Int: [Int: [NftRule]]] = [:]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            locator = NftJSONLocator(bytes)
        }

        mutating func report(_ problem: NftJSONProblem) {
            let location = locator.location(of: problem.path)
            let message = problem.path.components.isEmpty ? problem.message : "\(problem.path): \(problem.message)"
            diagnostics.append(Diagnostic(problem.severity, message, at: location))
        }

        /// The line and column of element `index` of the `nftables` array.
        func location(ofElement index: Int) -> SourceLocation {
            index < elementOffsets.count ? locator.location(atOffset: elementOffsets[index]) : .unknown
        }

        mutating func read() {
            if let (offset, message) = locator.syntaxError() {
                diagnostics.append(.error("not valid JSON: \(message)", at: locator.location(atOffset: offset)))
                return
            }
            let value: NftJSON
            do {
                guard let converted = NftJSON(foundation: try JSONSerialization.jsonObject(with: Data(bytes))) else {
                    report(NftJSONProblem("not valid JSON", at: NftJSONPath()))
                    return
                }
                value = converted
            } catch {
                let reason = (error as NSError).userInfo["NSDebugDescription"] as? String ?? "\(error)"
                report(NftJSONProblem("not valid JSON (\(reason))", at: NftJSONPath()))
                return
            }
            let root = NftJSONPath() / "nftables"
            guard let items = value.object?["nftables"]?.array else {
                report(NftJSONProblem("expected an object {\"nftables\": [...]}, as `nft -j list ruleset` prints",
                                      at: NftJSONPath()))
                return
            }
            elementOffsets = locator.elementOffsets(of: root)
            for (index, item) in items.enumerated() {
                do throws(NftJSONProblem) {
                    try read(item, index: index, at: root / index)
                } catch {
                    report(error)
                }
            }
            for (table, chains) in rules {
                for (member, chainRules) in chains {
                    guard case .chain(var chain) = tables[table].members[member] else { continue }
                    tables[table].members[member] = .block(NftBlock(header: "", lines: []))
                    chain.rules += chainRules
                    tables[table].members[member] = .chain(chain)
                }
            }
        }

        mutating func read(_ item: NftJSON, index: Int, at path: NftJSONPath) throws(NftJSONProblem) {
            guard let (kind, body) = item.single else {
                throw NftJSONProblem("expected an object with one member (\"table\", \"chain\", \"set\", \"rule\", "
                                     + "...), not \(item.kindName)", at: path)
            }
            let location = location(ofElement: index)
            let inner = path / kind
            switch kind {
            case "metainfo":
                let info = try NftJSONObject(body, at: inner, what: "\"metainfo\"")
                if let version = info["json_schema_version"]?.int, version != 1 {
                    report(NftJSONProblem("JSON schema version \(version): read as version 1", at: inner,
                                          severity: .warning))
                }
            case "table": try table(NftJSONObject(body, at: inner, what: "a table"), location: location)
            case "chain": try chain(NftJSONObject(body, at: inner, what: "a chain"), location: location)
            case "rule": try rule(NftJSONObject(body, at: inner, what: "a rule"), location: location)
            case "set", "map":
                let object = try NftJSONObject(body, at: inner, what: "a \(kind)")
                let key = try tableKey(object)
                let (set, kinds) = try NftJSONMembers.set(object, isMap: kind == "map",
                                                          expressions: NftJSONExpressions(context: context(key)),
                                                          location: location)
                contexts[key, default: NftJSONContext(family: key.family)].sets[set.name] = kinds
                tables[try table(key, at: inner)].members.append(.set(set))
            case let objectKind where NftJSONMembers.objectKinds.contains(objectKind):
                let object = try NftJSONObject(body, at: inner, what: "a \(kind)")
                let key = try tableKey(object)
                let block = try NftJSONMembers.block(kind, object, family: key.family, location: location)
                tables[try table(key, at: inner)].members.append(.block(block))
            case "add", "create", "insert", "replace", "delete", "destroy", "flush", "reset", "list", "rename":
                throw NftJSONProblem("\"\(kind)\" is a command to nft, not what `nft -j list ruleset` prints", at: path)
            default:
                throw NftJSONProblem("unknown object \"\(kind)\"", at: path)
            }
        }

        func context(_ key: TableKey) -> NftJSONContext {
            contexts[key] ?? NftJSONContext(family: key.family)
        }

        func tableKey(_ object: NftJSONObject, nameKey: String = "table") throws(NftJSONProblem) -> TableKey {
            let familyName = try object.string("family")
            guard let family = NftFamily(rawValue: familyName) else {
                throw NftJSONProblem("unknown family \"\(familyName)\" (ip, ip6, inet, bridge, arp, netdev)",
                                     at: object.path / "family")
            }
            return TableKey(family: family, name: try object.string(nameKey))
        }

        /// The index of a table listed before.
        func table(_ key: TableKey, at path: NftJSONPath) throws(NftJSONProblem) -> Int {
            guard let index = tableIndex[key] else {
                throw NftJSONProblem("no table \(key.family.rawValue) \(key.name) listed before", at: path / "table")
            }
            return index
        }

        mutating func table(_ object: NftJSONObject, location: SourceLocation) throws(NftJSONProblem) {
            let key = try tableKey(object, nameKey: "name")
            var table = NftTable(family: key.family, name: key.name, location: location)
            for flag in try object.strings("flags") {
                guard flag == "dormant" || flag == "owner" else {
                    // nft 1.0.6 prints a table's only flag as freed memory: often the family's name.
                    report(NftJSONProblem("table flag \"\(flag)\" is not one nft has (dormant, owner): left out",
                                          at: object.path / "flags", severity: .warning))
                    continue
                }
                table.flags.append(flag)
            }
            table.comment = try object.optionalString("comment")
            tableIndex[key] = tables.count
            chainIndex[key] = [:]
            contexts[key] = NftJSONContext(family: key.family)
            tables.append(table)
        }

        mutating func chain(_ object: NftJSONObject, location: SourceLocation) throws(NftJSONProblem) {
            let key = try tableKey(object)
            let index = try table(key, at: object.path)
            let name = try object.string("name")
            let chain = NftChain(name: name, base: try NftJSONMembers.baseChain(object, family: key.family),
                                 comment: try object.optionalString("comment"), location: location)
            if let base = chain.base, base.device == nil, base.devices == nil,
               key.family == .netdev || base.hook == "ingress" {
                report(NftJSONProblem("no \"dev\": nft 1.0.6 leaves a chain's device out of its JSON, the chain is "
                                      + "printed without it", at: object.path, severity: .warning))
            }
            chainIndex[key, default: [:]][name] = tables[index].members.count
            tables[index].members.append(.chain(chain))
        }

        mutating func rule(_ object: NftJSONObject, location: SourceLocation) throws(NftJSONProblem) {
            let key = try tableKey(object)
            let index = try table(key, at: object.path)
            let chainName = try object.string("chain")
            guard let member = chainIndex[key]?[chainName] else {
                throw NftJSONProblem("no chain \"\(chainName)\" in table \(key.family.rawValue) \(key.name) listed "
                                     + "before", at: object.path / "chain")
            }
            guard let list = object["expr"]?.array, !list.isEmpty else {
                throw NftJSONProblem("a rule needs \"expr\", an array of statements", at: object.path)
            }
            let reader = NftJSONStatements(expressions: NftJSONExpressions(context: context(key)))
            var statements: [NftStatement] = []
            for (position, json) in list.enumerated() {
                statements.append(try reader.statement(json, at: object.path / "expr" / position))
            }
            if let comment = try object.optionalString("comment") { statements.append(.comment(comment)) }
            rules[index, default: [:]][member, default: []].append(Self.rule(statements, location: location))
        }

        /// The rule as the text parser reads nft's text of its statements: the statements as built
        /// where they print back as read, else what the parser makes of the text (words, where
        /// it does not model a statement).
        static func rule(_ statements: [NftStatement], location: SourceLocation) -> NftRule {
            var statements = statements
            for index in statements.indices {
                guard case .tokens(var tokens) = statements[index] else { continue }
                for token in tokens.indices { tokens[token].location = location }
                statements[index] = .tokens(tokens)
            }
            let built = NftRule(statements: statements, location: location)
            // Indented as nft lists a rule, as the text parser's words of it are.
            let read = NftRuleParser.rule(NftJSONStatements.tokens("\t\t" + NftPrinter.text(built), at: location))
            return read == built ? built : read
        }
    }
}

extension RulesInput {
    /// nft text (`nft list ruleset`) or JSON (`nft -j list ruleset`) read, with what `check` and
    /// `fmt` report of it: its errors, or what the kernel would refuse.
    public static func readNft(_ bytes: [UInt8], format: Format)
        -> (result: NftParseResult, diagnostics: [Diagnostic]) {
        guard format == .nftJSON else {
            let result = NftParser.parse(bytes)
            return (result, NftValidator.diagnostics(of: result))
        }
        let result = NftJSONReader.read(bytes)
        return (result, NftJSONReader.diagnostics(of: result))
    }
}
