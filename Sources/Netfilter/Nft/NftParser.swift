/// What parsing nft text gives: the ruleset (as much as could be read) and every problem found.
public struct NftParseResult: Sendable {
    public var ruleset: NftRuleset
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads the text `nft list ruleset` prints (docs/grammar.md, "nft list ruleset"): tables,
/// their chains, sets, maps and other blocks, line by line; rules through `NftRuleParser`.
/// Errors are `Diagnostic`s at the offending word; it never traps on any input.
public enum NftParser {
    public static func parse(_ bytes: [UInt8]) -> NftParseResult {
        var reader = Reader(String(decoding: bytes, as: UTF8.self))
        let ruleset = reader.ruleset()
        return NftParseResult(ruleset: ruleset, diagnostics: reader.diagnostics)
    }

    public static func parse(_ text: String) -> NftParseResult { parse(Array(text.utf8)) }

    /// One line: its number, its text (without line ending) and its words.
    struct Line {
        var number: Int
        var text: Substring
        var tokens: [NftToken]
        var words: [String] { tokens.map(\.text) }
        var location: SourceLocation { tokens.first?.location ?? SourceLocation(line: number, column: 1) }
    }

    struct Reader {
        var lines: [Line] = []
        var position = 0
        var diagnostics: [Diagnostic] = []

        init(_ text: String) {
            var pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
            if pieces.last == "" { pieces.removeLast() }
            for (offset, piece) in pieces.enumerated() {
                let (tokens, open) = NftLexer.words(piece, lineNumber: offset + 1)
                if let open {
                    let location = SourceLocation(line: offset + 1, column: open)
                    diagnostics.append(.error("unterminated string", at: location))
                }
                lines.append(Line(number: offset + 1, text: piece, tokens: tokens))
            }
        }

        mutating func error(_ message: String, at token: NftToken?, line: Line) {
            let location = token?.location ?? line.location
            diagnostics.append(.error(message, at: location, length: token?.text.utf8.count ?? 1))
        }

        mutating func ruleset() -> NftRuleset {
            var tables: [NftTable] = []
            while position < lines.count {
                let line = lines[position]
                position += 1
                let words = line.words
                if words.isEmpty || words.first?.hasPrefix("#") == true { continue }
                guard words.count == 4, words[0] == "table", words[3] == "{" else {
                    error("expected 'table FAMILY NAME {'", at: line.tokens.first, line: line)
                    continue
                }
                guard let family = NftFamily(rawValue: words[1]) else {
                    error("unknown table family '\(words[1])' (ip, ip6, inet, bridge, arp, netdev)",
                          at: line.tokens[1], line: line)
                    skipBlock()
                    continue
                }
                tables.append(table(family: family, name: words[2], header: line))
            }
            return NftRuleset(tables: tables)
        }

        /// Skips to the line closing a block whose header was just read.
        mutating func skipBlock() {
            var depth = 1
            while position < lines.count, depth > 0 {
                for word in lines[position].words {
                    if word == "{" { depth += 1 } else if word == "}" { depth -= 1 }
                }
                position += 1
            }
        }

        mutating func table(family: NftFamily, name: String, header: Line) -> NftTable {
            var table = NftTable(family: family, name: name, location: header.location)
            while position < lines.count {
                let line = lines[position]
                position += 1
                let words = line.words
                guard let first = words.first else { continue }
                if words == ["}"] { return table }
                if first == "flags", words.count >= 2 {
                    table.flags = words.dropFirst().filter { $0 != "," }
                } else if first == "comment", let text = Self.quoted(words) {
                    table.comment = text
                } else if words.count == 3, first == "chain", words[2] == "{" {
                    table.members.append(.chain(chain(name: words[1], header: line)))
                } else if words.count == 3, first == "set" || first == "map", words[2] == "{" {
                    table.members.append(.set(set(isMap: first == "map", name: words[1], header: line)))
                } else if words.last == "{", words.count >= 2 {
                    table.members.append(.block(block(header: line)))
                } else {
                    error("expected 'chain', 'set', 'map', 'flags', 'comment' or '}' in table '\(name)'",
                          at: line.tokens.first, line: line)
                }
            }
            diagnostics.append(.error("table '\(name)' is not closed: '}' missing at the end of the file",
                                      at: header.location, length: 5))
            return table
        }

