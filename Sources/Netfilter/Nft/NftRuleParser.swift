/// Reads the statements of one rule (or the expressions of a set line) from its words. What it
/// does not model becomes `.tokens`, the words as written; a rule whose structure would not
/// print back exactly as written is kept as words too, so that nothing is ever lost.
struct NftRuleParser {
    private let tokens: [NftToken]
    private var index = 0

    init(_ tokens: [NftToken]) { self.tokens = tokens }

    /// The header protocols of payload expressions (`ip saddr`, `tcp dport`).
    static let payloadProtocols: Set<String> = [
        "ether", "vlan", "arp", "ip", "ip6", "icmp", "icmpv6", "igmp", "tcp", "udp", "udplite", "sctp", "dccp",
        "th", "ah", "esp", "comp", "frag", "hbh", "rt", "dst", "mh", "srh", "gre", "geneve", "vxlan",
    ]
    /// The meta keys nft prints without `meta`.
    static let bareMetaKeys: Set<String> = [
        "iif", "oif", "iifname", "oifname", "iiftype", "oiftype", "mark", "skuid", "skgid", "rtclassid",
        "nftrace", "pkttype", "cpu", "iifgroup", "oifgroup", "cgroup", "ibrname", "obrname", "ibriport",
        "obriport", "ipsec", "iifkind", "oifkind", "time", "day", "hour",
    ]
    static let relationalOperators: Set<String> = Set(NftOperator.allCases.map(\.rawValue)).subtracting([""])
    static let binaryOperators: Set<String> = ["&", "|", "^", "<<", ">>"]
    static let natFlags: Set<String> = ["random", "fully-random", "persistent", "netmap"]
    static let logOptions: Set<String> = ["prefix", "level", "group", "snaplen", "queue-threshold", "flags"]

    /// The text of the words as written, from the first word (its leading whitespace dropped).
    static func written(_ tokens: [NftToken]) -> String {
        guard let first = tokens.first else { return "" }
        return first.text + tokens.dropFirst().map(\.written).joined()
    }

    /// A rule from its words: structured where every statement is understood and prints back as
    /// written, else its statements up to the first not understood and the rest as words, else
    /// all of it as words.
    static func rule(_ tokens: [NftToken]) -> NftRule {
        let location = tokens.first?.location ?? .unknown
        var parser = NftRuleParser(tokens)
        var statements: [NftStatement] = []
        while !parser.atEnd {
            let start = parser.index
            if let statement = parser.statement(), parser.index > start {
                statements.append(statement)
            } else {
                statements.append(.tokens(Array(tokens[start...])))
                break
            }
        }
        let rule = NftRule(statements: statements, location: location)
        if NftPrinter.text(rule) == written(tokens) { return rule }
        return NftRule(statements: [.tokens(tokens)], location: location)
    }

    /// The elements between `{` and `}` of `elements = { ... }` (the words from `{` on), nil when
    /// they are not understood or would not print back as written.
    static func elements(_ tokens: [NftToken]) -> [NftSetElement]? {
        var parser = NftRuleParser(tokens)
        guard case .set(let elements)? = parser.primary(), parser.atEnd else { return nil }
        return NftPrinter.text(.set(elements)) == written(tokens) ? elements : nil
    }

    /// `typeof KEY [: DATA]` (the words after `typeof`), nil when not understood.
    static func typeOf(_ tokens: [NftToken]) -> NftSetProperty? {
        var parser = NftRuleParser(tokens)
        guard let key = parser.left() else { return nil }
        var data: NftExpression?
        if parser.peek == ":" {
            parser.index += 1
            if parser.peek == "verdict" {
                // A verdict map's values: `typeof iifname : verdict`.
                parser.index += 1
                data = .value("verdict")
            } else {
                guard let value = parser.left() else { return nil }
                data = value
            }
        }
        guard parser.atEnd else { return nil }
        let property = NftSetProperty.typeOf(key: key, data: data)
        return NftPrinter.text(property) == "typeof " + written(tokens) ? property : nil
    }

    // MARK: - Words

    var atEnd: Bool { index >= tokens.count }
    var peek: String? { index < tokens.count ? tokens[index].text : nil }
    func peek(_ offset: Int) -> String? { index + offset < tokens.count ? tokens[index + offset].text : nil }

