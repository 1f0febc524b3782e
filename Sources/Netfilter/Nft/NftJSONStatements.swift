/// Reads the statements of an `nft -j` rule (libnftables-json(5), "STATEMENTS") into the AST the
/// text parser builds from what `nft list ruleset` prints for them (nftables' src/statement.c):
/// defaults nft leaves out of its text are left out (`burst 5 packets`, `reject` with
/// port-unreachable), flags in nft's order. A statement the AST has no case for becomes its words.
struct NftJSONStatements {
    var expressions: NftJSONExpressions

    /// The statements a set element may carry in JSON (`{"elem": {"val": 1, "counter": {...}}}`).
    static let elementStatements: Set<String> = ["counter", "quota", "limit", "ct count"]
    static let objectReferences: [String: String] = [
        "counter": "counter name", "quota": "quota name", "limit": "limit name", "ct helper": "ct helper set",
        "ct timeout": "ct timeout set", "ct expectation": "ct expectation set", "secmark": "meta secmark set",
        "synproxy": "synproxy name",
    ]

    /// The statements the AST keeps as words (`text(_:_:at:)`).
    static let textStatements: Set<String> = [
        "set", "map", "ct count", "queue", "dup", "fwd", "tproxy", "synproxy", "reset", "flow", "meter",
    ]

    var family: NftFamily { expressions.context.family }

    /// The words of nft text as the text parser splits them.
    static func words(_ text: String) -> [String] {
        NftLexer.words(Substring(text), lineNumber: 1).tokens.map(\.text)
    }

    /// Nft text as words, at a place.
    static func tokens(_ text: String, at location: SourceLocation) -> [NftToken] {
        var tokens = NftLexer.words(Substring(text), lineNumber: 1).tokens
        for index in tokens.indices { tokens[index].location = location }
        return tokens
    }

    func statement(_ json: NftJSON, at path: NftJSONPath) throws(NftJSONProblem) -> NftStatement {
        // nft 1.0.6 writes a statement it has no JSON for as its text.
        if let text = json.string { return .tokens(Self.tokens(text, at: .unknown)) }
        guard let (key, value) = json.single else {
            throw NftJSONProblem("a statement is an object with one member, not \(json.kindName)", at: path)
        }
        let inner = path / key
        if NftJSONExpressions.verdictNames.contains(key) {
            return .verdict(try expressions.verdict(key, value, at: inner))
        }
        if let reference = Self.objectReferences[key], value.string != nil || value.single?.key == "map" {
            var name = NftPrinter.text(try expressions.expression(value, kind: .quoted, at: inner))
            if let text = value.string { name = "\"" + text + "\"" }
            return .tokens(Self.tokens(reference + " " + name, at: .unknown))
        }
        switch key {
        case "match": return try match(value, at: inner)
        case "counter":
            guard !value.isNull else { return .counter(packets: nil, bytes: nil) }
            let counter = try NftJSONObject(value, at: inner, what: "\"counter\"")
            return .counter(packets: try counter.unsigned("packets"), bytes: try counter.unsigned("bytes"))
        case "log": return try log(value, at: inner)
        case "limit": return try limit(value, at: inner)
        case "quota":
            let quota = try NftJSONObject(value, at: inner, what: "\"quota\"")
            var words = [String(try quota.unsigned("val")), try quota.optionalString("val_unit") ?? "bytes"]
            if let used = try quota.optionalUnsigned("used"), used > 0 {
                words += ["used", String(used), try quota.optionalString("used_unit") ?? "bytes"]
            }
            return .quota(over: try quota.flag("inv"), words: words)
        case "reject": return try reject(value, at: inner)
        case "dnat", "snat", "masquerade", "redirect": return try nat(key, value, at: inner)
        case "mangle":
            let mangle = try NftJSONObject(value, at: inner, what: "\"mangle\"")
            guard let target = mangle["key"], let newValue = mangle["value"] else {
                throw NftJSONProblem("\"mangle\" needs \"key\" and \"value\"", at: inner)
            }
            let kind = expressions.kind(of: target)
            return .set(target: try expressions.expression(target, kind: .plain, at: inner / "key"),
                        value: try expressions.expression(newValue, kind: kind, data: kind, at: inner / "value"))
        case "vmap":
            let map = try NftJSONObject(value, at: inner, what: "\"vmap\"")
            guard let keyJSON = map["key"], let dataJSON = map["data"] else {
                throw NftJSONProblem("\"vmap\" needs \"key\" and \"data\"", at: inner)
            }
            return .verdictMap(key: try expressions.expression(keyJSON, kind: .plain, at: inner / "key"),
                               map: try expressions.expression(dataJSON, kind: expressions.kind(of: keyJSON),
                                                               data: .verdict, at: inner / "data"))
        case "notrack": return .notrack
        case "xt":
            let xt = try NftJSONObject(value, at: inner, what: "\"xt\"")
            return .compat(kind: try xt.string("type"), name: try xt.string("name"))
        default:
            guard Self.textStatements.contains(key) else {
                throw NftJSONProblem("unknown statement \"\(key)\"", at: path)
            }
            return .tokens(Self.tokens(try text(key, value, at: inner), at: .unknown))
        }
    }

