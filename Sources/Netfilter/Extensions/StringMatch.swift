// libxt_string.c / net/netfilter/xt_string.c: a byte pattern in the packet.

extension ExtensionSpec {
    /// The pattern: `--string TEXT` or `--hex-string "|0a0b|text"`; iptables always quotes it.
    static let stringPattern = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let text = arguments[0]
        if text.isEmpty { throw ValueError("empty pattern") }
        if text.utf8.count > 128 { throw ValueError("pattern longer than 128 bytes") }
        return .text(text, quoted: true)
    }, print: { value, writer in
        if case .text(let text, _) = value { writer.string(text, forceQuotes: true) }
    })

    /// `-m string --algo bm|kmp [--from N] [--to N] [!] --string P | [!] --hex-string P [--icase]`.
    public static let string = ExtensionSpec(
        "string", kind: .match,
        options: [
            OptionSpec("string", stringPattern, negatable: true),
            OptionSpec("hex-string", stringPattern, negatable: true),
            OptionSpec("algo", .keyword(["bm": "bm", "kmp": "kmp"]), required: true),
            OptionSpec("from", .number(0...65535, name: "offset")),
            OptionSpec("to", .number(0...65535, name: "offset")),
            OptionSpec("icase", .flag),
        ],
        finalize: { call, context in
            if call.setting("from")?.value == .number(0) { call.remove("from") }
            if call.setting("to")?.value == .number(65535) { call.remove("to") }
        },
        evaluate: { _, _ in .unknown("string looks into the payload, which a packet description does not carry") },
        listing: .string, groups: [.exactlyOne("string", "hex-string")])
}

// libxt_string.c string_print: `STRING match [!]"PATTERN" ALGO name bm|kmp [FROM N] [TO N]
// [ICASE]`, the pattern with `"` and `\` escaped, or as `"|hex|"` when it holds bytes that
// are not printable (so a printable pattern of the form |0a0b| reads as --hex-string).
extension ListingForm {
    static let string = ListingForm(leads: ["STRING match"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("STRING match") else { return false }
        let negated = reader.cursor.takeNegation()
        guard let pattern = reader.cursor.savedString() else {
            reader.fail("STRING match without its quoted pattern", column: column)
            return true
        }
        let hex = pattern.count >= 2 && pattern.hasPrefix("|") && pattern.hasSuffix("|")
            && pattern.dropFirst().dropLast().allSatisfy { $0.isHexDigit }
        reader.option(hex ? "hex-string" : "string", [pattern], negated: negated, column: column)
        for (word, option, values) in [("ALGO name", "algo", 1), ("FROM", "from", 1), ("TO", "to", 1), ("ICASE", "icase", 0)] {
            let itemColumn = reader.cursor.columnAfterBlanks
            guard reader.cursor.takeWord(word) else { continue }
            var arguments: [String] = []
            if values == 1, let (value, _) = reader.cursor.word() { arguments = [value] }
            reader.option(option, arguments, column: itemColumn)
        }
        return true
    }
}
