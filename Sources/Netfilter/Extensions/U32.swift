// libxt_u32.c / net/netfilter/xt_u32.c: arbitrary tests on packet words.

extension ExtensionSpec {
    /// `-m u32 [!] --u32 TESTS`; the tests are kept as written (evaluation treats them as unknown).
    public static let u32 = ExtensionSpec(
        "u32", kind: .match,
        options: [OptionSpec("u32", .text(maximumLength: 4096, allowEmpty: false, cut: false), negatable: true,
                             required: true)],
        evaluate: { _, _ in .unknown("u32 reads packet bytes a packet description does not carry") },
        listing: .u32)
}

// libxt_u32.c u32_print: `u32 [!] "TESTS"`.
extension ListingForm {
    static let u32 = ListingForm(leads: ["u32"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("u32") else { return false }
        let negated = reader.cursor.takeNegation()
        guard let tests = reader.cursor.savedString() else {
            reader.fail("u32 without its tests", column: column)
            return true
        }
        reader.option("u32", [tests], negated: negated, column: column)
        return true
    }
}
