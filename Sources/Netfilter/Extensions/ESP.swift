// libxt_esp.c, libxt_ah.c, libip6t_ah.c / net/netfilter/xt_esp.c, ipt_ah.c, ip6t_ah.c: IPsec SPIs.

extension ExtensionSpec {
    /// `-m esp [!] --espspi N[:M]`, with -p esp.
    public static let esp = ExtensionSpec(
        "esp", kind: .match,
        options: [OptionSpec("espspi", .numberRange(0...UInt64(UInt32.max), name: "SPI"), negatable: true)],
        protocols: [IPProtocol.esp],
        finalize: { call, _ in dropFullRange(&call, "espspi", maximum: UInt64(UInt32.max)) },
        listing: .esp)

    /// `-m ah [!] --ahspi N[:M]` (IPv4), with -p ah.
    public static let ah4 = ExtensionSpec(
        "ah", kind: .match, families: .ipv4,
        options: [OptionSpec("ahspi", .numberRange(0...UInt64(UInt32.max), name: "SPI"), negatable: true)],
        protocols: [IPProtocol.ah],
        finalize: { call, _ in dropFullRange(&call, "ahspi", maximum: UInt64(UInt32.max)) },
        listing: .ah4)

    /// `-m ah [!] --ahspi N[:M] [!] --ahlen N [--ahres]` (IPv6 extension header).
    public static let ah6 = ExtensionSpec(
        "ah", kind: .match, families: .ipv6,
        options: [
            OptionSpec("ahspi", .numberRange(0...UInt64(UInt32.max), name: "SPI"), negatable: true),
            OptionSpec("ahlen", .number(0...UInt64(UInt32.max), name: "length"), negatable: true),
            OptionSpec("ahres", .flag),
        ],
        finalize: { call, _ in dropFullRange(&call, "ahspi", maximum: UInt64(UInt32.max)) },
        listing: .ah6)
}

// libxt_esp.c esp_print: `esp [spi:[!]N|spis:[!]N:M]`; libipt_ah.c / libip6t_ah.c ah_print:
// `ah [spi:...|spis:...]`, for IPv6 also `length:[!]N` and `reserved`.
extension ListingForm {
    static let esp = ListingForm.keywords(lead: "esp", [
        ListingKeyword("spi:", "espspi"), ListingKeyword("spis:", "espspi"),
    ])
    static let ah4 = ListingForm.keywords(lead: "ah", [
        ListingKeyword("spi:", "ahspi"), ListingKeyword("spis:", "ahspi"),
    ])
    static let ah6 = ListingForm.keywords(lead: "ah", [
        ListingKeyword("spi:", "ahspi"), ListingKeyword("spis:", "ahspi"), ListingKeyword("length:", "ahlen"),
        ListingKeyword("reserved", "ahres", values: 0),
    ])
}
