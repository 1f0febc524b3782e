// libxt_quota.c / net/netfilter/xt_quota.c: a byte budget.

extension ExtensionSpec {
    /// `-m quota [!] --quota BYTES`.
    public static let quota = ExtensionSpec(
        "quota", kind: .match,
        options: [OptionSpec("quota", .number(0...UInt64.max, name: "quota"), negatable: true, required: true)],
        evaluate: { _, _ in .unknown("quota depends on the bytes counted so far") },
        keepsState: true, listing: .quota)
}

// libxt_quota.c quota_print: `quota: N bytes`. A `!` is not printed at all, so whether the
// quota was negated is lost.
extension ListingForm {
    static let quota = ListingForm(leads: ["quota:"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("quota:"), let (bytes, _) = reader.cursor.word(), reader.cursor.takeWord("bytes") else {
            return false
        }
        reader.option("quota", [bytes], column: column)
        reader.lost("quota: a '!' before --quota is not shown in a listing (read as not negated)", column: column)
        return true
    }
}
