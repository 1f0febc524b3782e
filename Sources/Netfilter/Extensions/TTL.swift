// libipt_ttl.c / net/ipv4/netfilter/ipt_ttl.c and libip6t_hl.c / ip6t_hl.c: TTL and hop limit.

extension ExtensionSpec {
    static func hopValueCheck(_ names: [String]) -> @Sendable (inout ExtensionCall, inout FinalizeContext) -> Void {
        { call, context in
            if let setting = call.settings.first, setting.negated, call.spec.options[setting.option].name != names[0] {
                context.error("only --\(names[0]) can be negated")
            }
        }
    }

    /// Compares the packet's TTL or hop limit with the one option given.
    static let hopEvaluate: @Sendable (ExtensionCall, Packet) -> MatchOutcome = { call, packet in
            guard let setting = call.settings.first, case .number(let value) = setting.value else { return .matches }
            guard let ttl = packet.ttl else { return .unknown("the packet's TTL / hop limit was not given") }
            let name = call.spec.options[setting.option].name
            let actual = UInt64(ttl)
            let hit = name.hasSuffix("-eq") ? actual == value : name.hasSuffix("-lt") ? actual < value : actual > value
            return MatchOutcome.check(hit, "TTL \(actual) fails --\(name) \(value)").negated(setting.negated, "TTL \(actual)")
        }

    /// `-m ttl [!] --ttl-eq N | --ttl-lt N | --ttl-gt N` (IPv4).
    public static let ttl = ExtensionSpec(
        "ttl", kind: .match, families: .ipv4,
        options: [
            OptionSpec("ttl-eq", .number(0...255, name: "TTL"), negatable: true),
            OptionSpec("ttl-lt", .number(0...255, name: "TTL"), negatable: true),
            OptionSpec("ttl-gt", .number(0...255, name: "TTL"), negatable: true),
        ],
        finalize: hopValueCheck(["ttl-eq", "ttl-lt", "ttl-gt"]),
        evaluate: hopEvaluate, listing: .ttl, groups: [.exactlyOne("ttl-eq", "ttl-lt", "ttl-gt")])

    /// `-m hl [!] --hl-eq N | --hl-lt N | --hl-gt N` (IPv6).
    public static let hl = ExtensionSpec(
        "hl", kind: .match, families: .ipv6,
        options: [
            OptionSpec("hl-eq", .number(0...255, name: "hop limit"), negatable: true),
            OptionSpec("hl-lt", .number(0...255, name: "hop limit"), negatable: true),
            OptionSpec("hl-gt", .number(0...255, name: "hop limit"), negatable: true),
        ],
        finalize: hopValueCheck(["hl-eq", "hl-lt", "hl-gt"]),
        evaluate: hopEvaluate, listing: .hl, groups: [.exactlyOne("hl-eq", "hl-lt", "hl-gt")])
}

// libipt_ttl.c ttl_print: `TTL match TTL ==|!=|<|> N`; libip6t_hl.c: `HL match HL ==|!=|<|> N`.
extension ListingForm {
    static let ttl = ListingForm(leads: ["TTL match"]) { reader in
        readComparison(&reader, lead: "TTL match", field: "TTL", prefix: "ttl")
    }
    static let hl = ListingForm(leads: ["HL match"]) { reader in
        readComparison(&reader, lead: "HL match", field: "HL", prefix: "hl")
    }

    static func readComparison(_ reader: inout ListingReader, lead: String, field: String, prefix: String) -> Bool {
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord(lead), reader.cursor.takeWord(field), let (op, _) = reader.cursor.word(),
              let (value, _) = reader.cursor.word() else { return false }
        let options = ["==": ("eq", false), "!=": ("eq", true), "<": ("lt", false), ">": ("gt", false)]
        guard let (suffix, negated) = options[op] else {
            reader.fail("\(lead) with the unknown comparison '\(op)'", column: column)
            return true
        }
        reader.option("\(prefix)-\(suffix)", [value], negated: negated, column: column)
        return true
    }
}
