/// What a rule's expressions need of the table around them: its family and its named sets.
struct NftJSONContext: Sendable {
    /// A named set's or map's key and data kinds.
    struct SetKinds: Sendable {
        var key: NftValueKind
        var data: NftValueKind?
    }

    var family: NftFamily
    var sets: [String: SetKinds] = [:]
}

/// Reads the expressions of `nft -j` (libnftables-json(5), "EXPRESSIONS") into the AST the
/// text parser builds from what `nft list ruleset` prints for them. What the AST has no case for
/// becomes a `.value` of nft's text, which the rule's reading turns into words as the text parser
/// would.
struct NftJSONExpressions {
    var context: NftJSONContext

    /// The meta keys nft prints without `meta` (src/meta.c, meta_key_is_unqualified).
    static let unqualifiedMetaKeys: Set<String> = ["iif", "oif", "iifname", "oifname", "iifgroup", "oifgroup"]
    static let binaryOperators: Set<String> = ["&", "|", "^", "<<", ">>"]
    /// nft's binary operator precedences (src/expression.c, expr_binop_precedence).
    static let precedence: [String: Int] = ["<<": 1, ">>": 1, "&": 2, "^": 3, "|": 4]
    static let verdictNames: Set<String> = ["accept", "drop", "continue", "return", "jump", "goto"]
    static let selectorNames: Set<String> = [
        "payload", "meta", "ct", "fib", "rt", "socket", "osf", "numgen", "jhash", "symhash", "exthdr",
        "tcp option", "ip option", "sctp chunk",
    ]

    // MARK: - Expressions

    /// An expression; `kind` is the datatype of the values in it (the left side's, for a relation's
    /// right), `data` that of a map's values.
    func expression(_ json: NftJSON, kind: NftValueKind, data: NftValueKind = .plain,
                    at path: NftJSONPath) throws(NftJSONProblem) -> NftExpression {
        switch json {
        case .string(let text) where text.hasPrefix("@") && text.count > 1:
            return .setReference(String(text.dropFirst()))
        case .string, .integer, .unsigned, .real, .bool:
            return .value(try literal(json, kind: kind, at: path))
        case .array(let values):
            var words: [String] = []
            for (index, value) in values.enumerated() {
                words.append(NftPrinter.text(try expression(value, kind: kind, at: path / index)))
            }
            return words.count == 1 ? .value(words[0]) : .list(words)
        case .null:
            throw NftJSONProblem("null where an expression should be", at: path)
        case .object:
            guard let (key, value) = json.single else {
                throw NftJSONProblem("an expression is an object with one member", at: path)
            }
            return try compound(key, value, kind: kind, data: data, at: path)
        }
    }

    private func compound(_ key: String, _ value: NftJSON, kind: NftValueKind, data: NftValueKind,
                          at path: NftJSONPath) throws(NftJSONProblem) -> NftExpression {
        let inner = path / key
        if Self.selectorNames.contains(key) { return try selector(key, value, at: inner) }
        if Self.binaryOperators.contains(key) { return try binary(key, value, kind: kind, at: inner) }
        if Self.verdictNames.contains(key) { return .verdict(try verdict(key, value, at: inner)) }
        switch key {
        case "concat":
            guard let parts = value.array, parts.count >= 2 else {
                throw NftJSONProblem("\"concat\" must be an array of at least two expressions", at: inner)
            }
            var expressions: [NftExpression] = []
            for (index, part) in parts.enumerated() {
                expressions.append(try expression(part, kind: kind.part(index), at: inner / index))
            }
            return .concatenation(expressions)
        case "set":
            let elements = value.array ?? [value]
            return .set(try self.elements(elements, key: kind, data: data, layout: 0, at: inner))
        case "map":
            let map = try NftJSONObject(value, at: inner, what: "\"map\"")
            guard let keyJSON = map["key"], let dataJSON = map["data"] else {
                throw NftJSONProblem("\"map\" needs \"key\" and \"data\"", at: inner)
            }
            let mapKey = try expression(keyJSON, kind: .plain, at: inner / "key")
            let mapped = try expression(dataJSON, kind: self.kind(of: keyJSON), data: kind, at: inner / "data")
            return .map(key: mapKey, map: mapped)
        case "prefix":
            let prefix = try NftJSONObject(value, at: inner, what: "\"prefix\"")
            guard let address = prefix["addr"] else { throw NftJSONProblem("\"prefix\" needs \"addr\"", at: inner) }
            return .prefix(address: try literal(address, kind: kind, at: inner / "addr"), length: try prefix.int("len"))
        case "range":
            guard let bounds = value.array, bounds.count == 2 else {
                throw NftJSONProblem("\"range\" must be an array of two values", at: inner)
            }
            return .range(low: try literal(bounds[0], kind: kind, at: inner / 0),
                          high: try literal(bounds[1], kind: kind, at: inner / 1))
        case "elem":
            // An element with options where an expression stands (`update @s { ip saddr timeout 1m }`).
            let element = try self.element(.object([key: value]), key: kind, data: data, at: path)
            return .value(([NftPrinter.text(element.key)] + element.options).joined(separator: " "))
        default:
            throw NftJSONProblem("unknown expression \"\(key)\"", at: path)
        }
    }

