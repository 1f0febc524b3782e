// libxt_hashlimit.c (revision 3) / net/netfilter/xt_hashlimit.c: per-address token buckets.

extension ExtensionSpec {
    /// XT_HASHLIMIT_SCALE_v2: rates are stored as 1,000,000 × seconds per packet.
    static let hashlimitScale: UInt64 = 1_000_000

    static let packetRate = rateValue(scale: hashlimitScale, maximumPeriod: .max)

    /// A byte size with an optional `kb`/`mb` unit (`400kb`), as hashlimit's byte mode takes it.
    static func parseByteSize(_ text: Substring) -> UInt64? {
        let lower = text.lowercased()
        for (suffix, scale) in [("mb", UInt64(1) << 20), ("kb", UInt64(1) << 10), ("b", UInt64(1))] where lower.hasSuffix(suffix) {
            guard let count = UInt64(lower.dropLast(suffix.count)) else { return nil }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: scale)
            return overflow ? nil : bytes
        }
        return nil
    }

    /// `N[kb|mb]` in the largest unit that divides it, as libxt_hashlimit's print_bytes does.
    static func byteSizeText(_ bytes: UInt64) -> String {
        for (suffix, scale) in [("mb", UInt64(1) << 20), ("kb", UInt64(1) << 10)] where bytes >= scale && bytes % scale == 0 {
            return "\(bytes / scale)\(suffix)"
        }
        return "\(bytes)b"
    }

    /// A packet rate (`10/sec`) or, in byte mode, a byte rate (`4kb/s`), stored as
    /// `.tuple([.word("bytes"), .number(bytes per second)])`.
    static let hashlimitRate = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        let text = arguments[0]
        if text.lowercased().hasSuffix("b/s") {
            guard let bytes = parseByteSize(text.dropLast(2)), bytes > 0 else { throw ValueError("invalid byte rate \"\(text)\"") }
            return .tuple([.word("bytes"), .number(bytes)])
        }
        return try packetRate.parse(arguments, context)
    }, print: { value, writer in
        if case .tuple(let parts) = value, parts.count == 2, case .number(let bytes) = parts[1] {
            writer.word(byteSizeText(bytes) + "/s")
        } else {
            packetRate.print(value, &writer)
        }
    })

    /// A burst in packets, or in bytes (`400kb`) for byte rates.
    static let hashlimitBurst = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        if let packets = UInt64(arguments[0]) {
            guard packets >= 1, packets <= UInt64(UInt32.max) else { throw ValueError("burst \"\(arguments[0])\" is out of range") }
            return .number(packets)
        }
        guard let bytes = parseByteSize(Substring(arguments[0])) else { throw ValueError("invalid burst \"\(arguments[0])\"") }
        return .tuple([.word("bytes"), .number(bytes)])
    }, print: { value, writer in
        switch value {
        case .number(let packets): writer.word(String(packets))
        case .tuple(let parts) where parts.count == 2:
            if case .number(let bytes) = parts[1] { writer.word(byteSizeText(bytes)) }
        default: break
        }
    })

    /// `-m hashlimit --hashlimit-upto|--hashlimit-above RATE [--hashlimit-burst N]
    /// [--hashlimit-mode LIST] --hashlimit-name NAME [--hashlimit-htable-* N]
    /// [--hashlimit-srcmask N] [--hashlimit-dstmask N]`.
    public static let hashlimit = ExtensionSpec(
        "hashlimit", kind: .match,
        options: [
            OptionSpec("hashlimit-upto", aliases: ["hashlimit"], hashlimitRate),
            OptionSpec("hashlimit-above", hashlimitRate),
            OptionSpec("hashlimit-burst", hashlimitBurst),
            OptionSpec("hashlimit-mode", lowercaseList(["srcip", "srcport", "dstip", "dstport"])),
            OptionSpec("hashlimit-name", .identifier(maximumLength: 254), required: true),
            OptionSpec("hashlimit-htable-size", .number(0...UInt64(UInt32.max), name: "size")),
            OptionSpec("hashlimit-htable-max", .number(0...UInt64(UInt32.max), name: "max")),
            OptionSpec("hashlimit-htable-gcinterval", .number(0...UInt64(UInt32.max), name: "interval")),
            OptionSpec("hashlimit-htable-expire", .number(0...UInt64(UInt32.max), name: "expire")),
            OptionSpec("hashlimit-srcmask", .number(0...128, name: "mask")),
            OptionSpec("hashlimit-dstmask", .number(0...128, name: "mask")),
            OptionSpec("hashlimit-rate-match", .flag),
            OptionSpec("hashlimit-rate-interval", .number(1...UInt64(UInt32.max), name: "interval")),
        ],
        finalize: { call, context in
            let rate = call.setting("hashlimit-upto") ?? call.setting("hashlimit-above")
            let byteMode: Bool
            if case .tuple? = rate?.value { byteMode = true } else { byteMode = false }
            if byteMode {
                if case .number? = call.setting("hashlimit-burst")?.value { context.error("a byte rate needs a burst in bytes (for example 400kb)") }
            } else {
                if case .tuple? = call.setting("hashlimit-burst")?.value { context.error("a burst in bytes needs a byte rate (for example 4kb/s)") }
                // iptables prints the packet burst always (5 when not given).
                if !call.has("hashlimit-burst") { call.set("hashlimit-burst", .number(5)) }
            }
        },
        evaluate: { _, _ in .unknown("hashlimit depends on the rate of earlier packets") },
        keepsState: true, traits: .limitsRate, listing: .hashlimit,
        groups: [.exactlyOne("hashlimit-upto", "hashlimit-above")])
}