    /// `{"match": {"op": ..., "left": ..., "right": ...}}`: a relation, the operator shown where
    /// nft shows it (src/expression.c, must_print_eq_op), flag tests as `syn / syn,ack`.
    func match(_ value: NftJSON, at path: NftJSONPath) throws(NftJSONProblem) -> NftStatement {
        let match = try NftJSONObject(value, at: path, what: "\"match\"")
        let op = try match.string("op")
        guard let left = match["left"], let right = match["right"] else {
            throw NftJSONProblem("\"match\" needs \"left\" and \"right\"", at: path)
        }
        // `tcp flags & (syn | ack) == syn` is listed `tcp flags syn / syn,ack`
        // (src/netlink_delinearize.c, relational_binop_postprocess: its mask is a list).
        if op == "==" || op == "!=", let (and, operands) = left.single, and == "&",
           let pair = operands.array, pair.count == 2, pair[1].array != nil,
           expressions.kind(of: pair[0]) == .bitmask {
            let selector = try expressions.expression(pair[0], kind: .plain, at: path / "left" / "&" / 0)
            let flags = try expressions.expression(right, kind: .bitmask, at: path / "right")
            let mask = try expressions.expression(pair[1], kind: .bitmask, at: path / "left" / "&" / 1)
            return .match(NftRelation(left: selector, operator: op == "!=" ? .notEqual : .implicit,
                                      right: .binary(operator: "/", left: flags, right: mask)))
        }
        let kind = expressions.kind(of: left)
        let leftExpression = try expressions.expression(left, kind: .plain, at: path / "left")
        let rightExpression = try expressions.expression(right, kind: kind, at: path / "right")
        var relation = NftRelation(left: leftExpression, right: rightExpression)
        switch op {
        case "in": relation.operator = .implicit
        case "==":
            let isBinary = left.single.map { NftJSONExpressions.binaryOperators.contains($0.key) } ?? false
            let isFlagValue: Bool
            switch right {
            case .string(let text): isFlagValue = kind == .bitmask && !text.hasPrefix("@")
            case .integer, .unsigned: isFlagValue = kind == .bitmask
            default: isFlagValue = false
            }
            relation.operator = isBinary || isFlagValue ? .equal : .implicit
        case "!":
            // `tcp flags ! syn,ack`: no flag of the list set.
            let text = NftPrinter.text(leftExpression) + " ! " + NftPrinter.text(rightExpression)
            return .tokens(Self.tokens(text, at: .unknown))
        default:
            guard let parsed = NftOperator(rawValue: op), parsed != .implicit else {
                throw NftJSONProblem("unknown operator \"\(op)\"", at: path / "op")
            }
            relation.operator = parsed
        }
        return .match(relation)
    }

    /// `log` with its options in nft's order (src/statement.c, log_stmt_print).
    func log(_ value: NftJSON, at path: NftJSONPath) throws(NftJSONProblem) -> NftStatement {
        guard !value.isNull else { return .log([]) }
        let log = try NftJSONObject(value, at: path, what: "\"log\"")
        var options: [NftOption] = []
        if let prefix = try log.optionalString("prefix") { options.append(NftOption("prefix", "\"" + prefix + "\"")) }
        for name in ["group", "snaplen", "queue-threshold"] {
            if let number = try log.optionalUnsigned(name) { options.append(NftOption(name, String(number))) }
        }
        if let level = try log.optionalString("level"), level != "warn" { options.append(NftOption("level", level)) }
        let flags = try log.strings("flags")
        if flags.contains("all") {
            options.append(NftOption("flags", "all"))
        } else {
            let tcp = ["sequence", "options"].filter { flags.contains("tcp " + $0) }
            if !tcp.isEmpty { options.append(NftOption("flags", "tcp " + tcp.joined(separator: ","))) }
            for flag in ["ip options", "skuid", "ether"] where flags.contains(flag) {
                options.append(NftOption("flags", flag))
            }
        }
        return .log(options)
    }

