// libxt_connlabel.c / net/netfilter/xt_connlabel.c: conntrack labels.

extension ExtensionSpec {
    /// A label bit 0-127; names need /etc/xtables/connlabel.conf, which verdict does not read.
    static let connlabelBit = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        guard let bit = UInt64(arguments[0]), bit < 128 else {
            throw ValueError("label \"\(arguments[0])\" is not a bit number 0-127 (label names are not resolved offline)")
        }
        return .number(bit)
    }, print: { value, writer in
        if case .number(let bit) = value { writer.string(String(bit), forceQuotes: true) }
    })

    /// `-m connlabel [!] --label BIT [--set]`.
    public static let connlabel = ExtensionSpec(
        "connlabel", kind: .match,
        options: [
            OptionSpec("label", connlabelBit, negatable: true, required: true),
            OptionSpec("set", .flag),
        ], usesConntrack: true, listing: .connlabel)
}

// libxt_connlabel.c connlabel_mt_print: `connlabel [!] N|'NAME' [set]`.
extension ListingForm {
    static let connlabel = ListingForm(leads: ["connlabel"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("connlabel") else { return false }
        let negated = reader.cursor.takeNegation()
        guard var (label, _) = reader.cursor.word() else {
            reader.fail("connlabel without its label", column: column)
            return true
        }
        if label.count >= 2 && label.hasPrefix("'") && label.hasSuffix("'") { label = String(label.dropFirst().dropLast()) }
        reader.option("label", [label], negated: negated, column: column)
        let setColumn = reader.cursor.columnAfterBlanks
        if reader.cursor.takeWord("set") { reader.option("set", column: setColumn) }
        return true
    }
}
