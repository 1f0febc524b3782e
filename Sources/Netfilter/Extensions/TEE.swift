// libxt_TEE.c / net/netfilter/xt_TEE.c: send a copy of the packet to a gateway.

extension ExtensionSpec {
    /// `-j TEE --gateway ADDR [--oif IFACE]`.
    public static let tee = ExtensionSpec(
        "TEE", kind: .target,
        options: [
            OptionSpec("gateway", .address, required: true),
            OptionSpec("oif", .interface),
        ], traits: .observes, listing: .tee)
}

// libxt_TEE.c tee_tg_print: `TEE gw:ADDR [oif=NAME]`.
extension ListingForm {
    static let tee = ListingForm.keywords(lead: "TEE", [
        ListingKeyword("gw:", "gateway", convert: address), ListingKeyword("oif=", "oif"),
    ])
}