    mutating func next() -> String? {
        guard index < tokens.count else { return nil }
        defer { index += 1 }
        return tokens[index].text
    }

    /// The words up to the end or the rule's comment.
    mutating func wordsToComment() -> [String] {
        var words: [String] = []
        while let word = peek, word != "comment" {
            words.append(word)
            index += 1
        }
        return words
    }

    // MARK: - Statements

    mutating func statement() -> NftStatement? {
        guard let word = peek else { return nil }
        switch word {
        case "accept", "drop", "continue", "return":
            return verdict().map { .verdict($0) }
        case "jump", "goto":
            return verdict().map { .verdict($0) }
        case "counter":
            index += 1
            guard peek == "packets" else { return .counter(packets: nil, bytes: nil) }
            guard let packets = peek(1).flatMap({ UInt64($0) }), peek(2) == "bytes",
                  let bytes = peek(3).flatMap({ UInt64($0) }) else { return nil }
            index += 4
            return .counter(packets: packets, bytes: bytes)
        case "log":
            index += 1
            var options: [NftOption] = []
            while let name = peek, Self.logOptions.contains(name), let value = peek(1) {
                options.append(NftOption(name, value))
                index += 2
            }
            return .log(options)
        case "limit": return limit()
        case "quota":
            index += 1
            let over = peek == "over"
            if over { index += 1 }
            var words: [String] = []
            while let word = peek, !["drop", "accept", "comment", "counter"].contains(word) {
                words.append(word)
                index += 1
            }
            return .quota(over: over, words: words)
        case "reject":
            index += 1
            guard peek == "with" else { return .reject(with: []) }
            index += 1
            return .reject(with: wordsToComment())
        case "queue":
            index += 1
            return .queue(wordsToComment())
        case "dnat", "snat", "masquerade", "redirect": return nat()
        case "notrack":
            index += 1
            return .notrack
        case "xt":
            guard let kind = peek(1), let name = peek(2) else { return nil }
            index += 3
            return .compat(kind: kind, name: name)
        case "comment":
            guard let text = peek(1), text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return nil }
            index += 2
            return .comment(String(text.dropFirst().dropLast()))
        default:
            return expressionStatement()
        }
    }

    mutating func limit() -> NftStatement? {
        guard peek(1) == "rate" else { return nil }
        index += 2
        let over = peek == "over"
        if over { index += 1 }
        guard var rate = next() else { return nil }
        if !rate.contains("/") {
            guard let unit = next() else { return nil }
            rate += " " + unit
        }
        var burst: String?
        if peek == "burst", let amount = peek(1), let unit = peek(2) {
            burst = amount + " " + unit
            index += 3
        }
        return .limit(NftLimit(over: over, rate: rate, burst: burst))
    }

    mutating func nat() -> NftStatement? {
        guard let kind = next() else { return nil }
        var nat = NftNat(kind: kind)
        if let family = peek, family == "ip" || family == "ip6", peek(1) == "to" {
            nat.family = family
            index += 1
        }
        if peek == "to" {
            index += 1
            guard let to = right(selectors: true) else { return nil }
            nat.to = to
        }
        if let word = peek, Self.natFlags.contains(word) {
            switch primary() {
            case .list(let flags)?: nat.flags = flags
            case .value(let flag)?: nat.flags = [flag]
            default: return nil
            }
        }
        return .nat(nat)
    }

    /// `LEFT [OP] RIGHT`, `LEFT vmap MAP`, `LEFT set VALUE`.
    mutating func expressionStatement() -> NftStatement? {
        guard let left = left() else { return nil }
        switch peek {
        case "vmap"?:
            index += 1
            return right().map { .verdictMap(key: left, map: $0) }
        case "set"?:
            index += 1
            return right(selectors: true).map { .set(target: left, value: $0) }
        default:
            var op = NftOperator.implicit
            if let word = peek, Self.relationalOperators.contains(word), let parsed = NftOperator(rawValue: word) {
                op = parsed
                index += 1
            }
            return right().map { .match(NftRelation(left: left, operator: op, right: $0)) }
        }
    }

    // MARK: - Expressions

    /// A selector: payload, meta, ct or fib.
    mutating func selector() -> NftExpression? {
        guard let word = peek else { return nil }
        // `tcp option maxseg size`, `ip option ra`: extension headers and options, not modelled yet.
        if Self.payloadProtocols.contains(word), let field = peek(1), Self.isName(field), field != "option" {
            index += 2
            return .payload(protocol: word, field: field)
        }
        if word == "meta", let key = peek(1), Self.isName(key) {
            index += 2
            return .meta(key: key, qualified: true)
        }
        if Self.bareMetaKeys.contains(word) {
            index += 1
            return .meta(key: word, qualified: false)
        }
        if word == "ct" {
            var offset = 1
            var direction: String?
            var family: String?
            if let next = peek(offset), next == "original" || next == "reply" {
                direction = next
                offset += 1
            }
            if let next = peek(offset), next == "ip" || next == "ip6" {
                family = next
                offset += 1
            }
            guard let key = peek(offset), Self.isName(key) else { return nil }
            index += offset + 1
            return .ct(direction: direction, family: family, key: key)
        }
        if word == "numgen", let mode = peek(1), Self.isName(mode), peek(2) == "mod",
           let modulus = peek(3).flatMap({ Int($0) }) {
            index += 4
            var offset: Int?
            if peek == "offset", let value = peek(1).flatMap({ Int($0) }) {
                offset = value
                index += 2
            }
            return .numgen(mode: mode, modulus: modulus, offset: offset)
        }
        if word == "fib", let first = peek(1), Self.isName(first) {
            var flags = [first]
            var offset = 2
            while peek(offset) == ".", let flag = peek(offset + 1), Self.isName(flag) {
                flags.append(flag)
                offset += 2
            }
            guard let result = peek(offset), Self.isName(result) else { return nil }
            index += offset + 1
            return .fib(flags: flags, result: result)
        }
        return nil
    }

    /// A left-hand side: selectors joined by ` . `, then maybe `& MASK` and the like.
    mutating func left() -> NftExpression? {
        guard var expression = selector() else { return nil }
        if peek == "." {
            var parts = [expression]
            while peek == "." {
                index += 1
                guard let part = selector() else { return nil }
                parts.append(part)
            }
            expression = .concatenation(parts)
        }
        while let op = peek, Self.binaryOperators.contains(op) {
            index += 1
            guard let operand = primary() else { return nil }
            expression = .binary(operator: op, left: expression, right: operand)
        }
        return expression
    }

    /// A right-hand side: primaries joined by ` . `, then maybe `map MAP`. Selectors only where
    /// a value may be computed (`meta mark set ct mark`, `dnat to ip saddr map @m`): a relation's
    /// right side is a value (`meta l4proto tcp` is not `tcp` followed by a field).
    mutating func right(selectors: Bool = false) -> NftExpression? {
        guard var expression = primary(selectors: selectors) else { return nil }
        // `meta mark set meta mark | 0x4000`: a computed value.
        while selectors, let op = peek, Self.binaryOperators.contains(op) {
            index += 1
            guard let operand = primary() else { return nil }
            expression = .binary(operator: op, left: expression, right: operand)
        }
        if peek == "." {
            var parts = [expression]
            while peek == "." {
                index += 1
                guard let part = primary(selectors: selectors) else { return nil }
                parts.append(part)
            }
            expression = .concatenation(parts)
        }
        // `syn / syn,ack`: the flags in the mask that must be set.
        if peek == "/", let mask = peek(1), Self.isValue(mask) {
            index += 1
            guard let masked = primary() else { return nil }
            expression = .binary(operator: "/", left: expression, right: masked)
        }
        if peek == "map" {
            index += 1
            guard let map = primary() else { return nil }
            expression = .map(key: expression, map: map)
        }
        return expression
    }

    /// A set `{ ... }`, a set reference `@name`, a selector, or a value.
    mutating func primary(selectors: Bool = false) -> NftExpression? {
        guard let word = peek else { return nil }
        if word == "{" { return anonymousSet() }
        if word.hasPrefix("@"), word.count > 1 {
            index += 1
            return .setReference(String(word.dropFirst()))
        }
        if selectors, let selector = selector() { return selector }
        guard Self.isValue(word) else { return nil }
        index += 1
        // `established,related`: words joined by commas with no space.
        if peek == ",", index + 1 < tokens.count, tokens[index].leading.isEmpty, tokens[index + 1].leading.isEmpty {
            var values = [word]
            while peek == ",", index + 1 < tokens.count, tokens[index].leading.isEmpty,
                  tokens[index + 1].leading.isEmpty, let value = peek(1), Self.isValue(value) {
                values.append(value)
                index += 2
            }
            return .list(values)
        }
        return Self.literal(word)
    }

    /// `{ ELEMENT, ... }`: each element a key, a map's `: VALUE`, and options (`timeout 1h`).
    mutating func anonymousSet() -> NftExpression? {
        index += 1
        var elements: [NftSetElement] = []
        while peek != "}" {
            var startsLine = false
            if !elements.isEmpty {
                guard peek == "," else { return nil }
                index += 1
                startsLine = tokens.indices.contains(index) && tokens[index].leading.contains("\n")
            }
            guard let key = element() else { return nil }
            var item = NftSetElement(key: key, startsLine: startsLine)
            // Options (`timeout 1h`, `comment "x"`, a counter) follow the key, a map's value after them.
            while let word = peek, word != ",", word != "}", word != "{", word != ":" {
                item.options.append(word)
                index += 1
            }
            if peek == ":" {
                index += 1
                if let verdict = verdict() {
                    item.value = .verdict(verdict)
                } else {
                    guard let value = element() else { return nil }
                    item.value = value
                }
                guard peek == "," || peek == "}" else { return nil }
            }
            elements.append(item)
        }
        index += 1
        return .set(elements)
    }

    /// An element's key or value: primaries joined by ` . `.
    mutating func element() -> NftExpression? {
        guard let first = primary() else { return nil }
        guard peek == "." else { return first }
        var parts = [first]
        while peek == "." {
            index += 1
            guard let part = primary() else { return nil }
            parts.append(part)
        }
        return .concatenation(parts)
    }

    mutating func verdict() -> NftVerdict? {
        switch peek {
        case "accept"?: index += 1; return .accept
        case "drop"?: index += 1; return .drop
        case "continue"?: index += 1; return .continue
        case "return"?: index += 1; return .return
        case "jump"?, "goto"?:
            guard let chain = peek(1) else { return nil }
            let jump = peek == "jump"
            index += 2
            return jump ? .jump(chain) : .goto(chain)
        default: return nil
        }
    }

    // MARK: - Words' kinds

    /// A keyword or field name: letters, digits, `-` and `_`, starting with a letter.
    static func isName(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, first.properties.isAlphabetic else { return false }
        return word.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
        }
    }

    /// A word that can be a value (not punctuation or an operator).
    static func isValue(_ word: String) -> Bool {
        !["{", "}", ";", ",", ".", ":", "map", "vmap", "set"].contains(word)
            && !relationalOperators.contains(word) && !binaryOperators.contains(word)
    }

    /// Whether a word is a number or an address (digits, hex, `.`, `:`).
    static func isNumeric(_ word: Substring) -> Bool {
        guard let first = word.unicodeScalars.first, first != ":" || word.count > 1 else { return false }
        return word.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == "." || $0 == ":" || $0 == "x" }
            && word.unicodeScalars.contains { ("0"..."9").contains($0) }
    }

    /// A value word: a prefix (`10.0.0.0/8`), a range (`1-1024`), or a plain value.
    static func literal(_ word: String) -> NftExpression {
        if !word.hasPrefix(":"), let slash = word.firstIndex(of: "/"),
           isNumeric(word[..<slash]), let length = Int(word[word.index(after: slash)...]),
           String(length) == word[word.index(after: slash)...] {
            return .prefix(address: String(word[..<slash]), length: length)
        }
        if !word.hasPrefix(":"), !word.hasPrefix("\""), let dash = word.firstIndex(of: "-"),
           isNumeric(word[..<dash]), isNumeric(word[word.index(after: dash)...]) {
            return .range(low: String(word[..<dash]), high: String(word[word.index(after: dash)...]))
        }
        return .value(word)
    }
}
