// libip6t_eui64.c / net/ipv6/netfilter/ip6t_eui64.c: the source address is the EUI-64 of the MAC.

extension ExtensionSpec {
    /// `-m eui64` (IPv6), where a MAC header exists: PREROUTING, INPUT, FORWARD.
    public static let eui64 = ExtensionSpec(
        "eui64", kind: .match, families: .ipv6, hooks: [.prerouting, .input, .forward], listing: .eui64)
}

// libip6t_eui64.c eui64_print: `eui64`.
extension ListingForm {
    static let eui64 = ListingForm.keywords(lead: "eui64", [])
}
