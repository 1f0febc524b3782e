// libxt_SECMARK.c, libxt_CONNSECMARK.c / net/netfilter/xt_SECMARK.c, xt_CONNSECMARK.c: security marks.

extension ExtensionSpec {
    /// `-j SECMARK --selctx CONTEXT`, mangle and security tables.
    public static let secmark = ExtensionSpec(
        "SECMARK", kind: .target,
        options: [OptionSpec("selctx", .identifier(maximumLength: 255), required: true)],
        tables: ["mangle", "security"], listing: .secmark)

    /// `-j CONNSECMARK --save | --restore`, mangle and security tables.
    public static let connsecmark = ExtensionSpec(
        "CONNSECMARK", kind: .target,
        options: [OptionSpec("save", .flag), OptionSpec("restore", .flag)],
        tables: ["mangle", "security"],
        listing: .connsecmark, groups: [.exactlyOne("save", "restore")])
}

// libxt_SECMARK.c SECMARK_print: `SECMARK selctx CONTEXT`; libxt_CONNSECMARK.c:
// `CONNSECMARK save|restore`.
extension ListingForm {
    static let secmark = ListingForm.keywords(lead: "SECMARK", [ListingKeyword("selctx", "selctx")])
    static let connsecmark = ListingForm.keywords(lead: "CONNSECMARK", [
        ListingKeyword("save", "save", values: 0), ListingKeyword("restore", "restore", values: 0),
    ])
}
