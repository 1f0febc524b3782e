// libxt_SNAT.c / net/netfilter/xt_nat.c: source NAT to an address and port range.

extension ExtensionSpec {
    /// `-j SNAT --to-source RANGE [--random] [--random-fully] [--persistent]`, nat POSTROUTING and INPUT.
    public static let snat = ExtensionSpec(
        "SNAT", kind: .target,
        options: [
            OptionSpec("to-source", natRange, required: true),
            OptionSpec("random", .flag),
            OptionSpec("random-fully", .flag),
            OptionSpec("persistent", .flag),
        ],
        tables: ["nat"], hooks: [.postrouting, .input],
        finalize: { call, context in checkNATPorts(call, option: "to-source", &context) },
        apply: { call, packet in
            rewrite(call.setting("to-source")?.value, address: \.source, port: \.sourcePort, in: &packet)
            return .verdict(.accept)
        }, usesConntrack: true,
        traits: .endsWalk, nat: .source, natRewrites: { call, _, _ in rangeRewrites(call, destination: false) },
        listing: .snat)
}

// libxt_NAT.c __NAT_print: `to:RANGE [random] [random-fully] [persistent]`.
extension ListingForm {
    static let snat = ListingForm.keywords([
        ListingKeyword("to:", "to-source"), ListingKeyword("random", "random", values: 0),
        ListingKeyword("random-fully", "random-fully", values: 0), ListingKeyword("persistent", "persistent", values: 0),
    ])
}
