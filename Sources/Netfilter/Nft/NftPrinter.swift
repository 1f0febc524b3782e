/// Prints an nft ruleset as `nft list ruleset` does: tabs, a blank line between a table's
/// members, `counter packets N bytes M`, comments. What nft printed reads back byte for byte.
public enum NftPrinter {
    /// The text of a whole ruleset.
    public static func text(_ ruleset: NftRuleset) -> String {
        var out = ""
        for table in ruleset.tables { write(table, to: &out) }
        return out
    }

    static func write(_ table: NftTable, to out: inout String) {
        out += "table \(table.family.rawValue) \(table.name) {\n"
        if !table.flags.isEmpty { out += "\tflags \(table.flags.joined(separator: ","))\n" }
        if let comment = table.comment { out += "\tcomment \"\(comment)\"\n" }
        // nft 1.0.6 (src/rule.c): only the flags line is followed by a blank line.
        if !table.flags.isEmpty && !table.members.isEmpty { out += "\n" }
        for (index, member) in table.members.enumerated() {
            if index > 0 { out += "\n" }
            switch member {
            case .chain(let chain): write(chain, to: &out)
            case .set(let set): write(set, to: &out)
            case .block(let block):
                out += "\t\(block.header) {\n"
                for line in block.lines { out += line + "\n" }
                out += "\t}\n"
            }
        }
        out += "}\n"
    }

    static func write(_ chain: NftChain, to out: inout String) {
        out += "\tchain \(chain.name) {\n"
        if let comment = chain.comment { out += "\t\tcomment \"\(comment)\"\n" }
        if let base = chain.base { out += "\t\t" + text(base) + "\n" }
        for rule in chain.rules { out += "\t\t" + text(rule) + "\n" }
        out += "\t}\n"
    }

    static func write(_ set: NftSet, to out: inout String) {
        out += "\t\(set.isMap ? "map" : "set") \(set.name) {\n"
        for property in set.properties { out += "\t\t" + text(property) + "\n" }
        out += "\t}\n"
    }

    /// A base chain's line: `type filter hook input priority filter; policy accept;`.
    public static func text(_ base: NftBaseChain) -> String {
        var line = "type \(base.type) hook \(base.hook)"
        if let device = base.device { line += " device \(device)" }
        if let devices = base.devices { line += " devices = { " + devices.joined(separator: ", ") + " }" }
        line += " priority \(base.priority);"
        if let policy = base.policy { line += " policy \(policy);" }
        return line
    }

    /// A line of a set or map block.
    public static func text(_ property: NftSetProperty) -> String {
        switch property {
        case .type(let key, let data, let intervalData):
            "type " + key.joined(separator: " . ")
                + (data.isEmpty ? "" : " : " + (intervalData ? "interval " : "") + data.joined(separator: " . "))
        case .typeOf(let key, let data): "typeof " + text(key) + (data.map { " : " + text($0) } ?? "")
        case .flags(let flags): "flags " + flags.joined(separator: ",")
        case .elements(let elements): "elements = " + text(.set(elements))
        case .other(let line): line
        }
    }

    /// A rule's statements, one space apart.
    public static func text(_ rule: NftRule) -> String {
        rule.statements.map(text).joined(separator: " ")
    }

    /// A statement as nft prints it.
    public static func text(_ statement: NftStatement) -> String {
        switch statement {
        case .match(let relation):
            let op = relation.operator == .implicit ? "" : " " + relation.operator.rawValue
            return text(relation.left) + op + " " + text(relation.right)
        case .verdict(let verdict): return verdict.text
        case .verdictMap(let key, let map): return text(key) + " vmap " + text(map)
        case .counter(let packets, let bytes):
            guard let packets, let bytes else { return "counter" }
            return "counter packets \(packets) bytes \(bytes)"
        case .log(let options): return (["log"] + options.map { "\($0.name) \($0.value)" }).joined(separator: " ")
        case .limit(let limit):
            let burst = limit.burst.map { " burst " + $0 } ?? ""
            return "limit rate" + (limit.over ? " over" : "") + " " + limit.rate + burst
        case .quota(let over, let words): return (["quota"] + (over ? ["over"] : []) + words).joined(separator: " ")
        case .reject(let with): return with.isEmpty ? "reject" : "reject with " + with.joined(separator: " ")
        case .queue(let words): return (["queue"] + words).joined(separator: " ")
        case .nat(let nat):
            var line = nat.kind
            if let family = nat.family { line += " " + family }
            if let to = nat.to { line += " to " + text(to) }
            if !nat.flags.isEmpty { line += " " + nat.flags.joined(separator: ",") }
            return line
        case .set(let target, let value): return text(target) + " set " + text(value)
        case .notrack: return "notrack"
        case .compat(let kind, let name): return "xt \(kind) \(name)"
        case .comment(let comment): return "comment \"\(comment)\""
        case .tokens(let tokens):
            guard let first = tokens.first else { return "" }
            return first.text + tokens.dropFirst().map(\.written).joined()
        }
    }

    /// An expression as nft prints it.
    public static func text(_ expression: NftExpression) -> String {
        switch expression {
        case .payload(let proto, let field): return proto + " " + field
        case .meta(let key, let qualified): return qualified ? "meta " + key : key
        case .ct(let direction, let family, let key):
            return (["ct"] + [direction, family].compactMap { $0 } + [key]).joined(separator: " ")
        case .fib(let flags, let result): return "fib " + flags.joined(separator: " . ") + " " + result
        case .value(let value): return value
        case .list(let values): return values.joined(separator: ",")
        case .prefix(let address, let length): return "\(address)/\(length)"
        case .range(let low, let high): return "\(low)-\(high)"
        case .concatenation(let parts): return parts.map(text).joined(separator: " . ")
        case .set(let elements):
            var line = "{ "
            for (index, element) in elements.enumerated() {
                if index > 0 { line += element.startsLine ? ",\n\t\t\t     " : ", " }
                // A map element's options come before its value (nft's elem expression holds
                // them with the key: `"eth0" comment "x" : accept`).
                line += text(element.key)
                if !element.options.isEmpty { line += " " + element.options.joined(separator: " ") }
                if let value = element.value { line += " : " + text(value) }
            }
            return line + " }"
        case .setReference(let name): return "@" + name
        case .binary(let op, let left, let right): return text(left) + " " + op + " " + text(right)
        case .map(let key, let map): return text(key) + " map " + text(map)
        case .verdict(let verdict): return verdict.text
        case .numgen(let mode, let modulus, let offset):
            return "numgen \(mode) mod \(modulus)" + (offset.map { " offset \($0)" } ?? "")
        }
    }
}
