/// Reads `iptables -L [-n] [-v] [-x] [--line-numbers]` listings (and ip6tables') into the
/// same `Ruleset` a dump gives, following the listing grammar in docs/grammar.md: chain
/// headers, the column header, and per rule the columns (counters, target, prot, opt,
/// in, out, source, destination) and the text each match and the target print. That
/// text is read back by each extension's `ListingForm` into save words, which the rule
/// parser then checks as in a dump. What a listing does not show is reported per rule
/// (a warning), never guessed silently; all problems are reported in one pass.
public struct ListingParser {
    private let bytes: [UInt8]
    private let family: Family
    private let options: ParseOptions
    private var diagnostics: [Diagnostic] = []
    private var sections: [Section] = []
    /// The chain whose rows are being read: (section, chain position).
    private var currentChain: Int?
    private var columns: ListingColumns?
    /// After a chain header that could not be read: its lines are skipped, not reported again.
    private var skippingChain = false
    /// Comments and chain names repeated across rows, shared.
    private var texts = TextPool()

    /// The chains and rows of one table as listed; read into a `Table` once complete,
    /// when its name is known (a header line, `--table`, or its built-in chains).
    private struct Section {
        var name: String?
        var location: SourceLocation
        var chains: [Chain] = []
        var chainIndex = NameIndex()
        var rows: [[Row]] = []
        var endLine = 0
    }

    private struct Row {
        var line: Int
        var bytes: [UInt8]
        var columns: ListingColumns
    }

    /// Parses a listing.
    public static func parse(_ bytes: [UInt8], family: Family, options: ParseOptions = ParseOptions()) -> ParseResult {
        var parser = ListingParser(bytes: bytes, family: family, options: options)
        return parser.run()
    }

    /// Parses a listing given as a string.
    public static func parse(_ text: String, family: Family, options: ParseOptions = ParseOptions()) -> ParseResult {
        parse(Array(text.utf8), family: family, options: options)
    }

    private init(bytes: [UInt8], family: Family, options: ParseOptions) {
        self.bytes = bytes
        self.family = family
        self.options = options
    }

