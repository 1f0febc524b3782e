/// Reads `iptables-save` / `ip6tables-save` text (and iptables-restore input) into a
/// `Ruleset`, following the grammar in docs/grammar.md. Every problem in the file is
/// reported in one pass; structural checks that need the whole file (jumps, loops,
/// targets per hook) are the `Validator`'s.
public struct SaveParser {
    private let bytes: [UInt8]
    private let family: Family
    private let options: ParseOptions
    private var diagnostics: [Diagnostic] = []
    private var ruleset: Ruleset
    private var pendingTrivia: [Comment] = []
    private var currentTable: Table?
    private var chainIndex = NameIndex()
    private var tableNames: Set<String> = []
    private var lastLine = 0

    /// Parses a dump.
    public static func parse(_ bytes: [UInt8], family: Family, options: ParseOptions = ParseOptions()) -> ParseResult {
        var parser = SaveParser(bytes: bytes, family: family, options: options)
        parser.run()
        return ParseResult(ruleset: parser.ruleset, diagnostics: parser.diagnostics)
    }

    /// Parses a dump given as a string.
    public static func parse(_ text: String, family: Family, options: ParseOptions = ParseOptions()) -> ParseResult {
        parse(Array(text.utf8), family: family, options: options)
    }

    private init(bytes: [UInt8], family: Family, options: ParseOptions) {
        self.bytes = bytes
        self.family = family
        self.options = options
        ruleset = Ruleset(family: family)
    }

