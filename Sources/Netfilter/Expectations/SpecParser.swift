/// Reads expectation files (docs/expectations.md): one case per line,
///
///     expect ACCEPT  tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 dnat 172.17.0.2:80 to vethc1
///     expect DROP    tcp 10.0.2.2:40000 -> 172.17.0.2:80 at filter/FORWARD with ctstate NEW  # not published
///
/// and, for `--record`, packet lists: the same lines with `expect OUTCOME` and the
/// expectation clauses left out (a spec file is a packet list too). Words are split as
/// iptables-restore splits them (double quotes group). Every error of the file is reported,
/// with its line and column; a line with an error yields no case.
public enum SpecParser {
    public enum Mode: Sendable {
        /// A spec: every case starts with `expect OUTCOME`.
        case spec
        /// A packet list for `--record`: `expect OUTCOME` and the expectations optional.
        case packets
    }

    public static let clauseKeywords = ["from", "at", "with", "assume", "by", "dnat", "snat", "masquerade", "via", "to", "reply"]
    /// The clauses that describe the request's starting point; they stand before `reply`.
    static let conditionKeywords: Set<String> = ["from", "at", "with", "assume"]
    static let valuedAttributes: Set<String> = ["in", "out", "flags", "type", "length", "ttl", "tos", "uid", "gid",
                                                 "physdev-in", "physdev-out", "pkttype", "mac", "local"]
    static let flagAttributes: Set<String> = ["syn", "fragment", "bridged", "routed"]
    /// The compact form's attributes that a spec writes after `with` instead.
    static let stateAttributes: Set<String> = ["ctstate", "state", "mark", "connmark"]
    public static let withAttributes = ["ctstate", "mark", "connmark"]
    public static let fateWords = ["ACCEPT", "DROP", "REJECT", "RETURN"]
    /// `--reject-with` types as iptables-save prints them (IPv4 and IPv6).
    public static let rejectKinds = ["icmp-net-unreachable", "icmp-host-unreachable", "icmp-proto-unreachable", "icmp-port-unreachable",
                                     "icmp-net-prohibited", "icmp-host-prohibited", "icmp-admin-prohibited", "tcp-reset",
                                     "icmp6-no-route", "icmp6-adm-prohibited", "icmp6-addr-unreachable", "icmp6-port-unreachable",
                                     "icmp6-policy-fail", "icmp6-reject-route"]

    public static func parse(_ bytes: [UInt8], file: String, mode: Mode) -> (spec: ExpectationSpec, diagnostics: [Diagnostic]) {
        var lines: [ExpectationSpec.Line] = []
        var diagnostics: [Diagnostic] = []
        var start = 0
        var number = 0
        while start < bytes.count {
            number += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var content = Array(bytes[start..<end])
            if content.last == 0x0D { content.removeLast() }
            var reader = LineReader(bytes: content, line: number, mode: mode)
            let parsed = reader.read()
            diagnostics += reader.diagnostics
            if let parsed, reader.diagnostics.isEmpty {
                lines.append(.case(parsed))
            } else if parsed == nil && reader.diagnostics.isEmpty {
                lines.append(.text(String(decoding: content, as: UTF8.self)))
            }
            start = end + 1
        }
        return (ExpectationSpec(file: file, lines: lines), diagnostics)
    }
}

/// Reads one line of a spec or packet list.
private struct LineReader {
    let bytes: [UInt8]
    let line: Int
    let mode: SpecParser.Mode
    var words: [Token] = []
    var index = 0
    var diagnostics: [Diagnostic] = []

    init(bytes: [UInt8], line: Int, mode: SpecParser.Mode) {
        self.bytes = bytes
        self.line = line
        self.mode = mode
    }

    mutating func error(_ message: String, column: Int, length: Int = 1) {
        diagnostics.append(.error(message, at: SourceLocation(line: line, column: column), length: length))
    }

    mutating func error(_ message: String, at token: Token) {
        error(message, column: token.column, length: token.length)
    }

    /// The column just after the last word (where a missing word would go).
    var endColumn: Int { words.last.map { $0.column + $0.length } ?? 1 }

    func isClause(_ token: Token) -> Bool { !token.quoted && SpecParser.clauseKeywords.contains(token.text) }

