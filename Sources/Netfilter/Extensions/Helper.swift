// libxt_helper.c / net/netfilter/xt_helper.c: the conntrack helper of the connection.

extension ExtensionSpec {
    /// `-m helper [!] --helper NAME`.
    public static let helper = ExtensionSpec(
        "helper", kind: .match,
        options: [OptionSpec("helper", .text(maximumLength: 29), negatable: true, required: true)],
        evaluate: { _, _ in .unknown("the connection's helper was not given") }, usesConntrack: true,
        listing: .helper)
}

// libxt_helper.c helper_print: `helper match [! ]"NAME"`.
extension ListingForm {
    static let helper = ListingForm(leads: ["helper match"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("helper match") else { return false }
        let negated = reader.cursor.takeNegation()
        guard let name = reader.cursor.quoted() else {
            reader.fail("helper match without its quoted name", column: column)
            return true
        }
        reader.option("helper", [name], negated: negated, column: column)
        return true
    }
}
