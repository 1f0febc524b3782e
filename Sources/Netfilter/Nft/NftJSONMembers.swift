/// Reads what `nft -j list ruleset` lists of a table besides rules: base chains' hook lines, named
/// sets and maps, and named objects (counter, quota, limit, ...), as `nft list ruleset` prints them
/// (nftables' src/rule.c: chain_print_declaration, set_print_declaration, obj_print_data).
enum NftJSONMembers {
    // MARK: - Chains

    /// A base chain's `type ... hook ... priority ...; policy ...;` from a chain object; nil for a
    /// regular chain (one without `hook`).
    static func baseChain(_ chain: NftJSONObject, family: NftFamily) throws(NftJSONProblem) -> NftBaseChain? {
        guard let hook = try chain.optionalString("hook") else { return nil }
        var device: String?
        var devices: [String]?
        let names = try chain.strings("dev")
        if names.count == 1 { device = "\"" + names[0] + "\"" } else if names.count > 1 { devices = names }
        return NftBaseChain(type: try chain.optionalString("type") ?? "filter", hook: hook, device: device,
                            devices: devices,
                            priority: priority(try prio(chain), family: family, hook: hook),
                            policy: try chain.optionalString("policy"))
    }

    /// The `prio` of a chain or flowtable: a 32-bit number, as the kernel keeps it.
    static func prio(_ object: NftJSONObject) throws(NftJSONProblem) -> Int {
        let value = try object.int("prio")
        guard Int(Int32.min)...Int(Int32.max) ~= value else {
            throw NftJSONProblem("\"prio\" must be a 32-bit number, not \(value)", at: object.path / "prio")
        }
        return value
    }

    /// A priority number as nft prints it: a standard name within 10 of it, with the offset, where
    /// the name fits the family and hook; else the number (src/rule.c, prio2str).
    static func priority(_ value: Int, family: NftFamily, hook: String) -> NftPriority {
        let names: [(String, Int)] = family == .bridge
            ? [("dstnat", -300), ("filter", -200), ("out", 100), ("srcnat", 300)]
            : [("raw", -300), ("mangle", -150), ("dstnat", -100), ("filter", 0), ("security", 50), ("srcnat", 100)]
        for (name, standard) in names where abs(value - standard) <= 10 {
            guard fits(name, family: family, hook: hook) else { break }
            return .named(name, offset: value - standard)
        }
        return .number(value)
    }

    /// Whether nft prints a standard priority name in a family at a hook (std_prio_family_hook_compat).
    static func fits(_ name: String, family: NftFamily, hook: String) -> Bool {
        if family == .bridge {
            switch name {
            case "dstnat": return hook == "prerouting"
            case "filter": return true
            case "out": return hook == "output"
            default: return hook == "postrouting"
            }
        }
        let routed: Set<NftFamily> = [.inet, .ip, .ip6]
        switch name {
        case "filter": return family != .bridge
        case "dstnat": return routed.contains(family) && hook == "prerouting"
        case "srcnat": return routed.contains(family) && hook == "postrouting"
        default: return routed.contains(family)
        }
    }

    // MARK: - Sets and maps

    /// How many elements of a named set nft prints on a line before breaking it (src/expression.c,
    /// calculate_delim): 5 of numbers, ports, protocols and marks, 2 of IPv4 addresses and
    /// conntrack states, else 1 (IPv6 addresses, names, concatenations).
    static func elementsPerLine(_ typeNames: [String]) -> Int {
        guard typeNames.count == 1 else { return 1 }
        switch typeNames[0] {
        case "nf_proto", "integer", "arp_op", "inet_proto", "inet_service", "tcp_flag", "dccp_pkttype", "mark",
             "iface_index", "classid", "uid", "gid", "ct_dir":
            return 5
        case "ipv4_addr", "ct_state", "ct_status", "pkt_type": return 2
        default: return 1
        }
    }