// libxt_hashlimit.c hashlimit_mt_print: `limit: up to|above RATE [burst N] [mode M-M]
// [htable-size N] [htable-max N] [htable-gcinterval N] [htable-expire N] [srcmask N]
// [dstmask N] [rate-match] [rate-interval N]` (revision 0: `limit: avg RATE burst N mode
// M`). The rate is printed per rate-interval (40/sec with interval 10 prints 4/sec), the
// mode joined with `-`. The name is never printed: it cannot be read back.
extension ListingForm {
    static let hashlimit = ListingForm(leads: ["limit: up to", "limit: above", "limit: avg"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("limit:") else { return false }
        let option: String
        if reader.cursor.takeWord("up to") {
            option = "hashlimit-upto"
        } else if reader.cursor.takeWord("above") {
            option = "hashlimit-above"
        } else if reader.cursor.takeWord("avg") {
            option = "hashlimit-upto"
        } else {
            return false
        }
        guard var (rate, _) = reader.cursor.word() else {
            reader.fail("limit: without its rate", column: column)
            return true
        }
        var rest: [(String, [String], Int)] = []
        let keywords: [(String, String, Int)] = [
            ("burst", "hashlimit-burst", 1), ("mode", "hashlimit-mode", 1), ("htable-size", "hashlimit-htable-size", 1),
            ("htable-max", "hashlimit-htable-max", 1), ("htable-gcinterval", "hashlimit-htable-gcinterval", 1),
            ("htable-expire", "hashlimit-htable-expire", 1), ("srcmask", "hashlimit-srcmask", 1),
            ("dstmask", "hashlimit-dstmask", 1), ("rate-match", "hashlimit-rate-match", 0),
            ("rate-interval", "hashlimit-rate-interval", 1),
        ]
        var interval: UInt64?
        while let word = reader.cursor.peekWord(), let keyword = keywords.first(where: { $0.0 == word }) {
            let itemColumn = reader.cursor.columnAfterBlanks
            _ = reader.cursor.word()
            var values: [String] = []
            if keyword.2 == 1 {
                guard let (value, _) = reader.cursor.word() else {
                    reader.fail("'\(word)' without its value", column: itemColumn)
                    return true
                }
                values = [keyword.0 == "mode" ? value.replacing("-", with: ",") : value]
                if keyword.0 == "rate-interval" { interval = UInt64(value) }
            }
            rest.append((keyword.1, values, itemColumn))
        }
        if let interval, interval > 1 {
            let parts = rate.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2, let count = UInt64(parts[0]) { rate = "\(count * interval)/\(parts[1])" }
        }
        reader.option(option, [rate], column: column)
        for (name, values, itemColumn) in rest { reader.option(name, values, column: itemColumn) }
        reader.lost("hashlimit: --hashlimit-name is not shown in a listing: written as 'unknown', set the real name before restoring",
                    column: column)
        reader.option("hashlimit-name", ["unknown"], column: column)
        return true
    }
}
