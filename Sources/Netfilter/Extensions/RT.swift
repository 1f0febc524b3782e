// libip6t_rt.c / net/ipv6/netfilter/ip6t_rt.c: the IPv6 routing header.

extension ExtensionSpec {
    /// `-m rt [!] --rt-type N [!] --rt-segsleft N[:M] [!] --rt-len N [--rt-0-res]
    /// [--rt-0-addrs ADDR,...] [--rt-0-not-strict]` (IPv6).
    public static let rt = ExtensionSpec(
        "rt", kind: .match, families: .ipv6,
        options: [
            OptionSpec("rt-type", .number(0...255, name: "type"), negatable: true),
            OptionSpec("rt-segsleft", .numberRange(0...UInt64(UInt32.max), name: "segments left"), negatable: true),
            OptionSpec("rt-len", .number(0...UInt64(UInt32.max), name: "length"), negatable: true),
            OptionSpec("rt-0-res", .flag),
            OptionSpec("rt-0-addrs", .identifier(maximumLength: 1024, cut: false)),
            OptionSpec("rt-0-not-strict", .flag),
        ],
        finalize: { call, _ in
            if let setting = call.setting("rt-segsleft"), !setting.negated, setting.value == .range(0, UInt64(UInt32.max)) {
                call.remove("rt-segsleft")
            }
        }, listing: .rt)
}

// libip6t_rt.c rt_print: `rt [type:[!]N] [segsleft:[!]N|segslefts:[!]N:M] [length:[!]N]
// [reserved] [0-addrs A,B,...] [0-not-strict]`.
extension ListingForm {
    static let rt = ListingForm.keywords(lead: "rt", [
        ListingKeyword("type:", "rt-type"), ListingKeyword("segsleft:", "rt-segsleft"),
        ListingKeyword("segslefts:", "rt-segsleft"), ListingKeyword("length:", "rt-len"),
        ListingKeyword("reserved", "rt-0-res", values: 0), ListingKeyword("0-addrs", "rt-0-addrs"),
        ListingKeyword("0-not-strict", "rt-0-not-strict", values: 0),
    ])
}