    /// The datatype names of a set's `type` or a map's `map` (a name, an array of names, or names
    /// joined by ` . `).
    static func typeNames(_ json: NftJSON?, at path: NftJSONPath) throws(NftJSONProblem) -> [String] {
        switch json {
        case .string(let text)?:
            return text.split(separator: " ").map(String.init).filter { $0 != "." }
        case .array(let values)?:
            var names: [String] = []
            for (index, value) in values.enumerated() {
                guard let name = value.string else {
                    throw NftJSONProblem("a type name must be a string, not \(value.kindName)", at: path / index)
                }
                names.append(name)
            }
            guard !names.isEmpty else { throw NftJSONProblem("no type names", at: path) }
            return names
        case nil: throw NftJSONProblem("missing type", at: path)
        case let other?: throw NftJSONProblem("a type must be a string or an array, not \(other.kindName)", at: path)
        }
    }

    /// A named set or map and the kinds of its keys and values.
    static func set(_ object: NftJSONObject, isMap: Bool, expressions: NftJSONExpressions,
                    location: SourceLocation) throws(NftJSONProblem) -> (NftSet, NftJSONContext.SetKinds) {
        let path = object.path
        let keyTypes = try typeNames(object["type"], at: path / "type")
        let dataTypes = isMap ? try typeNames(object["map"], at: path / "map") : []
        let kinds = NftJSONContext.SetKinds(key: NftValueKind(typeNames: keyTypes),
                                            data: isMap ? NftValueKind(typeNames: dataTypes) : nil)
        let elementsJSON = object["elem"].map { $0.array ?? [$0] } ?? []
        // Whether a map's values are ranges (`: interval ipv4_addr`) is not in the JSON: its
        // values tell (an empty such map reads as one of single values).
        let intervalData = isMap && elementsJSON.contains { element in
            guard let pair = element.array, pair.count == 2, let key = pair[1].single?.key else { return false }
            return key == "range" || key == "prefix"
        }
        var properties: [NftSetProperty] = [.type(key: keyTypes, data: dataTypes, intervalData: intervalData)]
        if let policy = try object.optionalString("policy") { properties.append(.other("policy " + policy)) }
        if let size = try object.optionalUnsigned("size"), size > 0 { properties.append(.other("size \(size)")) }
        let timeout = try object.optionalUnsigned("timeout") ?? 0
        let flags = try object.strings("flags")
        let order = ["constant", "dynamic", "interval", "timeout"]
        let ordered = order.filter(flags.contains) + flags.filter { !order.contains($0) }
        // nft leaves the line out when `timeout` is its only flag and the set has a default timeout.
        if ordered.contains(where: { $0 != "timeout" || timeout == 0 }) { properties.append(.flags(ordered)) }
        if let statements = object["stmt"] {
            let reader = NftJSONStatements(expressions: expressions)
            var texts: [String] = []
            for (index, statement) in (statements.array ?? [statements]).enumerated() {
                texts.append(NftPrinter.text(try reader.statement(statement, at: path / "stmt" / index)))
            }
            properties.append(.other(texts.joined(separator: " ")))
        }
        if timeout > 0 {
            properties.append(.other("timeout " + NftJSONExpressions.time(milliseconds: timeout &* 1000)))
        }
        if let interval = try object.optionalUnsigned("gc-interval"), interval > 0 {
            properties.append(.other("gc-interval " + NftJSONExpressions.time(milliseconds: interval &* 1000)))
        }
        if let comment = try object.optionalString("comment") { properties.append(.other("comment \"\(comment)\"")) }
        if !elementsJSON.isEmpty {
            let elements = try expressions.elements(elementsJSON, key: kinds.key, data: kinds.data,
                                                    layout: elementsPerLine(keyTypes), at: path / "elem")
            properties.append(elementsProperty(elements))
        }
        let set = NftSet(isMap: isMap, name: try object.string("name"), properties: properties, location: location)
        return (set, kinds)
    }