    private mutating func run() {
        var start = 0
        var lineNumber = 0
        var sawFirstLine = false
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var contentEnd = end
            if contentEnd > start && bytes[contentEnd - 1] == 0x0D {
                contentEnd -= 1
                if !sawFirstLine { ruleset.lineEnding = "\r\n" }
            }
            sawFirstLine = true
            handleLine(bytes[start..<contentEnd], number: lineNumber)
            start = end + 1
        }
        lastLine = lineNumber
        finish()
    }

    private mutating func error(_ message: String, line: Int, column: Int, length: Int = 1) {
        diagnostics.append(.error(message, at: SourceLocation(line: line, column: column), length: length))
    }

    // MARK: - Lines

    private mutating func handleLine(_ line: ArraySlice<UInt8>, number: Int) {
        // Split off trailing blanks, kept as trivia.
        var end = line.endIndex
        while end > line.startIndex && (line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
        let trailing = String(decoding: line[end..<line.endIndex], as: UTF8.self)
        let content = line[line.startIndex..<end]
        var first = content.startIndex
        while first < content.endIndex && (content[first] == 0x20 || content[first] == 0x09) { first += 1 }

        if first == content.endIndex || content[first] == 0x23 {
            pendingTrivia.append(Comment(text: String(decoding: line, as: UTF8.self), line: number))
            return
        }
        let column = first - line.startIndex + 1
        switch content[first] {
        case 0x2A: // *
            openTable(content[(first + 1)...], line: number, column: column, trailing: trailing)
        case 0x3A: // :
            declareChain(content[(first + 1)...], line: number, column: column, trailing: trailing)
        case 0x5B, 0x2D: // [ or -
            addRule(content[first...], line: number, column: column, lineStart: line.startIndex, trailing: trailing)
        default:
            if content[first...].elementsEqual("COMMIT".utf8) {
                commit(line: number, column: column, trailing: trailing)
            } else {
                let word = content[first...].prefix { $0 != 0x20 && $0 != 0x09 }
                error("unexpected line: expected *table, :CHAIN, a rule, COMMIT or a # comment",
                      line: number, column: column, length: word.count)
            }
        }
    }

    private mutating func openTable(_ nameBytes: ArraySlice<UInt8>, line: Int, column: Int, trailing: String) {
        let name = String(decoding: nameBytes, as: UTF8.self)
        if let open = currentTable {
            error("table '\(open.name)' (line \(open.location.line)) is not committed before '*\(name)'",
                  line: line, column: column, length: nameBytes.count + 1)
            closeTable()
        }
        if TableKind(rawValue: name) == nil {
            error("unknown table '\(name)' (tables are raw, mangle, nat, filter, security)",
                  line: line, column: column + 1, length: max(1, nameBytes.count))
        } else if tableNames.contains(name) {
            error("table '\(name)' appears twice in this file", line: line, column: column + 1, length: nameBytes.count)
        }
        tableNames.insert(name)
        var table = Table(name: name, location: SourceLocation(line: line, column: column))
        table.leadingTrivia = takeTrivia()
        table.headerTrailingWhitespace = trailing
        currentTable = table
        chainIndex = NameIndex()
    }

    private mutating func declareChain(_ rest: ArraySlice<UInt8>, line: Int, column: Int, trailing: String) {
        guard currentTable != nil else {
            error("chain declaration outside a table (a *table line must come first)", line: line, column: column, length: rest.count + 1)
            return
        }
        let (words, _) = Tokenizer.split(rest, firstColumn: column + 1)
        guard let nameToken = words.first, !nameToken.text.isEmpty else {
            error("chain declaration without a name", line: line, column: column)
            return
        }
        let name = nameToken.text
        let tableName = currentTable?.name ?? ""
        let builtins = TableKind(rawValue: tableName)?.builtinChains ?? []
        var chain = Chain(name: name, location: SourceLocation(line: line, column: column))
        let trivia = takeTrivia()
        chain.leadingTrivia = trivia
        chain.trailingWhitespace = trailing

        if let existing = chainIndex[name], let table = currentTable, table.chains[existing].location != .unknown {
            error("chain '\(name)' is declared twice in table '\(tableName)' (first at line \(table.chains[existing].location.line))",
                  line: line, column: nameToken.column, length: nameToken.length)
            return
        }
        if let message = ChainNameRules.problem(with: name) {
            error(message, line: line, column: nameToken.column, length: nameToken.length)
        }
        if words.count >= 2 {
            let policyToken = words[1]
            switch policyToken.text {
            case "-":
                break
            case "ACCEPT", "DROP":
                if builtins.contains(name) {
                    chain.policy = ChainPolicy(rawValue: policyToken.text)
                } else if TableKind.allCases.contains(where: { $0.builtinChains.contains(name) }) {
                    error("'\(name)' is not a built-in chain of table '\(tableName)' (its built-in chains are \(builtins.joined(separator: ", "))), so it cannot have a policy",
                          line: line, column: nameToken.column, length: nameToken.length)
                } else {
                    error("user chain '\(name)' cannot have a policy: only built-in chains have one (write '-')",
                          line: line, column: policyToken.column, length: policyToken.length)
                }
            default:
                error("invalid policy '\(policyToken.text)' for chain '\(name)' (a policy is ACCEPT or DROP, '-' for a user chain)",
                      line: line, column: policyToken.column, length: policyToken.length)
            }
        } else if builtins.contains(name) {
            error("built-in chain '\(name)' needs a policy (ACCEPT or DROP)", line: line, column: nameToken.column, length: nameToken.length)
        }
        if words.count >= 3 {
            let countersToken = words[2]
            if let counters = Self.parseCounters(Array(countersToken.text.utf8)[...]) {
                chain.counters = counters
            } else {
                error("invalid counters '\(countersToken.text)' (expected [packets:bytes])",
                      line: line, column: countersToken.column, length: countersToken.length)
            }
        }
        if words.count >= 4 {
            error("unexpected '\(words[3].text)' after the chain declaration", line: line, column: words[3].column, length: words[3].length)
        }
        if let existing = chainIndex[name] {
            // Implicitly created by an earlier rule for a built-in chain: declare it now.
            chain.rules = currentTable?.chains[existing].rules ?? []
            currentTable?.chains[existing] = chain
        } else {
            chainIndex.insert(name, position: currentTable?.chains.count ?? 0)
            currentTable?.chains.append(chain)
        }
    }

    private mutating func addRule(_ text: ArraySlice<UInt8>, line: Int, column: Int, lineStart: Int, trailing: String) {
        guard let tableName = currentTable?.name else {
            error("rule outside a table (a *table line must come first)", line: line, column: column)
            return
        }
        var ruleText = text
        var counters: Counters?
        if text.first == 0x5B {
            let close = text.firstIndex(of: 0x5D) ?? text.endIndex
            let counterBytes = text[text.startIndex..<min(close + 1, text.endIndex)]
            if let parsed = Self.parseCounters(counterBytes) {
                counters = parsed
            } else {
                error("invalid counters '\(String(decoding: counterBytes, as: UTF8.self))' (expected [packets:bytes])",
                      line: line, column: column, length: counterBytes.count)
                return
            }
            ruleText = text[min(close + 1, text.endIndex)...]
        }
        let (tokens, unterminated) = Tokenizer.split(ruleText, firstColumn: ruleText.startIndex - lineStart + 1)
        if let quoteColumn = unterminated {
            error("unterminated quote", line: line, column: quoteColumn)
            return
        }
        guard let command = tokens.first else {
            error("counters without a rule", line: line, column: column)
            return
        }
        var insertPosition: Int?
        switch command.text {
        case "-A", "--append":
            break
        case "-I", "--insert":
            insertPosition = 1
        case "-N", "--new-chain", "--new":
            guard tokens.count == 2 else {
                error("'\(command.text)' takes exactly one chain name", line: line, column: command.column, length: command.length)
                return
            }
            let declaration = ArraySlice(Array(tokens[1].text.utf8) + Array(" -".utf8))
            declareChain(declaration, line: line, column: tokens[1].column - 1, trailing: trailing)
            return
        default:
            error("unsupported command '\(command.text)' in a rule line (verdict reads -A, -I and -N)",
                  line: line, column: command.column, length: command.length)
            return
        }
        guard tokens.count >= 2 else {
            error("'\(command.text)' without a chain name", line: line, column: command.column, length: command.length)
            return
        }
        let chainToken = tokens[1]
        var optionStart = 2
        if insertPosition != nil, tokens.count > 2, let position = Int(tokens[2].text) {
            insertPosition = position
            optionStart = 3
        }
        let location = SourceLocation(line: line, column: command.column)
        var rule = RuleParser.parse(tokens[optionStart...], family: family, table: tableName,
                                    line: line, options: options, diagnostics: &diagnostics)
        rule.location = location
        if let counters { rule.counters = counters }
        rule.leadingTrivia = takeTrivia()
        rule.trailingWhitespace = trailing
        if rule.isOpaque {
            let firstOption = optionStart < tokens.count ? tokens[optionStart].column - (ruleText.startIndex - lineStart + 1) : ruleText.count
            rule.opaqueText = String(decoding: ruleText.dropFirst(max(0, firstOption)), as: UTF8.self)
        }

        let chainName = chainToken.text
        var index = chainIndex[chainName]
        if index == nil {
            let builtins = TableKind(rawValue: tableName)?.builtinChains ?? []
            if builtins.contains(chainName) {
                // Built-in chains exist without a declaration.
                index = currentTable?.chains.count ?? 0
                chainIndex.insert(chainName, position: currentTable?.chains.count ?? 0)
                currentTable?.chains.append(Chain(name: chainName, policy: .accept))
            } else {
                error("rule for chain '\(chainName)', which is not declared in table '\(tableName)' (add ':\(chainName) - [0:0]')",
                      line: line, column: chainToken.column, length: chainToken.length)
                return
            }
        }
        guard let chainPosition = index else { return }
        if let position = insertPosition {
            let count = currentTable?.chains[chainPosition].rules.count ?? 0
            if position < 1 || position > count + 1 {
                error("cannot insert at position \(position): chain '\(chainName)' has \(count) rules",
                      line: line, column: tokens[2].column, length: tokens[2].length)
                return
            }
            currentTable?.chains[chainPosition].rules.insert(rule, at: position - 1)
        } else {
            currentTable?.chains[chainPosition].rules.append(rule)
        }
    }

    private mutating func commit(line: Int, column: Int, trailing: String) {
        guard currentTable != nil else {
            error("COMMIT without a table", line: line, column: column, length: 6)
            return
        }
        currentTable?.commitLocation = SourceLocation(line: line, column: column)
        let trivia = takeTrivia()
        currentTable?.commitTrivia = trivia
        currentTable?.commitTrailingWhitespace = trailing
        closeTable()
    }

    private mutating func closeTable() {
        if let table = currentTable { ruleset.tables.append(table) }
        currentTable = nil
        chainIndex = NameIndex()
    }

    private mutating func finish() {
        if let table = currentTable {
            error("table '\(table.name)' is not committed: COMMIT is missing at the end of the file",
                  line: max(lastLine, 1), column: 1)
            closeTable()
        }
        ruleset.trailingTrivia = takeTrivia()
    }

    private mutating func takeTrivia() -> [Comment] {
        defer { pendingTrivia = [] }
        return pendingTrivia
    }

    /// `[packets:bytes]`.
    static func parseCounters(_ text: ArraySlice<UInt8>) -> Counters? {
        guard text.count >= 5, text.first == 0x5B, text.last == 0x5D else { return nil }
        let inner = text.dropFirst().dropLast()
        guard let colon = inner.firstIndex(of: 0x3A) else { return nil }
        guard let packets = UInt64(String(decoding: inner[inner.startIndex..<colon], as: UTF8.self)),
              let bytes = UInt64(String(decoding: inner[(colon + 1)...], as: UTF8.self)) else { return nil }
        return Counters(packets: packets, bytes: bytes)
    }
}

/// What the kernel and iptables accept as a chain name.
enum ChainNameRules {
    /// The longest chain name (XT_EXTENSION_MAXNAMELEN - 1).
    static let maximumLength = 28

    static func problem(with name: String) -> String? {
        if name.utf8.count > maximumLength {
            return "chain name '\(name)' is longer than \(maximumLength) characters"
        }
        if name.hasPrefix("-") || name.hasPrefix("!") {
            return "chain name '\(name)' may not start with '-' or '!'"
        }
        if StandardVerdict(rawValue: name) != nil {
            return "'\(name)' is a built-in verdict and cannot be a chain name"
        }
        return nil
    }
}