    /// The case on the line; nil for a blank or comment line (and for a line with errors).
    mutating func read() -> ExpectationCase? {
        let split = Tokenizer.split(ArraySlice(bytes))
        var tokens = split.tokens
        var comment: String?
        if let position = tokens.firstIndex(where: { bytes[$0.column - 1] == UInt8(ascii: "#") }) {
            comment = String(decoding: bytes[(tokens[position].column - 1)...], as: UTF8.self)
            tokens = Array(tokens[..<position])
        } else if let open = split.unterminatedQuoteAt {
            error("unterminated quote", column: open)
            return nil
        }
        words = tokens
        guard let first = words.first else { return nil }
        var request: Expectation?
        if first.text == "expect" {
            index = 1
            request = readOutcome(after: first)
            if request == nil { return nil }
        } else if mode == .spec {
            let hint = Suggestion.hint(first.text, among: ["expect"])
            error("a case starts with 'expect OUTCOME'; found '\(first.text)'\(hint)", at: first)
            return nil
        }
        guard var item = readPacket(caseColumn: first.column) else { return nil }
        item.request = request
        item.trailingComment = comment
        readClauses(into: &item)
        if let expectation = item.request { checkCoherence(expectation) }
        if let expectation = item.reply { checkCoherence(expectation) }
        return item
    }

    /// `[maybe] FATE [REJECT-KIND]` after `expect` or `reply`.
    mutating func readOutcome(after keyword: Token) -> Expectation? {
        guard index < words.count else {
            error("'\(keyword.text)' needs an outcome: ACCEPT, DROP, REJECT or RETURN", column: endColumn)
            return nil
        }
        var maybe = false
        if words[index].text == "maybe" {
            maybe = true
            index += 1
            guard index < words.count else {
                error("'maybe' needs an outcome: ACCEPT, DROP, REJECT or RETURN", column: endColumn)
                return nil
            }
        }
        let word = words[index]
        index += 1
        let fate: ExpectedFate
        switch word.text.uppercased() {
        case "ACCEPT": fate = .accept
        case "DROP": fate = .drop
        case "RETURN": fate = .return
        case "REJECT":
            var kind: String?
            if index < words.count, SpecParser.rejectKinds.contains(words[index].text.lowercased()) {
                kind = words[index].text.lowercased()
                index += 1
            }
            fate = .reject(kind)
        default:
            let hint = Suggestion.hint(word.text.uppercased(), among: SpecParser.fateWords)
            error("unknown outcome '\(word.text)' (ACCEPT, DROP, REJECT or RETURN)\(hint)", at: word)
            return nil
        }
        var expectation = Expectation(fate: Located(fate, column: word.column))
        expectation.maybe = maybe
        return expectation
    }

    /// The packet in the compact form, up to the first clause keyword.
    mutating func readPacket(caseColumn: Int) -> ExpectationCase? {
        let start = index
        guard start < words.count, !isClause(words[start]) else {
            error("a case needs a packet here, e.g. 'tcp 10.0.0.1:40000 -> 10.0.0.2:22'", column: start < words.count ? words[start].column : endColumn)
            return nil
        }
        var head = 0
        var good = start
        var deviceColumn: Int?
        var failed = false
        while index < words.count, !isClause(words[index]) {
            let word = words[index]
            if head < 4 {
                head += 1
                index += 1
                if !failed { good = index }
                continue
            }
            if SpecParser.valuedAttributes.contains(word.text) {
                if word.text == "in" || word.text == "out", deviceColumn == nil { deviceColumn = word.column }
                index = min(words.count, index + 2)
            } else if SpecParser.flagAttributes.contains(word.text) {
                index += 1
            } else if SpecParser.stateAttributes.contains(word.text) {
                let name = word.text == "state" ? "ctstate" : word.text
                let value = index + 1 < words.count ? " " + words[index + 1].text : ""
                error("'\(word.text)' goes after 'with' in a spec: write 'with \(name)\(value)'", at: word)
                failed = true
                index = min(words.count, index + 2)
                continue
            } else {
                let candidates = SpecParser.clauseKeywords + Array(SpecParser.valuedAttributes) + Array(SpecParser.flagAttributes)
                let hint = Suggestion.hint(word.text, among: candidates)
                error("unknown word '\(word.text)' after the packet\(hint)", at: word)
                failed = true
                while index < words.count, !isClause(words[index]) { index += 1 }
                continue
            }
            if !failed { good = index }
        }
        let first = words[start]
        let lastWord = words[max(start, good - 1)]
        let textEnd = min(bytes.count, lastWord.column - 1 + lastWord.length)
        let text = String(decoding: bytes[(first.column - 1)..<textEnd], as: UTF8.self)
        do throws(PacketDescription.ParseError) {
            let described = try PacketDescription.describe(text)
            if failed { return nil }
            var item = ExpectationCase(line: line, column: caseColumn, described: described, packetText: text,
                                       packetColumn: first.column)
            item.deviceColumn = deviceColumn
            return item
        } catch {
            self.error("packet: \(error.message)", column: error.column + first.column - 1)
            return nil
        }
    }