        /// `comment "TEXT"`: the text, nil when the line is not that.
        static func quoted(_ words: [String]) -> String? {
            guard words.count == 2, words[1].count >= 2, words[1].hasPrefix("\""), words[1].hasSuffix("\"") else {
                return nil
            }
            return String(words[1].dropFirst().dropLast())
        }

        mutating func chain(name: String, header: Line) -> NftChain {
            var chain = NftChain(name: name, location: header.location)
            while position < lines.count {
                let line = lines[position]
                position += 1
                let words = line.words
                guard let first = words.first else { continue }
                if words == ["}"] { return chain }
                if first == "type", chain.base == nil, chain.rules.isEmpty {
                    chain.base = baseChain(line)
                } else if first == "comment", chain.rules.isEmpty, chain.base == nil, let text = Self.quoted(words) {
                    chain.comment = text
                } else if words.contains("{") && !Self.balanced(line.tokens) {
                    error("'{' not closed on this line", at: line.tokens.first { $0.text == "{" }, line: line)
                } else {
                    chain.rules.append(NftRuleParser.rule(line.tokens))
                }
            }
            diagnostics.append(.error("chain '\(name)' is not closed: '}' missing at the end of the file",
                                      at: header.location, length: 5))
            return chain
        }

        static func balanced(_ tokens: [NftToken]) -> Bool {
            var depth = 0
            for token in tokens {
                if token.text == "{" { depth += 1 } else if token.text == "}" { depth -= 1 }
                if depth < 0 { return false }
            }
            return depth == 0
        }

        /// `type T hook H [device D] priority P; [policy X;]`
        mutating func baseChain(_ line: Line) -> NftBaseChain? {
            let tokens = line.tokens
            func word(_ index: Int) -> String? { index < tokens.count ? tokens[index].text : nil }
            guard let type = word(1), word(2) == "hook", let hook = word(3) else {
                error("expected 'type TYPE hook HOOK ... priority PRIORITY;'", at: tokens.first, line: line)
                return nil
            }
            var index = 4
            var device: String?
            var devices: [String]?
            if word(index) == "device", let name = word(index + 1) {
                device = name
                index += 2
            } else if word(index) == "devices", word(index + 1) == "=", word(index + 2) == "{" {
                // `devices = { eth0, eth1 }`: the names between the braces, commas aside.
                var names: [String] = []
                index += 3
                while let next = word(index), next != "}" {
                    let name = next.hasSuffix(",") ? String(next.dropLast()) : next
                    if !name.isEmpty && name != "," { names.append(name) }
                    index += 1
                }
                guard word(index) == "}" else {
                    error("expected '}' after the devices", at: tokens.last, line: line)
                    return nil
                }
                devices = names
                index += 1
            }
            guard word(index) == "priority" else {
                error("expected 'priority' after the hook", at: index < tokens.count ? tokens[index] : nil, line: line)
                return nil
            }
            index += 1
            let priorityStart = index
            var priorityWords: [String] = []
            while let next = word(index), next != ";" {
                priorityWords.append(next)
                index += 1
            }
            guard word(index) == ";", let priority = Self.priority(priorityWords) else {
                error("expected a priority (a number, or a name such as filter, dstnat, srcnat, with '+ N' or "
                      + "'- N') and ';'", at: tokens[min(priorityStart, tokens.count - 1)], line: line)
                return nil
            }
            index += 1
            var policy: String?
            if word(index) == "policy" {
                guard let value = word(index + 1), value == "accept" || value == "drop", word(index + 2) == ";" else {
                    error("expected 'policy accept;' or 'policy drop;'", at: tokens[index], line: line)
                    return nil
                }
                policy = value
                index += 3
            }
            if index < tokens.count {
                error("unexpected '\(tokens[index].text)' after the chain's priority and policy", at: tokens[index],
                      line: line)
                return nil
            }
            let base = NftBaseChain(type: type, hook: hook, device: device, devices: devices, priority: priority,
                                    policy: policy)
            if NftPrinter.text(base) != NftRuleParser.written(tokens) {
                error("the chain's type line is not written as nft lists it", at: tokens.first, line: line)
            }
            return base
        }

