// libxt_IDLETIMER.c / net/netfilter/xt_IDLETIMER.c: a timer reset by each packet.

extension ExtensionSpec {
    /// `-j IDLETIMER --timeout SECONDS --label NAME [--alarm]`.
    public static let idletimer = ExtensionSpec(
        "IDLETIMER", kind: .target,
        options: [
            OptionSpec("timeout", .number(1...UInt64(UInt32.max), name: "timeout"), required: true),
            OptionSpec("label", .identifier(maximumLength: 27), required: true),
            OptionSpec("alarm", .flag),
        ], traits: .observes, listing: .idletimer)
}

// libxt_IDLETIMER.c idletimer_tg_print: `timeout:N label:NAME [alarm]`.
extension ListingForm {
    static let idletimer = ListingForm.keywords([
        ListingKeyword("timeout:", "timeout"), ListingKeyword("label:", "label"), ListingKeyword("alarm", "alarm", values: 0),
    ])
}
