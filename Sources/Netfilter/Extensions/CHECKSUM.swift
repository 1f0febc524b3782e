// libxt_CHECKSUM.c / net/netfilter/xt_CHECKSUM.c: fill in a missing checksum.

extension ExtensionSpec {
    /// `-j CHECKSUM --checksum-fill`, mangle table only.
    public static let checksum = ExtensionSpec(
        "CHECKSUM", kind: .target,
        options: [OptionSpec("checksum-fill", .flag, required: true)],
        tables: ["mangle"],
        apply: { _, _ in .continue }, traits: .observes, listing: .checksum)
}

// libxt_CHECKSUM.c CHECKSUM_print: `CHECKSUM fill`.
extension ListingForm {
    static let checksum = ListingForm.keywords(lead: "CHECKSUM", [ListingKeyword("fill", "checksum-fill", values: 0)])
}
