// libxt_mark / xt_mark.c: the packet's fwmark under a mask.

extension ExtensionSpec {
    /// `-m mark [!] --mark VALUE[/MASK]`.
    public static let mark = ExtensionSpec(
        "mark", kind: .match,
        options: [OptionSpec("mark", .masked(bits: 32), negatable: true, required: true)],
        evaluate: { call, packet in
            guard let setting = call.setting("mark"), case .masked(let value, let mask) = setting.value else { return .matches }
            if packet.open.contains(.mark) { return .unknown("--mark: the packet's mark was not given") }
            let actual = UInt64(packet.mark)
            return MatchOutcome.check(actual & mask == value, "mark 0x\(String(actual, radix: 16)) & 0x\(String(mask, radix: 16)) is not 0x\(String(value, radix: 16))")
                .negated(setting.negated, "mark 0x\(String(actual, radix: 16)) matches")
        },
        decide: { call, packet in
            guard !packet.open.contains(.mark), let setting = call.settings.first,
                  case .masked(let value, let mask) = setting.value else { return nil }
            return (UInt64(packet.mark) & mask == value) != setting.negated
        },
        space: { call, family in maskedSpace(call, "mark", .mark, family) }, listing: .mark)

    /// `--mark VALUE/MASK` of mark and connmark as a ternary set of the field.
    static func maskedSpace(_ call: ExtensionCall, _ option: String, _ field: PacketField, _ family: Family) -> PacketSpace? {
        call.spec.spaceOfAll(call, family) { setting, name in
            guard name == option, case .masked(let value, let mask) = setting.value else { return nil }
            return .where(field, .ternary(TernarySet(value: value, mask: mask)), family: family)
        }
    }
}

// libxt_mark.c mark_mt_print: `mark match [!] 0xV[/0xM]` (revision 0: `MARK match`).
extension ListingForm {
    static let mark = ListingForm(leads: ["mark match", "MARK match"]) { reader in
        readMarkMatch(&reader, leads: ["mark match", "MARK match"], option: "mark")
    }

    /// `LEAD [!]VALUE[/MASK]` of mark and connmark.
    static func readMarkMatch(_ reader: inout ListingReader, leads: [String], option: String) -> Bool {
        let column = reader.cursor.columnAfterBlanks
        guard leads.contains(where: { reader.cursor.takeWord($0) }) else { return false }
        var negated = reader.cursor.takeNegation()
        guard var (value, _) = reader.cursor.word() else {
            reader.fail("\(leads[0]) without its value", column: column)
            return true
        }
        if value.hasPrefix("!") {
            negated = true
            value.removeFirst()
        }
        reader.option(option, [value], negated: negated, column: column)
        return true
    }
}
