// libxt_connlimit.c / net/netfilter/xt_connlimit.c: the number of connections per address group.

extension ExtensionSpec {
    /// `-m connlimit --connlimit-upto N | [!] --connlimit-above N [--connlimit-mask LEN]
    /// [--connlimit-saddr|--connlimit-daddr]`.
    public static let connlimit = ExtensionSpec(
        "connlimit", kind: .match,
        options: [
            OptionSpec("connlimit-upto", .number(0...UInt64(UInt32.max), name: "limit")),
            OptionSpec("connlimit-above", .number(0...UInt64(UInt32.max), name: "limit"), negatable: true),
            OptionSpec("connlimit-mask", .number(0...128, name: "prefix length")),
            OptionSpec("connlimit-saddr", .flag),
            OptionSpec("connlimit-daddr", .flag),
        ],
        finalize: { call, context in
            let full: UInt64 = context.family == .ipv4 ? 32 : 128
            if case .number(let length)? = call.setting("connlimit-mask")?.value, length > full {
                context.error("--connlimit-mask \(length) is longer than the address")
            }
            // iptables prints the mask and the direction always.
            if !call.has("connlimit-mask") { call.set("connlimit-mask", .number(full)) }
            if !call.has("connlimit-saddr") && !call.has("connlimit-daddr") {
                call.set("connlimit-saddr", .flag)
            }
        },
        evaluate: { _, _ in .unknown("connlimit counts the host's connections") },
        keepsState: true, usesConntrack: true, listing: .connlimit,
        groups: [.exactlyOne("connlimit-upto", "connlimit-above"), .atMostOne("connlimit-saddr", "connlimit-daddr")])
}

// libxt_connlimit.c connlimit_print4/6: `#conn src|dst/MASK > N` (--connlimit-above) or
// `<= N` (--connlimit-upto).
extension ListingForm {
    static let connlimit = ListingForm(leads: ["#conn"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("#conn"), let (side, _) = reader.cursor.word(), let (op, _) = reader.cursor.word(),
              let (limit, _) = reader.cursor.word() else { return false }
        let parts = side.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "src" || parts[0] == "dst", op == ">" || op == "<=" else {
            reader.fail("#conn without 'src|dst/MASK > N'", column: column)
            return true
        }
        reader.option(op == ">" ? "connlimit-above" : "connlimit-upto", [limit], column: column)
        reader.option("connlimit-mask", [parts[1]], column: column)
        reader.option(parts[0] == "src" ? "connlimit-saddr" : "connlimit-daddr", column: column)
        return true
    }
}
