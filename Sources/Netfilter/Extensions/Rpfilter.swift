// libxt_rpfilter.c / net/ipv4/netfilter/ipt_rpfilter.c: reverse path filter.

extension ExtensionSpec {
    /// `-m rpfilter [--loose] [--validmark] [--accept-local] [--invert]`, raw and mangle PREROUTING.
    public static let rpfilter = ExtensionSpec(
        "rpfilter", kind: .match,
        options: [
            OptionSpec("loose", .flag),
            OptionSpec("validmark", .flag),
            OptionSpec("accept-local", .flag),
            OptionSpec("invert", .flag),
        ],
        tables: ["raw", "mangle"], hooks: [.prerouting],
        evaluate: { _, _ in .unknown("rpfilter needs the routing table (a host snapshot)") },
        listing: .rpfilter)
}

// libxt_rpfilter.c rpfilter_print: `rpfilter [loose] [validmark] [accept-local] [invert]`.
extension ListingForm {
    static let rpfilter = ListingForm.keywords(lead: "rpfilter", [
        ListingKeyword("loose", "loose", values: 0), ListingKeyword("validmark", "validmark", values: 0),
        ListingKeyword("accept-local", "accept-local", values: 0), ListingKeyword("invert", "invert", values: 0),
    ])
}
