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
            if call.has("fragmore") && call.has("fraglast") { context.error("--fragmore and --fraglast cannot be combined") }
            dropFullRange(&call, "fragid", maximum: UInt64(UInt32.max))
        })

    /// `-m mh [!] --mh-type N[:M]` (IPv6 mobility header), with -p mobility-header.
    public static let mh = ExtensionSpec(
        "mh", kind: .match, families: .ipv6,
        options: [OptionSpec("mh-type", .numberRange(0...255, name: "type"), negatable: true)],
        protocols: [IPProtocol.mh],
        finalize: { call, _ in dropFullRange(&call, "mh-type", maximum: 255) })

    /// `-m hbh [!] --hbh-len N [--hbh-opts TYPE[:LEN],...]` (IPv6 hop-by-hop options).
    public static let hbh = ExtensionSpec(
        "hbh", kind: .match, families: .ipv6,
        options: [
            OptionSpec("hbh-len", .number(0...UInt64(UInt32.max), name: "length"), negatable: true),
            OptionSpec("hbh-opts", .identifier(maximumLength: 256)),
        ])

    /// `-m dst [!] --dst-len N [--dst-opts TYPE[:LEN],...]` (IPv6 destination options).
    public static let dst = ExtensionSpec(
        "dst", kind: .match, families: .ipv6,
        options: [
            OptionSpec("dst-len", .number(0...UInt64(UInt32.max), name: "length"), negatable: true),
            OptionSpec("dst-opts", .identifier(maximumLength: 256)),
        ])

    /// `-m ipv6header [!] --header LIST [--soft]`.
    public static let ipv6header = ExtensionSpec(
        "ipv6header", kind: .match, families: .ipv6,
        options: [
            OptionSpec("header", .identifier(maximumLength: 256), negatable: true, required: true),
            OptionSpec("soft", .flag),
        ])
}
