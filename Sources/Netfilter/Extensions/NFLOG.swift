// libxt_NFLOG.c / net/netfilter/xt_NFLOG.c: send the packet to a netlink log group.

extension ExtensionSpec {
    /// `-j NFLOG [--nflog-group N] [--nflog-prefix P] [--nflog-range N] [--nflog-size N]
    /// [--nflog-threshold N]`; group 0 is the default and not printed.
    public static let nflog = ExtensionSpec(
        "NFLOG", kind: .target,
        options: [
            OptionSpec("nflog-prefix", .text(maximumLength: 63)),
            OptionSpec("nflog-group", .number(0...65535, name: "group")),
            OptionSpec("nflog-range", .number(0...UInt64(UInt32.max), name: "range")),
            OptionSpec("nflog-size", .number(0...UInt64(UInt32.max), name: "size")),
            OptionSpec("nflog-threshold", .number(1...65535, name: "threshold")),
        ],
        finalize: { call, _ in
            if call.setting("nflog-group")?.value == .number(0) { call.remove("nflog-group") }
        },
        apply: { _, _ in .continue }, traits: [.observes, .logsPackets], listing: .nflog)

    /// `-j ULOG` (IPv4, removed from current kernels; read so that old dumps load).
    public static let ulog = ExtensionSpec(
        "ULOG", kind: .target, families: .ipv4,
        options: [
            OptionSpec("ulog-nlgroup", .number(1...32, name: "group")),
            OptionSpec("ulog-prefix", .text(maximumLength: 31)),
            OptionSpec("ulog-cprange", .number(0...UInt64(UInt32.max), name: "range")),
            OptionSpec("ulog-qthreshold", .number(1...50, name: "threshold")),
        ],
        finalize: { call, _ in
            if call.setting("ulog-nlgroup")?.value == .number(1) { call.remove("ulog-nlgroup") }
            if call.setting("ulog-qthreshold")?.value == .number(1) { call.remove("ulog-qthreshold") }
        },
        apply: { _, _ in .continue }, traits: [.observes, .logsPackets], listing: .ulog)
}

// libxt_NFLOG.c nflog_print: `nflog-prefix P` (quoted as iptables-save quotes strings),
// `nflog-group N`, `nflog-size N` or `nflog-range N`, `nflog-threshold N`.
extension ListingForm {
    static let nflog = ListingForm(leads: ["nflog-"]) { reader in
        var count = 0
        while true {
            let column = reader.cursor.columnAfterBlanks
            if reader.cursor.takeWord("nflog-prefix") {
                guard let prefix = reader.cursor.savedString() else {
                    reader.fail("nflog-prefix without its text", column: column)
                    return true
                }
                reader.option("nflog-prefix", [prefix], column: column)
            } else if !readKeyword([ListingKeyword("nflog-group", "nflog-group"), ListingKeyword("nflog-size", "nflog-size"),
                                    ListingKeyword("nflog-range", "nflog-range"),
                                    ListingKeyword("nflog-threshold", "nflog-threshold")], &reader) {
                break
            }
            count += 1
        }
        return count > 0
    }
}

// libipt_ULOG.c ULOG_print: `ULOG copy_range N nlgroup N [prefix "P"] queue_threshold N`,
// the prefix unescaped (it ends where ` queue_threshold` follows a quote).
extension ListingForm {
    static let ulog = ListingForm(leads: ["ULOG"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("ULOG"), reader.cursor.takeWord("copy_range"), let (range, _) = reader.cursor.word(),
              reader.cursor.takeWord("nlgroup"), let (group, _) = reader.cursor.word() else { return false }
        if range != "0" { reader.option("ulog-cprange", [range], column: column) }  // 0, the default, is not saved
        reader.option("ulog-nlgroup", [group], column: column)
        let prefixColumn = reader.cursor.columnAfterBlanks
        if reader.cursor.takeWord("prefix") {
            guard let prefix = reader.cursor.quoted(endsBefore: { $0.peek("queue_threshold") }) else {
                reader.fail("ULOG prefix without its quotes", column: prefixColumn)
                return true
            }
            reader.option("ulog-prefix", [prefix], column: prefixColumn)
        }
        let thresholdColumn = reader.cursor.columnAfterBlanks
        if reader.cursor.takeWord("queue_threshold"), let (threshold, _) = reader.cursor.word() {
            reader.option("ulog-qthreshold", [threshold], column: thresholdColumn)
        }
        return true
    }
}
