// libxt_hashlimit.c (revision 3) / net/netfilter/xt_hashlimit.c: per-address token buckets.

extension ExtensionSpec {
    /// XT_HASHLIMIT_SCALE_v2: rates are stored as 1,000,000 × seconds per packet.
    static let hashlimitScale: UInt64 = 1_000_000

    static let hashlimitRate = rateValue(scale: hashlimitScale, maximumPeriod: .max)

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