    /// `elements = { ... }` as the text parser reads nft's text of it: its elements where it
    /// understands them, else the line as written.
    static func elementsProperty(_ elements: [NftSetElement]) -> NftSetProperty {
        let text = NftPrinter.text(NftExpression.set(elements))
        var tokens: [NftToken] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var words = NftLexer.words(line, lineNumber: 1).tokens
            if index > 0, !words.isEmpty { words[0].leading = "\n" + words[0].leading }
            tokens += words
        }
        if let parsed = NftRuleParser.elements(tokens) { return .elements(parsed) }
        return .other("elements = " + text)
    }

    // MARK: - Named objects

    /// The object kinds nft lists in a table, as the JSON names them.
    static let objectKinds: Set<String> = [
        "counter", "quota", "limit", "secmark", "ct helper", "ct expectation", "ct timeout", "synproxy", "flowtable",
    ]

    /// A named object or flowtable as a block of nft's lines.
    static func block(_ kind: String, _ object: NftJSONObject, family: NftFamily,
                      location: SourceLocation) throws(NftJSONProblem) -> NftBlock {
        let name = try object.string("name")
        var lines: [String] = []
        if let comment = try object.optionalString("comment") { lines.append("\t\tcomment \"\(comment)\"") }
        switch kind {
        case "counter":
            lines.append("\t\tpackets \(try object.unsigned("packets")) bytes \(try object.unsigned("bytes"))")
        case "quota":
            var line = "\t\t" + (try object.flag("inv") ? "over " : "") + bytes(try object.unsigned("bytes"))
            let used = try object.optionalUnsigned("used") ?? 0
            if used > 0 { line += " used " + bytes(used) }
            lines.append(line)
        case "limit":
            let rate = try object.unsigned("rate")
            let per = try object.optionalString("per") ?? "second"
            let burst = try object.optionalUnsigned("burst") ?? 0
            var line = "\t\trate " + (try object.flag("inv") ? "over " : "")
            if let unit = try object.optionalString("rate_unit") {
                line += "\(rate) \(unit)/\(per)"
                if burst > 0 { line += " burst \(burst) " + (try object.optionalString("burst_unit") ?? "bytes") }
            } else {
                line += "\(rate)/\(per)"
                if burst > 0 && burst != 5 { line += " burst \(burst) packets" }
            }
            lines.append(line)
        case "secmark":
            lines.append("\t\t\"\(try object.string("context"))\"")
        case "ct helper":
            lines.append("\t\ttype \"\(try object.string("type"))\" protocol \(try protocolName(object))")
            lines.append("\t\tl3proto \(try object.string("l3proto"))")
        case "ct expectation":
            lines.append("\t\tprotocol \(try protocolName(object))")
            lines.append("\t\tdport \(try object.unsigned("dport"))")
            lines.append("\t\ttimeout " + NftJSONExpressions.time(milliseconds: try object.unsigned("timeout")))
            lines.append("\t\tsize \(try object.unsigned("size"))")
            lines.append("\t\tl3proto \(try object.string("l3proto"))")
        case "flowtable":
            let hook = try object.string("hook")
            lines.append("\t\thook \(hook) priority \(priority(try prio(object), family: .netdev, hook: hook))")
            let devices = try object.strings("dev")
            if !devices.isEmpty { lines.append("\t\tdevices = { " + devices.joined(separator: ", ") + " }") }
        default:
            throw NftJSONProblem("\"\(kind)\" objects are not read yet", at: object.path)
        }
        return NftBlock(header: kind + " " + name, lines: lines, location: location)
    }

    /// A protocol of a ct helper or expectation: a name, or a number.
    private static func protocolName(_ object: NftJSONObject) throws(NftJSONProblem) -> String {
        if let number = object["protocol"]?.unsigned { return String(number) }
        return try object.string("protocol")
    }

    /// A byte count as nft prints it: in the largest of bytes, kbytes and mbytes that divides it
    /// (src/statement.c, get_rate).
    static func bytes(_ count: UInt64) -> String {
        var value = count
        for unit in ["bytes", "kbytes"] {
            guard value > 0, value % 1024 == 0 else { return "\(value) \(unit)" }
            value /= 1024
        }
        return "\(value) mbytes"
    }
}
