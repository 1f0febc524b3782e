/// How nft prints a value of a datatype (nftables' src/datatype.c, meta.c, ct.c, proto.c): JSON
/// gives numbers and bare strings where the text has `0x00000010`, `"eth0"`, `30s` or `missing`.
indirect enum NftValueKind: Sendable, Hashable {
    /// Numbers in decimal, strings as they are.
    case plain
    /// Strings in double quotes (interface names, `meta time`, `ct helper`), numbers in decimal.
    case quoted
    /// Numbers in hexadecimal with at least so many digits (`mark`: 8, `ether_type`: 4).
    case hex(digits: Int)
    /// Flags (`ct state`, `tcp flags`): names as they are, numbers in hexadecimal.
    case bitmask
    /// A number of seconds, printed as nft prints times (`1h`, `59m59s`).
    case time
    /// A verdict map's values.
    case verdict
    /// The parts of a concatenation.
    case concat([NftValueKind])

    /// The kind of a datatype by the name nft gives it in a set's `type`.
    init(typeName: String) {
        switch typeName {
        case "mark": self = .hex(digits: 8)
        case "ifname", "iface_index", "string", "time", "hour", "day", "devgroup", "ct_helper": self = .quoted
        case "ether_type": self = .hex(digits: 4)
        case "dscp": self = .hex(digits: 2)
        case "ecn": self = .hex(digits: 1)
        case "tcp_flag", "ct_state", "ct_status", "ct_event", "bitmask": self = .bitmask
        case "verdict": self = .verdict
        default: self = .plain
        }
    }

    /// The kind of a type list (`["ipv4_addr", "inet_service"]` or `"ipv4_addr . inet_service"`).
    init(typeNames: [String]) {
        self = typeNames.count == 1 ? NftValueKind(typeName: typeNames[0]) : .concat(typeNames.map(NftValueKind.init))
    }

    /// The kind of the part at an index of a concatenation (itself when not a concatenation).
    func part(_ index: Int) -> NftValueKind {
        if case .concat(let kinds) = self { return index < kinds.count ? kinds[index] : .plain }
        return self
    }
}

extension NftJSONExpressions {
    /// The datatype of what an expression gives, for printing the values it is compared with.
    func kind(of json: NftJSON) -> NftValueKind {
        guard let (key, value) = json.single else { return .plain }
        let object = value.object ?? [:]
        let name = object["key"]?.string ?? ""
        switch key {
        case "meta":
            switch name {
            case "mark": return .hex(digits: 8)
            case "iif", "oif", "iifname", "oifname", "ibrname", "obrname", "iifkind", "oifkind", "sdifname",
                 "ibriport", "obriport", "iifgroup", "oifgroup", "time", "hour", "day":
                return .quoted
            default: return .plain
            }
        case "ct":
            switch name {
            case "mark": return .hex(digits: 8)
            case "helper": return .quoted
            case "state", "status", "event": return .bitmask
            case "expiration": return .time
            default: return .plain
            }
        case "payload":
            switch (object["protocol"]?.string, object["field"]?.string) {
            case (nil, _): return .hex(digits: 0)
            case ("ether", "type"?), ("vlan", "type"?), ("arp", "ptype"?): return .hex(digits: 4)
            case (_, "dscp"?): return .hex(digits: 2)
            case (_, "ecn"?): return .hex(digits: 1)
            case ("tcp", "flags"?): return .bitmask
            default: return .plain
            }
        case "fib":
            return ["oif", "oifname"].contains(object["result"]?.string ?? "") ? .quoted : .plain
        case "socket":
            return name == "mark" ? .hex(digits: 8) : .plain
        case "concat":
            return .concat((value.array ?? []).map(kind(of:)))
        case "&", "|", "^", "<<", ">>":
            return value.array?.first.map(kind(of:)) ?? .plain
        case "map":
            if let data = object["data"]?.string, data.hasPrefix("@"),
               let set = context.sets[String(data.dropFirst())] {
                return set.data ?? .plain
            }
            return .plain
        default:
            return .plain
        }
    }

    /// A single value as nft prints it for its datatype.
    func literal(_ json: NftJSON, kind: NftValueKind, at path: NftJSONPath) throws(NftJSONProblem) -> String {
        switch json {
        case .string(let text):
            return kind == .quoted ? "\"" + text + "\"" : text
        case .bool(let flag):
            return flag ? "exists" : "missing"
        case .integer(let number) where number < 0:
            return String(number)
        case .integer, .unsigned:
            let number = json.unsigned ?? 0
            switch kind {
            case .hex(let digits):
                let hex = String(number, radix: 16)
                return "0x" + String(repeating: "0", count: max(0, digits - hex.count)) + hex
            case .bitmask: return "0x" + String(number, radix: 16)
            case .time: return Self.time(milliseconds: number &* 1000)
            default: return String(number)
            }
        case .real(let number):
            return String(number)
        default:
            throw NftJSONProblem("expected a value (a string or a number), not \(json.kindName)", at: path)
        }
    }

    /// A duration as nft prints it (src/datatype.c, time_print): `1d2h3m4s5ms`, units that are 0 left out.
    static func time(milliseconds: UInt64) -> String {
        var rest = milliseconds
        var text = ""
        for (size, unit) in [(UInt64(86_400_000), "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s"), (1, "ms")] {
            let count = rest / size
            rest %= size
            if count > 0 { text += "\(count)\(unit)" }
        }
        return text
    }
}