    /// `{"&": [LEFT, RIGHT]}` and the other bitwise operators, with parentheses where nft prints them.
    private func binary(_ op: String, _ value: NftJSON, kind: NftValueKind,
                        at path: NftJSONPath) throws(NftJSONProblem) -> NftExpression {
        guard let operands = value.array, operands.count == 2 else {
            throw NftJSONProblem("\"\(op)\" must be an array of two expressions", at: path)
        }
        let operandKind = self.kind(of: operands[0]) == .plain ? kind : self.kind(of: operands[0])
        var sides: [NftExpression] = []
        for (index, operand) in operands.enumerated() {
            var side = try expression(operand, kind: operandKind, at: path / index)
            if let (inner, _) = operand.single, let mine = Self.precedence[op], let theirs = Self.precedence[inner],
               mine < theirs {
                side = .value("(" + NftPrinter.text(side) + ")")
            }
            sides.append(side)
        }
        return .binary(operator: op, left: sides[0], right: sides[1])
    }

    /// A verdict (`{"accept": null}`, `{"jump": {"target": "web"}}`).
    func verdict(_ key: String, _ value: NftJSON, at path: NftJSONPath) throws(NftJSONProblem) -> NftVerdict {
        switch key {
        case "accept": return .accept
        case "drop": return .drop
        case "continue": return .continue
        case "return": return .return
        case "jump", "goto":
            let target = try NftJSONObject(value, at: path, what: "\"\(key)\"").string("target")
            return key == "jump" ? .jump(target) : .goto(target)
        default: throw NftJSONProblem("unknown verdict \"\(key)\"", at: path)
        }
    }

    // MARK: - Selectors

    /// What a packet, its connection or the host is asked for: payload, meta, ct, fib and the others.
    func selector(_ key: String, _ value: NftJSON, at path: NftJSONPath) throws(NftJSONProblem) -> NftExpression {
        let object = try NftJSONObject(value, at: path, what: "\"\(key)\"")
        switch key {
        case "payload":
            if let proto = try object.optionalString("protocol") {
                return .payload(protocol: proto, field: try object.string("field"))
            }
            return .value("@\(try object.string("base")),\(try object.int("offset")),\(try object.int("len"))")
        case "meta":
            let name = try object.string("key")
            return .meta(key: name, qualified: !Self.unqualifiedMetaKeys.contains(name))
        case "ct":
            var name = try object.string("key")
            var family = try object.optionalString("family")
            // nft 1.0.6 names the address keys `ip saddr`, `ip6 daddr`: the family is in the key.
            let words = name.split(separator: " ")
            if words.count == 2, words[0] == "ip" || words[0] == "ip6" {
                family = String(words[0])
                name = String(words[1])
            }
            return .ct(direction: try object.optionalString("dir"), family: family, key: name)
        case "fib":
            return .fib(flags: try object.strings("flags"), result: try object.string("result"))
        case "rt":
            let family = try object.optionalString("family").map { $0 + " " } ?? ""
            return .value("rt " + family + (try object.string("key")))
        case "socket":
            let name = try object.string("key")
            let level = name == "cgroupv2" ? " level \(try object.int("level"))" : ""
            return .value("socket " + name + level)
        case "osf":
            let ttl = try object.optionalString("ttl").map { "ttl \($0) " } ?? ""
            return .value("osf " + ttl + (try object.string("key")))
        case "numgen":
            let offset = try object.optionalUnsigned("offset") ?? 0
            return .value("numgen \(try object.string("mode")) mod \(try object.unsigned("mod"))"
                          + (offset > 0 ? " offset \(offset)" : ""))
        case "jhash", "symhash":
            var text = key
            if key == "jhash" {
                guard let hashed = object["expr"] else { throw NftJSONProblem("\"jhash\" needs \"expr\"", at: path) }
                text += " " + NftPrinter.text(try expression(hashed, kind: .plain, at: path / "expr"))
            }
            text += " mod \(try object.unsigned("mod"))"
            if let seed = try object.optionalUnsigned("seed") { text += " seed 0x" + String(seed, radix: 16) }
            if let offset = try object.optionalUnsigned("offset"), offset > 0 { text += " offset \(offset)" }
            return .value(text)
        case "exthdr", "tcp option", "ip option", "sctp chunk":
            if key == "tcp option", object.has("base") {
                return .value("tcp option @\(try object.int("base")),\(try object.int("offset")),"
                              + "\(try object.int("len"))")
            }
            let name = try object.string("name")
            guard let field = try object.optionalString("field") else {
                return .value((key == "exthdr" ? "exthdr" : key) + " " + name)
            }
            return .value((key == "exthdr" ? "" : key + " ") + name + " " + field)
        default:
            throw NftJSONProblem("unknown expression \"\(key)\"", at: path)
        }
    }