    /// The clauses after the packet, until the end of the line.
    mutating func readClauses(into item: inout ExpectationCase) {
        var seen: Set<String> = []
        var seenInReply: Set<String> = []
        var inReply = false
        while index < words.count {
            let keyword = words[index]
            index += 1
            guard isClause(keyword) else {
                if SpecParser.valuedAttributes.contains(keyword.text) || SpecParser.flagAttributes.contains(keyword.text) {
                    error("'\(keyword.text)' is part of the packet: write it before the clauses (from, at, with, by, ...)", at: keyword)
                    skipToClause()
                    continue
                }
                let hint = Suggestion.hint(keyword.text, among: SpecParser.clauseKeywords)
                error("unknown clause '\(keyword.text)'\(hint)", at: keyword)
                skipToClause()
                continue
            }
            let name = keyword.text
            if inReply, SpecParser.conditionKeywords.contains(name) {
                error("'\(name)' describes the request: write it before 'reply'", at: keyword)
                skipValues(name)
                continue
            }
            if name != "assume" {
                if inReply ? seenInReply.contains(name) : seen.contains(name) {
                    error("'\(name)' is given twice", at: keyword)
                    skipValues(name)
                    continue
                }
                if inReply { seenInReply.insert(name) } else { seen.insert(name) }
            }
            switch name {
            case "from":
                guard let value = value(for: keyword) else { continue }
                item.origin = Located(PacketOrigin(named: value.text), column: keyword.column)
            case "at":
                guard let value = value(for: keyword) else { continue }
                if let point = evaluationPoint(value) { item.point = Located(point, column: keyword.column) }
            case "with":
                readState(after: keyword, into: &item)
            case "assume":
                guard let value = value(for: keyword) else { continue }
                let parts = value.text.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let setting = ["true": true, "false": false][parts[1].lowercased()] else {
                    error("'assume' takes MATCH=true or MATCH=false (e.g. statistic=true), not '\(value.text)'", at: value)
                    continue
                }
                if item.pinned[parts[0]] != nil { error("'assume \(parts[0])' is given twice", at: keyword) }
                item.pinned[parts[0]] = setting
                item.pinnedColumns[parts[0]] = value.column
            case "reply":
                inReply = true
                if index < words.count, !isClause(words[index]) {
                    item.reply = readOutcome(after: keyword)
                    item.recordsReply = true
                } else if mode == .packets {
                    item.recordsReply = true
                } else {
                    error("'reply' needs an outcome: ACCEPT, DROP, REJECT or RETURN", column: index < words.count ? words[index].column : endColumn)
                }
            default:
                readExpectationClause(name, keyword: keyword, into: &item, inReply: inReply)
            }
        }
    }

