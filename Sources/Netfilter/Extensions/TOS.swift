// libxt_tos.c / net/netfilter/xt_dscp.c (tos_mt): the IPv4 TOS / IPv6 traffic class byte.

extension ExtensionSpec {
    /// TOS symbolic names (value/mask 0x3f), as libxt_tos accepts them.
    static let tosNames: [String: UInt64] = [
        "minimize-delay": 0x10, "maximize-throughput": 0x08, "maximize-reliability": 0x04,
        "minimize-cost": 0x02, "normal-service": 0x00,
    ]

    static func tosValue(defaultMask: UInt64) -> ValueType {
        ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            if let named = tosNames[arguments[0].lowercased()] { return .masked(value: named, mask: 0x3F) }
            let parts = arguments[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let value = try parseNumber(String(parts[0]), in: 0...255, name: "TOS")
            let mask = parts.count > 1 ? try parseNumber(String(parts[1]), in: 0...255, name: "mask") : defaultMask
            return .masked(value: value, mask: mask)
        }, print: { value, writer in
            guard case .masked(let tos, let mask) = value else { return }
            writer.word("0x" + hex2(tos) + "/0x" + hex2(mask))
        })
    }

    static func hex2(_ value: UInt64) -> String { String(hex: value, width: 2) }

    /// `-m tos [!] --tos VALUE[/MASK]|NAME`.
    public static let tos = ExtensionSpec(
        "tos", kind: .match,
        options: [OptionSpec("tos", tosValue(defaultMask: 0xFF), negatable: true, required: true)],
        evaluate: { call, packet in
            guard let setting = call.setting("tos"), case .masked(let value, let mask) = setting.value else { return .matches }
            guard let tos = packet.tos else { return .unknown("--tos: the packet's TOS was not given") }
            return MatchOutcome.check(UInt64(tos) & mask == value, "TOS 0x\(String(tos, radix: 16)) does not match").negated(setting.negated, "TOS matches")
        }, listing: .tos)

    /// `-j TOS --set-tos V[/M] | --and-tos V | --or-tos V | --xor-tos V`, mangle table;
    /// printed as `--set-tos 0xV/0xM`.
    public static let tosTarget = ExtensionSpec(
        "TOS", kind: .target,
        options: [
            OptionSpec("set-tos", tosValue(defaultMask: 0xFF)),
            OptionSpec("and-tos", .number(0...255, name: "TOS")),
            OptionSpec("or-tos", .number(0...255, name: "TOS")),
            OptionSpec("xor-tos", .number(0...255, name: "TOS")),
        ],
        tables: ["mangle"],
        finalize: { call, context in
            guard call.settings.count == 1, let setting = call.settings.first else { return }
            let pair: (UInt64, UInt64)
            switch (call.spec.options[setting.option].name, setting.value) {
            case ("set-tos", .masked(let value, let mask)): pair = (value, mask)
            case ("and-tos", .number(let value)): pair = (0, ~value & 0xFF)
            case ("or-tos", .number(let value)): pair = (value, value)
            case ("xor-tos", .number(let value)): pair = (value, 0)
            default: return
            }
            call.settings = []
            call.set("set-tos", .masked(value: pair.0, mask: pair.1))
        }, listing: .tosTarget, groups: [.exactlyOne("set-tos", "and-tos", "or-tos", "xor-tos")])
}

// libxt_tos.c tos_mt_print: `tos match[!]0xV/0xM` (glued), a name without -n;
// libxt_TOS.c tos_tg_print_v1: `TOS set 0xV/0xM`, `TOS and 0xV`, `TOS or 0xV`, `TOS xor 0xV`.
extension ListingForm {
    static let tos = ListingForm(leads: ["tos match"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takePrefix("tos match") else { return false }
        let negated = reader.cursor.take("!") || reader.cursor.takeNegation()
        reader.cursor.skipBlanks()
        guard let (value, _) = reader.cursor.gluedWord() else {
            reader.fail("tos match without its value", column: column)
            return true
        }
        reader.option("tos", [value], negated: negated, column: column)
        return true
    }

    static let tosTarget = ListingForm(leads: ["TOS"]) { reader in
        guard reader.cursor.takeWord("TOS") else { return false }
        let column = reader.cursor.columnAfterBlanks
        // Without -n a symbolic value comes glued to `set` (`TOS setMinimize-Delay`).
        guard let (operation, option) = [("set", "set-tos"), ("and", "and-tos"), ("xor", "xor-tos"), ("or", "or-tos")]
            .first(where: { reader.cursor.takePrefix($0.0) }) else { return false }
        reader.cursor.skipBlanks()
        guard let (value, _) = reader.cursor.gluedWord() else {
            reader.fail("TOS \(operation) without its value", column: column)
            return true
        }
        reader.option(option, [value], column: column)
        return true
    }
}
