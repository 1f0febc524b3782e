// libxt_ipcomp.c / net/netfilter/xt_ipcomp.c: the IPComp CPI.

extension ExtensionSpec {
    /// `-m ipcomp [!] --ipcompspi N[:M] [--compres]`, with -p ipcomp.
    public static let ipcomp = ExtensionSpec(
        "ipcomp", kind: .match,
        options: [
            OptionSpec("ipcompspi", .numberRange(0...UInt64(UInt32.max), name: "CPI"), negatable: true),
            OptionSpec("compres", .flag),
        ],
        protocols: [108],
        finalize: { call, _ in dropFullRange(&call, "ipcompspi", maximum: UInt64(UInt32.max)) },
        listing: .ipcomp)
}

// libxt_ipcomp.c comp_print: `comp [spi:[!]N|spis:[!]N:M] [reserved]`.
extension ListingForm {
    static let ipcomp = ListingForm.keywords(lead: "comp", [
        ListingKeyword("spi:", "ipcompspi"), ListingKeyword("spis:", "ipcompspi"), ListingKeyword("reserved", "compres", values: 0),
    ])
}
