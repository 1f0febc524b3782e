// libxt_hashlimit.c (revision 3) / net/netfilter/xt_hashlimit.c: per-address token buckets.

extension ExtensionSpec {
    /// XT_HASHLIMIT_SCALE_v2: rates are stored as 1,000,000 × seconds per packet.
    static let hashlimitScale: UInt64 = 1_000_000

    static let hashlimitRate = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let text = arguments[0]
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let rate = UInt64(parts[0]), rate > 0 else { throw ValueError("invalid rate \"\(text)\"") }
        var seconds: UInt64 = 1
        if parts.count > 1 {
            let unit = parts[1].lowercased()
            if unit.isEmpty { throw ValueError("invalid rate \"\(text)\"") }
            if "second".hasPrefix(unit) { seconds = 1 }
            else if "minute".hasPrefix(unit) { seconds = 60 }
            else if "hour".hasPrefix(unit) { seconds = 3600 }
            else if "day".hasPrefix(unit) { seconds = 86400 }
            else { throw ValueError("invalid rate unit \"\(parts[1])\"") }
        }
        let period = hashlimitScale * seconds / rate
        if period == 0 { throw ValueError("rate \"\(text)\" is too fast") }
        return .number(period)
    }, print: { value, writer in
        guard case .number(let period) = value, period > 0 else { return }
        let rates: [(String, UInt64)] = [("day", hashlimitScale * 86400), ("hour", hashlimitScale * 3600),
                                         ("min", hashlimitScale * 60), ("sec", hashlimitScale)]
        var index = 1
        while index < rates.count {
            let mult = rates[index].1
            if period > mult || mult / period < mult % period { break }
            index += 1
        }
        writer.word("\(rates[index - 1].1 / period)/\(rates[index - 1].0)")
    })

    /// `-m hashlimit --hashlimit-upto|--hashlimit-above RATE [--hashlimit-burst N]
    /// [--hashlimit-mode LIST] --hashlimit-name NAME [--hashlimit-htable-* N]
    /// [--hashlimit-srcmask N] [--hashlimit-dstmask N]`.
    public static let hashlimit = ExtensionSpec(
        "hashlimit", kind: .match,
        options: [
            OptionSpec("hashlimit-upto", aliases: ["hashlimit"], hashlimitRate),
            OptionSpec("hashlimit-above", hashlimitRate),
            OptionSpec("hashlimit-burst", .number(1...UInt64(UInt32.max), name: "burst")),
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
            if call.has("hashlimit-upto") == call.has("hashlimit-above") {
                context.error("needs exactly one of --hashlimit-upto and --hashlimit-above")
            }
            if !call.has("hashlimit-burst") { call.set("hashlimit-burst", .number(5)) }
        })
}