    private mutating func run() -> ParseResult {
        var start = 0
        var number = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            number += 1
            var contentEnd = end
            if contentEnd > start && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            handleLine(bytes[start..<contentEnd], number: number)
            start = end + 1
        }
        var ruleset = Ruleset(family: family)
        var seen: [String: Int] = [:]
        for index in sections.indices {
            guard let table = buildTable(sections[index]) else { continue }
            if let first = seen[table.name] {
                error("table '\(table.name)' is listed twice (first at line \(first))", at: table.location)
                continue
            }
            seen[table.name] = Int(table.location.line)
            ruleset.tables.append(table)
        }
        if ruleset.tables.isEmpty && !diagnostics.contains(where: { $0.severity == .error }) {
            error("no chain in this listing (expected lines such as 'Chain INPUT (policy ACCEPT)')", at: SourceLocation(line: 1, column: 1))
        }
        diagnostics.sort { $0.location < $1.location }
        return ParseResult(ruleset: ruleset, diagnostics: diagnostics)
    }

    private mutating func error(_ message: String, at location: SourceLocation, length: Int = 1) {
        diagnostics.append(.error(message, at: location, length: length))
    }

    private mutating func warning(_ message: String, at location: SourceLocation, length: Int = 1) {
        diagnostics.append(.warning(message, at: location, length: length))
    }

    // MARK: - Lines

    private mutating func handleLine(_ line: ArraySlice<UInt8>, number: Int) {
        var first = line.startIndex
        while first < line.endIndex && ListingCursor.isBlank(line[first]) { first += 1 }
        if first == line.endIndex { return }
        let column = first - line.startIndex + 1
        if line[first...].starts(with: "Chain ".utf8) {
            skippingChain = !chainHeader(Array(line), number: number)
            return
        }
        // Header lines name a table (`iptables`, `table:`); rows seldom hold the word.
        let header = Self.mentionsTable(line) ? ListingHeaders.table(in: String(decoding: line, as: UTF8.self)) : nil
        if skippingChain && header == nil { return }
        skippingChain = false
        if let parsed = ListingColumns.parse(line) {
            guard currentChain != nil else {
                error("column header outside a chain (a 'Chain NAME (...)' line must come first)",
                      at: SourceLocation(line: number, column: column))
                return
            }
            columns = parsed
            return
        }
        if let table = header {
            openSection(named: table.name, location: SourceLocation(line: number, column: table.column),
                        length: table.name.utf8.count)
            return
        }
        if line[first] == 0x23 { return }  // a # comment
        guard let chain = currentChain, let columns else {
            let word = line[first...].prefix { !ListingCursor.isBlank($0) }
            error("unexpected line: expected 'Chain NAME (...)', a column header, a rule or a # comment",
                  at: SourceLocation(line: number, column: column), length: word.count)
            return
        }
        sections[sections.count - 1].rows[chain].append(Row(line: number, bytes: Array(line), columns: columns))
        sections[sections.count - 1].endLine = number
    }

    private mutating func openSection(named name: String?, location: SourceLocation, length: Int = 1) {
        if let name, TableKind(rawValue: name) == nil {
            error("unknown table '\(name)' (tables are raw, mangle, nat, filter, security)", at: location, length: length)
        }
        sections.append(Section(name: name, location: location))
        currentChain = nil
        columns = nil
    }

    /// Whether the line holds `table` (as `iptables` and `table:` do).
    static func mentionsTable(_ line: ArraySlice<UInt8>) -> Bool {
        let word: [UInt8] = Array("table".utf8)
        guard line.count >= word.count else { return false }
        var index = line.startIndex
        while index + word.count <= line.endIndex {
            if line[index] == 0x74 && line[index..<(index + word.count)].elementsEqual(word) { return true }
            index += 1
        }
        return false
    }

    /// `Chain NAME (policy P [N packets, M bytes])` or `Chain NAME (N references)`; false
    /// when the header cannot be read (its chain's lines are then skipped).
    @discardableResult
    private mutating func chainHeader(_ line: [UInt8], number: Int) -> Bool {
        let text = String(decoding: line, as: UTF8.self)
        let start = (line.firstIndex { !ListingCursor.isBlank($0) } ?? 0) + 1
        var cursor = ListingCursor(line: line, start: start - 1)
        _ = cursor.takeWord("Chain")
        guard let (name, nameColumn) = cursor.word() else {
            error("chain header without a name", at: SourceLocation(line: number, column: start))
            return false
        }
        let location = SourceLocation(line: number, column: start)
        let nameLocation = SourceLocation(line: number, column: nameColumn)
        columns = nil
        currentChain = nil
        let detail = cursor.rest()
        guard detail.hasPrefix("("), detail.hasSuffix(")") else {
            error("chain header '\(text.trimmingBlanks)' lacks '(policy ...)' or '(N references)'", at: location, length: text.utf8.count)
            return false
        }
        let inner = detail.dropFirst().dropLast().split(separator: " ").map(String.init)
        var chain = Chain(name: name, location: location)
        if let problem = ChainNameRules.problem(with: name) { error(problem, at: nameLocation, length: name.utf8.count) }
        if inner.first == "policy" {
            guard inner.count >= 2, let policy = ChainPolicy(rawValue: inner[1]) else {
                error("invalid policy in '\(detail)' (a policy is ACCEPT or DROP)", at: nameLocation, length: name.utf8.count)
                return false
            }
            chain.policy = policy
            if inner.count >= 6, inner[3] == "packets,", inner[5] == "bytes" {
                let packets = ListingCount(inner[2])
                let byteCount = ListingCount(inner[4])
                guard let packets, let byteCount else {
                    error("invalid counters in '\(detail)'", at: nameLocation, length: name.utf8.count)
                    return false
                }
                chain.counters = Counters(packets: packets.value, bytes: byteCount.value)
                if !packets.exact || !byteCount.exact {
                    diagnostics.append(Diagnostic(.note, "chain \(name): policy counters rounded (\(inner[2]) packets, \(inner[4]) bytes); list with -x for exact counters",
                                                  at: nameLocation, length: name.utf8.count))
                }
            } else if inner.count != 2 {
                error("unexpected '\(detail)' in the chain header", at: nameLocation, length: name.utf8.count)
                return false
            }
        } else if inner.count >= 2, UInt64(inner[0]) != nil, inner[1].hasPrefix("reference") {
            chain.counters = .zero
        } else {
            error("unexpected '\(detail)' in the chain header (expected '(policy P ...)' or '(N references)')",
                  at: nameLocation, length: name.utf8.count)
            return false
        }
        if sections.isEmpty { openSection(named: options.table, location: location) }
        let builtin = TableKind.allCases.contains { $0.builtinChains.contains(name) }
        if let existing = sections[sections.count - 1].chainIndex[name] {
            let first = sections[sections.count - 1].chains[existing].location.line
            if sections[sections.count - 1].name == nil && builtin {
                // Listings of several tables concatenated without header lines: a
                // built-in chain listed again starts the next table.
                openSection(named: nil, location: location)
            } else {
                error("chain '\(name)' is listed twice in this table (first at line \(first))", at: nameLocation, length: name.utf8.count)
                return false
            }
        }
        var section = sections.removeLast()
        section.chainIndex.insert(name, position: section.chains.count)
        section.chains.append(chain)
        section.rows.append([])
        section.endLine = number
        sections.append(section)
        currentChain = section.chains.count - 1
        return true
    }

    // MARK: - Tables

    /// The table a section lists: its header's name, else the one whose built-in chains
    /// are the chains listed with a policy.
    private mutating func tableName(of section: Section) -> String {
        if let name = section.name { return name }
        let builtins = Set(section.chains.filter { $0.policy != nil }.map(\.name))
        let name: String
        if builtins.contains("PREROUTING") && builtins.contains("FORWARD") {
            name = "mangle"
        } else if builtins.contains("POSTROUTING") || (builtins.contains("PREROUTING") && builtins.contains("INPUT")) {
            name = "nat"
        } else if builtins.contains("PREROUTING") {
            name = "raw"
        } else {
            name = "filter"
        }
        if section.chains.contains(where: { $0.policy != nil }) && name != "filter" {
            diagnostics.append(Diagnostic(.note, "no table named for this listing: read as '\(name)' from its built-in chains (give --table to choose)",
                                          at: section.location))
        }
        return name
    }

    private mutating func buildTable(_ section: Section) -> Table? {
        guard !section.chains.isEmpty else {
            if section.name != nil {
                warning("table '\(section.name ?? "")' has no chain listed", at: section.location)
            }
            return nil
        }
        let name = tableName(of: section)
        guard let kind = TableKind(rawValue: name) else { return nil }
        var table = Table(name: name, location: section.location)
        table.commitLocation = SourceLocation(line: section.endLine, column: 1)
        var reportedInterfaces = false
        for (position, var chain) in section.chains.enumerated() {
            let builtin = kind.builtinChains.contains(chain.name)
            // The name stands after `Chain `.
            let nameLocation = SourceLocation(line: Int(chain.location.line), column: Int(chain.location.column) + 6)
            if chain.policy != nil && !builtin {
                error("'\(chain.name)' has a policy but is not a built-in chain of table '\(name)' (its built-in chains are \(kind.builtinChains.joined(separator: ", ")))",
                      at: nameLocation, length: chain.name.utf8.count)
            } else if chain.policy == nil && builtin {
                error("built-in chain '\(chain.name)' of table '\(name)' is listed without a policy", at: nameLocation, length: chain.name.utf8.count)
            }
            for (index, row) in section.rows[position].enumerated() {
                if let rule = readRule(row, chain: chain.name, number: index + 1, table: name, reportedInterfaces: &reportedInterfaces) {
                    chain.rules.append(rule)
                }
            }
            table.chains.append(chain)
        }
        return table
    }

    // MARK: - Rows

    private mutating func readRule(_ row: Row, chain: String, number: Int, table: String, reportedInterfaces: inout Bool) -> Rule? {
        let label = "\(chain) rule \(number)"
        var reader = ListingReader(cursor: ListingCursor(line: row.bytes, start: 0), family: family)
        guard let columns = ListingRowReader.read(row.bytes, line: row.line, columns: row.columns, label: label, reader: &reader) else {
            diagnostics += reader.errors.map { .error($0.message, at: SourceLocation(line: row.line, column: $0.column)) }
            return nil
        }
        var unread: (text: String, column: Int)?
        ListingText.read(&reader, target: columns.target, goto: columns.goto, unread: &unread)
        for (message, column) in reader.errors {
            error("\(label): \(message)", at: SourceLocation(line: row.line, column: column))
        }
        for (message, column) in reader.losses {
            warning("\(label): \(message)", at: SourceLocation(line: row.line, column: column))
        }
        if !row.columns.interfaces && !reportedInterfaces {
            reportedInterfaces = true
            warning("\(label) and the rest of this table: listed without -v, so -i/-o are not shown (read as none)",
                    at: SourceLocation(line: row.line, column: 1))
        }
        if let counters = columns.counters, !counters.exact {
            diagnostics.append(Diagnostic(.note, "\(label): counters rounded (\(counters.text)); list with -x for exact counters",
                                          at: SourceLocation(line: row.line, column: counters.column)))
        }
        if let unread {
            let message = "\(label): cannot read '\(unread.text)': no extension prints this"
            let location = SourceLocation(line: row.line, column: unread.column)
            if options.lenient {
                warning(message + " (rule kept as opaque text)", at: location, length: unread.text.utf8.count)
            } else {
                error(message, at: location, length: unread.text.utf8.count)
                return nil
            }
        }
        if !reader.errors.isEmpty { return nil }
        var ruleDiagnostics: [Diagnostic] = []
        var rule = RuleParser.parse(RuleWords(reader.words), from: 0, family: family, table: table, line: row.line,
                                    options: ParseOptions(lenient: options.lenient), texts: &texts,
                                    diagnostics: &ruleDiagnostics)
        diagnostics += ruleDiagnostics.map { Diagnostic($0.severity, "\(label): \($0.message)", at: $0.location, length: $0.length) }
        if ruleDiagnostics.contains(where: { $0.severity == .error }) { return nil }
        if rule.isOpaque {
            // --lenient kept a rule with an option verdict does not know: its words as read.
            rule.opaqueText = reader.words.map { word in
                var writer = SaveWriter()
                if word.text.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x22 }) || word.text.isEmpty {
                    writer.string(word.text)
                } else {
                    writer.word(word.text)
                }
                return String(writer.text.dropFirst())
            }.joined(separator: " ")
        }
        rule.location = SourceLocation(line: row.line, column: columns.firstColumn)
        if let counters = columns.counters { rule.counters = counters.value }
        if let unread {
            var writer = SaveWriter()
            SavePrinter.printRule(rule, family: family, to: &writer)
            let counters = rule.counters
            rule = Rule(location: rule.location)
            rule.counters = counters
            rule.opaqueText = String(writer.text.dropFirst()) + " " + unread.text
        }
        return rule
    }
}

extension String {
    var trimmingBlanks: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}

extension ListingParser {
    /// The family of a listing: an `ip6tables` command line before the first chain, else
    /// the first rule row's addresses (an IPv6 address has a colon), else the file name.
    static func detectFamily(_ bytes: [UInt8], fileName: String?) -> Family {
        var start = 0
        var sawChain = false
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = String(decoding: bytes[start..<end], as: UTF8.self)
            start = end + 1
            if line.hasPrefix("Chain ") { sawChain = true; continue }
            if !sawChain && ListingHeaders.namesIPv6Tool(line) && ListingHeaders.table(in: line) != nil { return .ipv6 }
            guard sawChain, ListingColumns.parse(Array(line.utf8)[...]) == nil else { continue }
            for (word, _) in ListingHeaders.splitWords(line).prefix(11) {
                let value = word.hasPrefix("!") ? String(word.dropFirst()) : word
                guard value.contains(".") || value.contains(":") else { continue }
                if value.contains(":"), Network(parsing: Array(value.utf8), family: .ipv6) != nil { return .ipv6 }
                if Network(parsing: Array(value.utf8), family: .ipv4) != nil { return .ipv4 }
            }
        }
        return Family.detect(in: [], fileName: fileName)
    }
}