    /// `limit rate [over] N/UNIT [burst ...]`: a packet burst of 5 (the default) is not printed.
    func limit(_ value: NftJSON, at path: NftJSONPath) throws(NftJSONProblem) -> NftStatement {
        let limit = try NftJSONObject(value, at: path, what: "\"limit\"")
        let rate = try limit.unsigned("rate")
        let per = try limit.optionalString("per") ?? "second"
        let burst = try limit.optionalUnsigned("burst") ?? 0
        if let unit = try limit.optionalString("rate_unit") {
            let burstText = burst > 0 ? "\(burst) " + (try limit.optionalString("burst_unit") ?? "bytes") : nil
            return .limit(NftLimit(over: try limit.flag("inv"), rate: "\(rate) \(unit)/\(per)", burst: burstText))
        }
        return .limit(NftLimit(over: try limit.flag("inv"), rate: "\(rate)/\(per)",
                               burst: burst > 0 && burst != 5 ? "\(burst) packets" : nil))
    }

    /// `reject [with ...]`: port-unreachable, the default, is left out where nft leaves it out (in
    /// an ip or ip6 table; always for icmpx).
    func reject(_ value: NftJSON, at path: NftJSONPath) throws(NftJSONProblem) -> NftStatement {
        guard !value.isNull else { return .reject(with: []) }
        let reject = try NftJSONObject(value, at: path, what: "\"reject\"")
        guard let type = try reject.optionalString("type") else { return .reject(with: []) }
        if type == "tcp reset" { return .reject(with: ["tcp", "reset"]) }
        guard let code = reject["expr"] else { return .reject(with: [type]) }
        let codeText = try expressions.literal(code, kind: .plain, at: path / "expr")
        let verbose = type != "icmpx" && [.inet, .bridge, .netdev].contains(family)
        if codeText == "port-unreachable" && !verbose { return .reject(with: []) }
        return .reject(with: [type, codeText])
    }

    /// `dnat`, `snat`, `masquerade`, `redirect` (src/statement.c, nat_stmt_print): an IPv6 address
    /// before a port in brackets, `netmap` not printed.
    func nat(_ kind: String, _ value: NftJSON, at path: NftJSONPath) throws(NftJSONProblem) -> NftStatement {
        guard !value.isNull else { return .nat(NftNat(kind: kind)) }
        let nat = try NftJSONObject(value, at: path, what: "\"\(kind)\"")
        var result = NftNat(kind: kind)
        let address = nat["addr"]
        let port = nat["port"]
        if address != nil || port != nil {
            var family = try nat.optionalString("family")
            if try nat.strings("type_flags").contains("prefix") { family = (family.map { $0 + " " } ?? "") + "prefix" }
            result.family = family
        }
        var addressExpression = try address.map { (json) throws(NftJSONProblem) in
            try expressions.expression(json, kind: .plain, at: path / "addr")
        }
        if let port {
            let portText = NftPrinter.text(try expressions.expression(port, kind: .plain, at: path / "port"))
            var addressText = addressExpression.map(NftPrinter.text) ?? ""
            switch addressExpression {
            case .value(let text)? where text.contains(":"): addressText = "[" + text + "]"
            case .range(let low, let high)? where low.contains(":"): addressText = "[" + low + "]-[" + high + "]"
            default: break
            }
            addressExpression = .value(addressText + ":" + portText)
        }
        result.to = addressExpression
        let flags = try nat.strings("flags")
        result.flags = ["random", "fully-random", "persistent"].filter(flags.contains)
        return .nat(result)
    }