    // MARK: - Set elements

    /// The elements of a set or map: `layout` is how many nft prints on a line before breaking it
    /// (0 never: an anonymous set; see `NftJSONMembers.elementsPerLine`).
    func elements(_ values: [NftJSON], key: NftValueKind, data: NftValueKind?, layout: Int,
                  at path: NftJSONPath) throws(NftJSONProblem) -> [NftSetElement] {
        var elements: [NftSetElement] = []
        for (index, value) in values.enumerated() {
            var element = try self.element(value, key: key, data: data ?? .plain, at: path / index)
            element.startsLine = layout > 0 && index > 0 && index % layout == 0
            elements.append(element)
        }
        return elements
    }

    /// One element: a key (`22`, `{"elem": {"val": ..., "timeout": 60}}`), or a map's `[KEY, VALUE]`.
    func element(_ json: NftJSON, key kind: NftValueKind, data: NftValueKind,
                 at path: NftJSONPath) throws(NftJSONProblem) -> NftSetElement {
        var keyJSON = json
        var valueJSON: NftJSON?
        if let pair = json.array, pair.count == 2 {
            keyJSON = pair[0]
            valueJSON = pair[1]
        }
        var keyPath = valueJSON == nil ? path : path / 0
        var options: [String] = []
        if let (name, body) = keyJSON.single, name == "elem" {
            keyPath = keyPath / "elem"
            let object = try NftJSONObject(body, at: keyPath, what: "\"elem\"")
            guard let inner = object["val"] else { throw NftJSONProblem("\"elem\" needs \"val\"", at: keyPath) }
            options = try elementOptions(object, at: keyPath)
            keyJSON = inner
            keyPath = keyPath / "val"
        }
        // `*`, the catch-all element, is printed as it is whatever the key's type.
        let key = keyJSON == .string("*") ? .value("*") : try expression(keyJSON, kind: kind, at: keyPath)
        var element = NftSetElement(key: key)
        if let valueJSON {
            if let (name, body) = valueJSON.single, Self.verdictNames.contains(name) {
                element.value = .verdict(try verdict(name, body, at: path / 1 / name))
            } else {
                element.value = try expression(valueJSON, kind: data, at: path / 1)
            }
            // nft prints a map element's options before its value (`1.2.3.4 timeout 1m : 5.6.7.8`).
            if !options.isEmpty {
                element.key = .value(([NftPrinter.text(element.key)] + options).joined(separator: " "))
                options = []
            }
        }
        element.options = options
        return element
    }

    /// The words after an element's key: its statement, `timeout`, `expires`, `comment`, in nft's
    /// order (src/expression.c, set_elem_expr_print).
    private func elementOptions(_ object: NftJSONObject, at path: NftJSONPath) throws(NftJSONProblem) -> [String] {
        var words: [String] = []
        for name in object.members.keys.sorted() where NftJSONStatements.elementStatements.contains(name) {
            let statement = try NftJSONStatements(expressions: self)
                .statement(.object([name: object.members[name] ?? .null]), at: path)
            words += NftJSONStatements.words(NftPrinter.text(statement))
        }
        if let timeout = try object.optionalUnsigned("timeout") {
            words += ["timeout", Self.time(milliseconds: timeout &* 1000)]
        }
        if let expires = try object.optionalUnsigned("expires") {
            words += ["expires", Self.time(milliseconds: expires &* 1000)]
        }
        if let comment = try object.optionalString("comment") { words += ["comment", "\"" + comment + "\""] }
        return words
    }
}
