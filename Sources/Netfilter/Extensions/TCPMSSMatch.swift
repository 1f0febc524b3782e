// libxt_tcpmss.c / net/netfilter/xt_tcpmss.c: the MSS option of TCP SYN segments.

extension ExtensionSpec {
    /// `-m tcpmss [!] --mss N[:M]`, with -p tcp.
    public static let tcpmss = ExtensionSpec(
        "tcpmss", kind: .match,
        options: [OptionSpec("mss", .numberRange(0...65535, name: "MSS"), negatable: true, required: true)],
        protocols: [IPProtocol.tcp], listing: .tcpmss)
}

// libxt_tcpmss.c tcpmss_print: `tcpmss match [!]N[:M]`.
extension ListingForm {
    static let tcpmss = ListingForm(leads: ["tcpmss match"]) { reader in
        readMarkMatch(&reader, leads: ["tcpmss match"], option: "mss")
    }
}