    /// The text of a statement the AST keeps as words.
    func text(_ key: String, _ value: NftJSON, at path: NftJSONPath) throws(NftJSONProblem) -> String {
        func expression(_ json: NftJSON?, _ name: String, kind: NftValueKind = .plain) throws(NftJSONProblem)
            -> String {
            guard let json else { throw NftJSONProblem("\"\(key)\" needs \"\(name)\"", at: path) }
            return NftPrinter.text(try expressions.expression(json, kind: kind, at: path / name))
        }
        let object = value.isNull ? nil : try NftJSONObject(value, at: path, what: "\"\(key)\"")
        switch key {
        case "set", "map":
            guard let object else { throw NftJSONProblem("\"\(key)\" needs an object", at: path) }
            let setName = try object.string(key == "map" ? "map" : "set")
            let kinds = expressions.context.sets[String(setName.dropFirst())]
            var inside = try expression(object["elem"], "elem", kind: kinds?.key ?? .plain)
            if key == "map" { inside += " : " + (try expression(object["data"], "data", kind: kinds?.data ?? .plain)) }
            for (index, statement) in (object["stmt"]?.array ?? []).enumerated() {
                inside += " " + NftPrinter.text(try self.statement(statement, at: path / "stmt" / index))
            }
            return "\(try object.string("op")) \(setName) { \(inside) }"
        case "ct count":
            guard let object else { throw NftJSONProblem("\"ct count\" needs an object", at: path) }
            return "ct count " + (try object.flag("inv") ? "over " : "") + String(try object.unsigned("val"))
        case "queue":
            var text = "queue"
            let flags = try object?.strings("flags") ?? []
            let shown = ["bypass", "fanout"].filter(flags.contains)
            if !shown.isEmpty { text += " flags " + shown.joined(separator: ",") }
            return text + " to " + (try object?["num"].map { (json) throws(NftJSONProblem) in
                NftPrinter.text(try expressions.expression(json, kind: .plain, at: path / "num"))
            } ?? "0")
        case "dup":
            guard let object else { return "dup" }
            var text = "dup to " + (try expression(object["addr"], "addr"))
            if object.has("dev") { text += " device " + (try expression(object["dev"], "dev", kind: .quoted)) }
            return text
        case "fwd":
            guard let object else { throw NftJSONProblem("\"fwd\" needs an object", at: path) }
            let device = try expression(object["dev"], "dev", kind: .quoted)
            guard object.has("addr") else { return "fwd to " + device }
            return "fwd \(try object.optionalString("family") ?? "ip") to \(try expression(object["addr"], "addr"))"
                + " device " + device
        case "tproxy":
            var text = "tproxy"
            if family == .inet, let family = try object?.optionalString("family") { text += " " + family }
            text += " to"
            if let address = object?["addr"] {
                let addressText = try expression(address, "addr")
                text += " " + (addressText.contains(":") ? "[" + addressText + "]" : addressText)
            }
            if let port = object?["port"] {
                text += (object?.has("addr") == true ? "" : " ") + ":" + (try expression(port, "port"))
            }
            return text
        case "synproxy":
            var text = "synproxy"
            if let mss = try object?.optionalUnsigned("mss") { text += " mss \(mss)" }
            if let wscale = try object?.optionalUnsigned("wscale") { text += " wscale \(wscale)" }
            let flags = try object?.strings("flags") ?? []
            for flag in ["timestamp", "sack-perm"] where flags.contains(flag) { text += " " + flag }
            return text
        case "reset":
            return "reset " + NftPrinter.text(try expressions.expression(value, kind: .plain, at: path))
        case "flow":
            guard let object else { throw NftJSONProblem("\"flow\" needs an object", at: path) }
            return "flow \(try object.string("op")) \(try object.string("flowtable"))"
        case "meter":
            guard let object else { throw NftJSONProblem("\"meter\" needs an object", at: path) }
            let name = try object.optionalString("name").map { $0 + " " } ?? ""
            guard let statement = object["stmt"] else { throw NftJSONProblem("\"meter\" needs \"stmt\"", at: path) }
            let inner = NftPrinter.text(try self.statement(statement, at: path / "stmt"))
            let key = try expression(object["key"], "key")
            return "meter \(name)size \(try object.unsigned("size")) { \(key) \(inner) }"
        default:
            throw NftJSONProblem("unknown statement \"\(key)\"", at: path)
        }
    }
}