        static func priority(_ words: [String]) -> NftPriority? {
            switch words.count {
            case 1:
                if let number = Int(words[0]) { return .number(number) }
                return NftRuleParser.isName(words[0]) ? .named(words[0], offset: 0) : nil
            case 3:
                guard NftRuleParser.isName(words[0]), let amount = Int(words[2]), amount > 0,
                      words[1] == "+" || words[1] == "-" else { return nil }
                return .named(words[0], offset: words[1] == "+" ? amount : -amount)
            default: return nil
            }
        }

        mutating func set(isMap: Bool, name: String, header: Line) -> NftSet {
            var set = NftSet(isMap: isMap, name: name, properties: [], location: header.location)
            while position < lines.count {
                let line = lines[position]
                position += 1
                var tokens = line.tokens
                guard let first = tokens.first?.text else { continue }
                if tokens.count == 1, first == "}" { return set }
                // `elements = { ...` continues on the lines after until its braces balance.
                while !Self.balanced(tokens), position < lines.count, !lines[position].tokens.isEmpty {
                    var more = lines[position].tokens
                    more[0].leading = "\n" + more[0].leading
                    tokens += more
                    position += 1
                }
                let text = NftRuleParser.written(tokens)
                set.properties.append(property(tokens, text: text, line: line))
            }
            diagnostics.append(.error("\(isMap ? "map" : "set") '\(name)' is not closed: '}' missing at the end of "
                                      + "the file", at: header.location, length: 3))
            return set
        }

        mutating func property(_ tokens: [NftToken], text: String, line: Line) -> NftSetProperty {
            let words = tokens.map(\.text)
            switch words.first {
            case "type"?:
                let parts = words.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
                let key = parts.first.map { $0.filter { $0 != "." } } ?? []
                var data = parts.count == 2 ? parts[1].filter { $0 != "." } : []
                // A map whose values are ranges: `type ipv4_addr : interval ipv4_addr`.
                let intervalData = data.first == "interval"
                if intervalData { data.removeFirst() }
                let property = NftSetProperty.type(key: key, data: data, intervalData: intervalData)
                if !key.isEmpty, parts.count <= 2, NftPrinter.text(property) == text { return property }
                error("expected 'type TYPE [. TYPE]... [: TYPE]'", at: tokens.first, line: line)
            case "typeof"?:
                if let property = NftRuleParser.typeOf(Array(tokens.dropFirst())) { return property }
            case "flags"?:
                let property = NftSetProperty.flags(words.dropFirst().filter { $0 != "," })
                if NftPrinter.text(property) == text { return property }
            case "elements"?:
                guard words.count >= 3, words[1] == "=", words[2] == "{" else {
                    error("expected 'elements = { ... }'", at: tokens.first, line: line)
                    break
                }
                if let elements = NftRuleParser.elements(Array(tokens.dropFirst(2))) { return .elements(elements) }
                if !Self.balanced(tokens) {
                    error("'{' of the elements not closed", at: tokens[2], line: line)
                }
            default: break
            }
            return .other(text)
        }

        /// A block not modelled (flowtable, named counter, ...): its lines up to the closing brace.
        mutating func block(header: Line) -> NftBlock {
            let headerText = NftRuleParser.written(Array(header.tokens.dropLast()))
            var block = NftBlock(header: headerText, lines: [], location: header.location)
            var depth = 1
            while position < lines.count {
                let line = lines[position]
                position += 1
                for word in line.words {
                    if word == "{" { depth += 1 } else if word == "}" { depth -= 1 }
                }
                if depth == 0 { return block }
                block.lines.append(String(line.text))
            }
            diagnostics.append(.error("'\(headerText)' is not closed: '}' missing at the end of the file",
                                      at: header.location, length: 1))
            return block
        }
    }
}
