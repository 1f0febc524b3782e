// libxt_nfacct.c / net/netfilter/xt_nfacct.c: count into a named accounting object.

extension ExtensionSpec {
    /// `-m nfacct --nfacct-name NAME`.
    public static let nfacct = ExtensionSpec(
        "nfacct", kind: .match,
        options: [OptionSpec("nfacct-name", .identifier(maximumLength: 31), required: true)],
        // xt_nfacct.c nfacct_mt: a counter object without a quota (NFACCT_NO_QUOTA) always matches.
        evaluate: { _, _ in .matches }, listing: .nfacct)
}

// libxt_nfacct.c nfacct_print: `nfacct-name NAME`.
extension ListingForm {
    static let nfacct = ListingForm(leads: ["nfacct-name"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("nfacct-name"), let name = reader.cursor.savedString() else { return false }
        reader.option("nfacct-name", [name], column: column)
        return true
    }
}