    /// `by`, `dnat`, `snat`, `masquerade`, `via`, `to`: for the request, or after `reply`
    /// for the reply.
    mutating func readExpectationClause(_ name: String, keyword: Token, into item: inout ExpectationCase, inReply: Bool) {
        var expectation: Expectation
        if inReply {
            guard let reply = item.reply else { skipValues(name); return }
            expectation = reply
        } else {
            guard let request = item.request else {
                if mode == .spec { error("'\(name)' needs 'expect OUTCOME' first", at: keyword) }
                skipValues(name)
                return
            }
            expectation = request
        }
        switch name {
        case "by":
            guard let value = value(for: keyword) else { return }
            if let reference = ruleReference(value) { expectation.decider = Located(reference, column: keyword.column) }
        case "dnat", "snat":
            guard let value = value(for: keyword) else { return }
            do throws(PacketDescription.ParseError) {
                let endpoint = try PacketDescription.concreteEndpoint(value)
                let located = Located(Endpoint(address: endpoint.address, port: endpoint.port), column: keyword.column)
                if name == "dnat" { expectation.destinationNAT = located } else { expectation.sourceNAT = located }
            } catch {
                self.error("'\(name)' takes ADDR or ADDR:PORT: \(error.message)", at: value)
            }
        case "masquerade":
            expectation.masquerade = Located(true, column: keyword.column)
        case "via":
            guard let value = value(for: keyword) else { return }
            if let hooks = hookList(value, ordered: false) { expectation.hooks = Located(hooks, column: keyword.column) }
        case "to":
            guard let value = value(for: keyword) else { return }
            expectation.exit = Located(PacketOrigin(named: value.text), column: keyword.column)
        default:
            break
        }
        if inReply { item.reply = expectation } else { item.request = expectation }
    }

    /// `with ctstate STATE | mark N | connmark N ...`, applied to the packet.
    mutating func readState(after keyword: Token, into item: inout ExpectationCase) {
        var any = false
        let earlier = diagnostics.count
        while index < words.count, !isClause(words[index]) {
            let attribute = words[index]
            index += 1
            guard SpecParser.withAttributes.contains(attribute.text) else {
                let hint = Suggestion.hint(attribute.text, among: SpecParser.withAttributes + (attribute.text == "state" ? ["ctstate"] : []))
                let header = SpecParser.valuedAttributes.contains(attribute.text) || SpecParser.flagAttributes.contains(attribute.text)
                let note = header ? ": '\(attribute.text)' is part of the packet, before the clauses" : hint
                error("'with' takes ctstate STATE, mark N or connmark N, not '\(attribute.text)'\(note)", at: attribute)
                skipToClause()
                return
            }
            guard index < words.count, !isClause(words[index]) else {
                error("'\(attribute.text)' needs a value", column: index < words.count ? words[index].column : endColumn)
                return
            }
            let value = words[index]
            index += 1
            do throws(PacketDescription.ParseError) {
                let parsed = try PacketDescription.parse("tcp 0.0.0.0 -> 0.0.0.0 \(attribute.text) \(value.text)")
                switch attribute.text {
                case "ctstate":
                    item.packet.conntrack.state = parsed.conntrack.state
                    item.state.append("ctstate \(parsed.conntrack.state?.rawValue ?? value.text)")
                case "mark":
                    item.packet.mark = parsed.mark
                    item.described.given.insert(.mark)
                    item.packet.open.remove(.mark)
                    item.state.append("mark \(value.text)")
                default:
                    item.packet.conntrack.mark = parsed.conntrack.mark
                    item.state.append("connmark \(value.text)")
                }
                any = true
            } catch {
                self.error(error.message, at: value)
            }
        }
        if !any && diagnostics.count == earlier { error("'with' needs ctstate STATE, mark N or connmark N", column: keyword.column + keyword.length + 1) }
    }

    /// The word after a clause keyword.
    mutating func value(for keyword: Token) -> Token? {
        guard index < words.count, !isClause(words[index]) || words[index].quoted else {
            error("'\(keyword.text)' needs a value", column: index < words.count ? words[index].column : endColumn)
            return nil
        }
        defer { index += 1 }
        return words[index]
    }

    mutating func skipToClause() {
        while index < words.count, !isClause(words[index]) { index += 1 }
    }

    /// Skips the value of a clause that was refused.
    mutating func skipValues(_ name: String) {
        if name == "masquerade" || name == "reply" { return }
        skipToClause()
    }

