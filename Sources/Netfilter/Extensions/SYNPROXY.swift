// libxt_SYNPROXY.c / net/netfilter/xt_SYNPROXY.c (nf_synproxy): answer SYNs with cookies.

extension ExtensionSpec {
    /// `-j SYNPROXY [--sack-perm] [--timestamp] [--wscale N] [--mss N] [--ecn]`, with -p tcp.
    public static let synproxy = ExtensionSpec(
        "SYNPROXY", kind: .target,
        options: [
            OptionSpec("sack-perm", .flag),
            OptionSpec("timestamp", .flag),
            OptionSpec("wscale", .number(0...14, name: "window scale")),
            OptionSpec("mss", .number(0...65535, name: "MSS")),
            OptionSpec("ecn", .flag),
        ],
        hooks: [.input, .forward],
        finalize: { _, context in
            if context.requiredProtocol != IPProtocol.tcp { context.error("needs -p tcp") }
        }, listing: .synproxy)
}

// libxt_SYNPROXY.c SYNPROXY_print: `SYNPROXY [sack-perm] [timestamp] [wscale N] [mss N] [ecn]`.
extension ListingForm {
    static let synproxy = ListingForm.keywords(lead: "SYNPROXY", [
        ListingKeyword("sack-perm", "sack-perm", values: 0), ListingKeyword("timestamp", "timestamp", values: 0),
        ListingKeyword("wscale", "wscale"), ListingKeyword("mss", "mss"), ListingKeyword("ecn", "ecn", values: 0),
    ])
}
