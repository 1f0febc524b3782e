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
    /// Text values seen so far (comments repeat across rules: kube-proxy writes each
    /// service's comment on every rule of it), so that equal texts share one buffer.
    private var internedTexts: [String: String] = [:]
    /// The table the lines read ahead of the parser are in (`*table` and COMMIT lines seen).
    private var tableAhead: String?
    /// Lines read at a time: their rule lines are prepared together (`RuleLine`).
    static let batchSize = 16384

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
        var batch: [(line: Range<Int>, number: Int)] = []
        batch.reserveCapacity(Self.batchSize)
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var contentEnd = end
            if contentEnd > start && bytes[contentEnd - 1] == 0x0D {
                contentEnd -= 1
                if !sawFirstLine {
                    ruleset.lineEnding = "\r\n"
                }
            }
            sawFirstLine = true
            ruleset.finalLineEnding = end == bytes.count ? "" : (contentEnd < end ? "\r\n" : "\n")
            batch.append((start..<contentEnd, lineNumber))
            if batch.count == Self.batchSize {
                handle(batch)
                batch.removeAll(keepingCapacity: true)
            }
            start = end + 1
        }
        handle(batch)
        lastLine = lineNumber
        finish()
    }

    /// Reads a batch of lines in order, its rule lines prepared first, on several cores
    /// when there are enough of them.
    private mutating func handle(_ batch: [(line: Range<Int>, number: Int)]) {
        var jobs: [(position: Int, text: ArraySlice<UInt8>, column: Int, table: String)] = []
        for (position, entry) in batch.enumerated() {
            let (content, first) = Self.shape(bytes[entry.line])
            guard first < content.endIndex else { continue }
            switch content[first] {
            case 0x2A: tableAhead = String(decoding: content[(first + 1)...], as: UTF8.self)
            case 0x5B, 0x2D:
                if let table = tableAhead {
                    jobs.append((position, content[first...], first - entry.line.lowerBound + 1, table))
                }
            default:
                if content[first...].elementsEqual("COMMIT".utf8) { tableAhead = nil }
            }
        }
        let family = family, options = options
        let prepare: @Sendable ((position: Int, text: ArraySlice<UInt8>, column: Int, table: String)) -> RuleLine = {
            let line = batch[$0.position]
            return RuleLine.prepare($0.text, line: line.number, column: $0.column, lineStart: line.line.lowerBound,
                                    table: $0.table, family: family, options: options)
        }
        let prepared = options.preparesConcurrently && Concurrently.pays(for: jobs.count)
            ? Concurrently.map(jobs, prepare) : jobs.map(prepare)
        var next = 0
        for (position, entry) in batch.enumerated() {
            var ruleLine: RuleLine?
            if next < jobs.count, jobs[next].position == position {
                ruleLine = prepared[next]
                next += 1
            }
            handleLine(bytes[entry.line], number: entry.number, prepared: ruleLine)
        }
    }

    /// A line without its trailing blanks, and the index of its first byte that is not blank.
    private static func shape(_ line: ArraySlice<UInt8>) -> (content: ArraySlice<UInt8>, first: Int) {
        var end = line.endIndex
        while end > line.startIndex && (line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
        let content = line[line.startIndex..<end]
        var first = content.startIndex
        while first < content.endIndex && (content[first] == 0x20 || content[first] == 0x09) { first += 1 }
        return (content, first)
    }

    private mutating func error(_ message: String, line: Int, column: Int, length: Int = 1) {
        diagnostics.append(.error(message, at: SourceLocation(line: line, column: column), length: length))
    }

    private mutating func warning(_ message: String, line: Int, column: Int, length: Int = 1) {
        diagnostics.append(.warning(message, at: SourceLocation(line: line, column: column), length: length))
    }

    // MARK: - Lines

    private mutating func handleLine(_ line: ArraySlice<UInt8>, number: Int, prepared: RuleLine?) {
        // Split off trailing blanks, kept as trivia.
        let (content, first) = Self.shape(line)
        let trailing = String(decoding: line[content.endIndex..<line.endIndex], as: UTF8.self)

        if first == content.endIndex || content[first] == 0x23 {
            let text = String(decoding: line, as: UTF8.self)
            if ruleset.tables.isEmpty && currentTable == nil && text.hasPrefix("# Generated by ") {
                ruleset.style = SaveStyle(header: text)
            }
            pendingTrivia.append(Comment(text: text, line: number))
            return
        }
        let column = first - line.startIndex + 1
        switch content[first] {
        case 0x2A: // *
            openTable(content[(first + 1)...], line: number, column: column, trailing: trailing)
        case 0x3A: // :
            declareChain(content[(first + 1)...], line: number, column: column, trailing: trailing)
        case 0x5B, 0x2D: // [ or -
            addRule(content[first...], line: number, column: column, lineStart: line.startIndex, trailing: trailing,
                    prepared: prepared)
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
        // Words as iptables-restore takes them here: split at blanks, quotes being ordinary bytes.
        let words = Tokenizer.plainWords(rest, firstColumn: column + 1)
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
                } else if builtins.isEmpty {
                    // An unknown table (reported at its header): its chains' policies cannot be checked.
                    break
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
        // iptables-restore reads a policy's counters only with -c (a user chain's never) and
        // nothing after them: what it would not read is a warning, not an error.
        if words.count >= 3 {
            let countersToken = words[2]
            if let counters = Self.parseCounters(Array(countersToken.text.utf8)[...]) {
                chain.counters = counters
            } else {
                warning("invalid counters '\(countersToken.text)' (expected [packets:bytes]); iptables-restore "
                        + (words.count > 1 && words[1].text == "-" ? "ignores them" : "-c refuses them, without -c "
                           + "ignores them"),
                        line: line, column: countersToken.column, length: countersToken.length)
            }
        }
        if words.count >= 4 {
            warning("'\(words[3].text)' after the chain declaration is ignored by iptables-restore", line: line,
                    column: words[3].column, length: words[3].length)
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

    private mutating func addRule(_ text: ArraySlice<UInt8>, line: Int, column: Int, lineStart: Int, trailing: String,
                                  prepared: RuleLine?) {
        guard let tableName = currentTable?.name else {
            error("rule outside a table (a *table line must come first)", line: line, column: column)
            return
        }
        // Prepared ahead for the table this line is in; read now where the file's shape
        // made the look-ahead guess another (it follows *table and COMMIT lines only).
        let ruleLine = prepared.flatMap { $0.table == tableName ? $0 : nil }
            ?? RuleLine.prepare(text, line: line, column: column, lineStart: lineStart, table: tableName,
                                family: family, options: options)
        diagnostics += ruleLine.diagnostics
        guard case .rule(var rule, let chainToken, let insertPosition, let positionWord) = ruleLine.content else {
            if case .newChain(let name) = ruleLine.content {
                let declaration = ArraySlice(Array(name.text.utf8) + Array(" -".utf8))
                declareChain(declaration, line: line, column: name.column - 1, trailing: trailing)
            }
            return
        }
        internStrings(in: &rule)
        rule.leadingTrivia = takeTrivia()
        rule.trailingWhitespace = trailing

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
                      line: line, column: positionWord?.column ?? column, length: positionWord?.length ?? 1)
                return
            }
            currentTable?.chains[chainPosition].rules.insert(rule, at: position - 1)
        } else {
            currentTable?.chains[chainPosition].rules.append(rule)
        }
    }

    /// Makes equal comment texts and jump targets share storage with earlier ones.
    private mutating func internStrings(in rule: inout Rule) {
        for matchIndex in rule.matches.indices {
            for settingIndex in rule.matches[matchIndex].settings.indices {
                guard case .text(let text, let quoted) = rule.matches[matchIndex].settings[settingIndex].value,
                      text.utf8.count > 15 else { continue }
                if let shared = internedTexts[text] {
                    rule.matches[matchIndex].settings[settingIndex].value = .text(shared, quoted: quoted)
                } else {
                    internedTexts[text] = text
                }
            }
        }
        // A jump target names a chain declared earlier: share the declaration's name.
        switch rule.target {
        case .jump(let name) where name.utf8.count > 15:
            if let position = chainIndex[name], let declared = currentTable?.chains[position].name { rule.target = .jump(declared) }
        case .goto(let name) where name.utf8.count > 15:
            if let position = chainIndex[name], let declared = currentTable?.chains[position].name { rule.target = .goto(declared) }
        default:
            break
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