    /// `HOOK[,HOOK...]` or `TABLE/CHAIN`.
    mutating func evaluationPoint(_ value: Token) -> EvaluationPoint? {
        if value.text.contains("/") {
            let parts = value.text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let tables = TableKind.allCases.map(\.rawValue)
            guard tables.contains(parts[0]) else {
                error("unknown table '\(parts[0])' (raw, mangle, nat, filter, security)\(Suggestion.hint(parts[0], among: tables))", at: value)
                return nil
            }
            guard !parts[1].isEmpty else {
                error("'at' needs TABLE/CHAIN, e.g. filter/FORWARD", at: value)
                return nil
            }
            return .chain(table: parts[0], chain: parts[1])
        }
        return hookList(value, ordered: true).map { .hooks($0) }
    }

    /// A comma list of hooks; `ordered`: consecutive hooks must follow each other on a
    /// packet's way (PREROUTING then INPUT or FORWARD, FORWARD then POSTROUTING, OUTPUT then
    /// POSTROUTING).
    mutating func hookList(_ value: Token, ordered: Bool) -> [Hook]? {
        var hooks: [Hook] = []
        var offset = 0
        let names = Hook.allCases.map(\.rawValue)
        for part in value.text.split(separator: ",", omittingEmptySubsequences: false) {
            defer { offset += part.utf8.count + 1 }
            guard let hook = Hook(rawValue: part.uppercased()) else {
                let hint = Suggestion.hint(String(part).uppercased(), among: names)
                error("unknown hook '\(part)' (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING)\(hint)", column: value.column + offset,
                      length: max(1, part.utf8.count))
                return nil
            }
            if ordered, let previous = hooks.last, !Self.follows(previous, hook) {
                error("\(hook.rawValue) does not follow \(previous.rawValue) on a packet's way (PREROUTING then INPUT or FORWARD, FORWARD then POSTROUTING, OUTPUT then POSTROUTING)",
                      column: value.column + offset, length: max(1, part.utf8.count))
                return nil
            }
            hooks.append(hook)
        }
        return hooks
    }

    static func follows(_ first: Hook, _ second: Hook) -> Bool {
        switch (first, second) {
        case (.prerouting, .input), (.prerouting, .forward), (.forward, .postrouting), (.output, .postrouting): return true
        default: return false
        }
    }

    /// `TABLE/CHAIN:N`, `TABLE/CHAIN:policy`, or a comment (quoted, or a word without `/`).
    mutating func ruleReference(_ value: Token) -> RuleReference? {
        if value.quoted || !value.text.contains("/") { return .comment(value.text) }
        let slash = value.text.split(separator: "/", maxSplits: 1).map(String.init)
        guard slash.count == 2, let colon = slash[1].lastIndex(of: ":") else {
            error("'by' takes TABLE/CHAIN:N (the kernel's rule number, or 'policy') or a quoted comment, not '\(value.text)'", at: value)
            return nil
        }
        let chain = String(slash[1][..<colon])
        let position = String(slash[1][slash[1].index(after: colon)...])
        // An nft table (`docker-bridges/raw-PREROUTING:1`, its family left out) is checked against
        // the snapshot (SpecChecker); a near miss of iptables' tables is a typo.
        let tables = TableKind.allCases.map(\.rawValue)
        if !tables.contains(slash[0]), let near = Suggestion.closest(to: slash[0], among: tables) {
            error("unknown table '\(slash[0])' (raw, mangle, nat, filter, security, or an nft table); did you mean "
                  + "'\(near)'?", at: value)
            return nil
        }
        guard !chain.isEmpty else {
            error("'by' needs a chain name in TABLE/CHAIN:N", at: value)
            return nil
        }
        if position == "policy" { return .rule(table: slash[0], chain: chain, number: nil) }
        guard let number = Int(position), number >= 1 else {
            error("'by' takes a rule number from 1 or 'policy' after the chain, not '\(position)'\(Suggestion.hint(position, among: ["policy"]))", at: value)
            return nil
        }
        return .rule(table: slash[0], chain: chain, number: number)
    }

    /// Clauses that contradict the outcome.
    mutating func checkCoherence(_ expectation: Expectation) {
        if let exit = expectation.exit, expectation.fate.value != .accept {
            error("'to' says where an accepted packet goes; a \(expectation.fate.value) case has no way out", column: exit.column)
        }
    }
}
