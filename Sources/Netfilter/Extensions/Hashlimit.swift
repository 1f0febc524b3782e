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
            if call.has("hashlimit-upto") == call.has("hashlimit-above") {
                context.error("needs exactly one of --hashlimit-upto and --hashlimit-above")
            }
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
        evaluate: { _, _ in .unknown("hashlimit depends on the rate of earlier packets") })
}
