// libxt_AUDIT.c / net/netfilter/xt_AUDIT.c: write an audit record.

extension ExtensionSpec {
    /// `-j AUDIT --type accept|drop|reject`.
    public static let audit = ExtensionSpec(
        "AUDIT", kind: .target,
        options: [OptionSpec("type", .keyword(["accept": "accept", "drop": "drop", "reject": "reject"], caseInsensitive: true),
                             required: true)], traits: .observes, listing: .audit)
}

// libxt_AUDIT.c audit_tg_print: `AUDIT accept|drop|reject`.
extension ListingForm {
    static let audit = ListingForm(leads: ["AUDIT"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("AUDIT"), let (type, _) = reader.cursor.word() else { return false }
        reader.option("type", [type], column: column)
        return true
    }
}
