// libip6t_frag.c / net/ipv6/netfilter/ip6t_frag.c: the IPv6 fragment header.

extension ExtensionSpec {
    /// Drops a `0:MAX` range given without `!`: it matches everything and iptables omits it.
    static func dropFullRange(_ call: inout ExtensionCall, _ name: String, maximum: UInt64) {
        if let setting = call.setting(name), !setting.negated, setting.value == .range(0, maximum) { call.remove(name) }
    }

    /// `-m frag [!] --fragid N[:M] [!] --fraglen N [--fragres] [--fragfirst] [--fragmore|--fraglast]`.
    public static let frag = ExtensionSpec(
        "frag", kind: .match, families: .ipv6,
        options: [
            OptionSpec("fragid", .numberRange(0...UInt64(UInt32.max), name: "id"), negatable: true),
            OptionSpec("fraglen", .number(0...UInt64(UInt32.max), name: "length"), negatable: true),
            OptionSpec("fragres", .flag),
            OptionSpec("fragfirst", .flag),
            OptionSpec("fragmore", .flag),
            OptionSpec("fraglast", .flag),
        ],
        finalize: { call, context in
            dropFullRange(&call, "fragid", maximum: UInt64(UInt32.max))
        }, listing: .frag, groups: [.atMostOne("fragmore", "fraglast")])

    /// `-m mh [!] --mh-type N[:M]` (IPv6 mobility header), with -p mobility-header.
    public static let mh = ExtensionSpec(
        "mh", kind: .match, families: .ipv6,
        options: [OptionSpec("mh-type", .numberRange(0...255, name: "type"), negatable: true)],
        protocols: [IPProtocol.mh],
        finalize: { call, _ in dropFullRange(&call, "mh-type", maximum: 255) }, listing: .mh)

    /// `-m hbh [!] --hbh-len N [--hbh-opts TYPE[:LEN],...]` (IPv6 hop-by-hop options).
    public static let hbh = ExtensionSpec(
        "hbh", kind: .match, families: .ipv6,
        options: [
            OptionSpec("hbh-len", .number(0...UInt64(UInt32.max), name: "length"), negatable: true),
            OptionSpec("hbh-opts", .identifier(maximumLength: 256, cut: false)),
        ], listing: .hbh)

    /// `-m dst [!] --dst-len N [--dst-opts TYPE[:LEN],...]` (IPv6 destination options).
    public static let dst = ExtensionSpec(
        "dst", kind: .match, families: .ipv6,
        options: [
            OptionSpec("dst-len", .number(0...UInt64(UInt32.max), name: "length"), negatable: true),
            OptionSpec("dst-opts", .identifier(maximumLength: 256, cut: false)),
        ], listing: .dst)

    /// `-m ipv6header [!] --header LIST [--soft]`.
    public static let ipv6header = ExtensionSpec(
        "ipv6header", kind: .match, families: .ipv6,
        options: [
            OptionSpec("header", .identifier(maximumLength: 256, cut: false), negatable: true, required: true),
            OptionSpec("soft", .flag),
        ], listing: .ipv6header)
}

// libip6t_frag.c frag_print: `frag [id:[!]N|ids:[!]N:M] [length:[!]N] [reserved] [first]
// [more] [last]`; libip6t_mh.c mh_print: `mh [[!]TYPE[:TYPE]]`; libip6t_hbh.c /
// libip6t_dst.c: `hbh|dst [length:[!]N] [opts T[:L],...]`; libip6t_ipv6header.c
// ipv6header_print: `ipv6header [flags:[!]0xMASK] [soft]`, the mask by name without -n.
extension ListingForm {
    static let frag = ListingForm.keywords(lead: "frag", [
        ListingKeyword("id:", "fragid"), ListingKeyword("ids:", "fragid"), ListingKeyword("length:", "fraglen"),
        ListingKeyword("reserved", "fragres", values: 0), ListingKeyword("first", "fragfirst", values: 0),
        ListingKeyword("more", "fragmore", values: 0), ListingKeyword("last", "fraglast", values: 0),
    ])

    /// Mobility header type names (mh_names in libip6t_mh.c), printed without -n.
    static let mobilityHeaderTypes: [String: UInt8] = [
        "binding-refresh-request": 0, "brr": 0, "home-test-init": 1, "hoti": 1, "careof-test-init": 2, "coti": 2,
        "home-test": 3, "hot": 3, "careof-test": 4, "cot": 4, "binding-update": 5, "bu": 5,
        "binding-acknowledgement": 6, "ba": 6, "binding-error": 7, "be": 7,
    ]

    static let mh = ListingForm(leads: ["mh"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("mh") else { return false }
        var probe = reader.cursor
        let negated = probe.takeNegation()
        guard let (types, _) = probe.word() else { return true }
        let numbers = types.split(separator: ":").map { UInt8($0) ?? mobilityHeaderTypes[String($0)] }
        if !numbers.isEmpty, numbers.count <= 2, numbers.allSatisfy({ $0 != nil }) {
            reader.cursor = probe
            reader.option("mh-type", [numbers.compactMap { $0 }.map(String.init).joined(separator: ":")], negated: negated, column: column)
        }
        return true
    }

    static let hbh = ListingForm.keywords(lead: "hbh", [
        ListingKeyword("length:", "hbh-len"), ListingKeyword("opts", "hbh-opts"),
    ])
    static let dst = ListingForm.keywords(lead: "dst", [
        ListingKeyword("length:", "dst-len"), ListingKeyword("opts", "dst-opts"),
    ])

    /// The header names ip6tables-save prints for ipv6header's mask bits (chain_flags, named
    /// through getprotobynumber and chain_protos).
    static let ipv6HeaderBits: [(UInt8, String)] = [
        (0x80, "hop-by-hop"), (0x40, "ipv6-opts"), (0x20, "ipv6-route"), (0x10, "ipv6-frag"),
        (0x08, "ah"), (0x04, "esp"), (0x02, "ipv6-nonxt"), (0x01, "protocol"),
    ]

    static let ipv6header = ListingForm.keywords(lead: "ipv6header", [
        ListingKeyword("flags:", "header") { text, column, reader in
            guard text.hasPrefix("0x"), let bits = UInt8(text.dropFirst(2), radix: 16) else { return text }
            let names = ipv6HeaderBits.filter { bits & $0.0 != 0 }.map(\.1)
            guard !names.isEmpty else {
                reader.fail("ipv6header flags:\(text) names no header", column: column)
                return nil
            }
            return names.joined(separator: ",")
        },
        ListingKeyword("soft", "soft", values: 0),
    ])
}
