// libxt_policy.c / net/netfilter/xt_policy.c: the IPsec policy a packet was or will be handled by.

extension ExtensionSpec {
    /// `-m policy --dir in|out --pol none|ipsec [--strict] [!] --reqid N [!] --spi N
    /// [!] --proto ah|esp|ipcomp [!] --mode tunnel|transport [!] --tunnel-src A [!] --tunnel-dst A`.
    public static let policy = ExtensionSpec(
        "policy", kind: .match,
        options: [
            OptionSpec("dir", .keyword(["in": "in", "out": "out"]), required: true),
            OptionSpec("pol", .keyword(["none": "none", "ipsec": "ipsec"]), required: true),
            OptionSpec("strict", .flag),
            OptionSpec("reqid", .number(0...UInt64(UInt32.max), name: "reqid"), negatable: true),
            OptionSpec("spi", .hexNumber(0...UInt64(UInt32.max), name: "SPI"), negatable: true),
            OptionSpec("proto", .keyword(["ah": "ah", "esp": "esp", "ipcomp": "ipcomp", "51": "ah", "50": "esp", "108": "ipcomp"]),
                       negatable: true),
            OptionSpec("mode", .keyword(["tunnel": "tunnel", "transport": "transport"]), negatable: true),
            OptionSpec("tunnel-src", .network, negatable: true),
            OptionSpec("tunnel-dst", .network, negatable: true),
            OptionSpec("next", .flag),
        ],
        finalize: { call, context in
            let elementOptions = ["reqid", "spi", "proto", "mode", "tunnel-src", "tunnel-dst"]
            if call.has("strict") && !elementOptions.contains(where: call.has) {
                context.error("--strict needs at least one policy element (--reqid, --spi, --proto, --mode, --tunnel-src, --tunnel-dst)")
            }
            if (call.has("tunnel-src") || call.has("tunnel-dst")) && call.setting("mode")?.value != .word("tunnel") {
                context.error("--tunnel-src and --tunnel-dst need --mode tunnel")
            }
        },
        hookCheck: { call in
            // xt_policy.c policy_mt_check: no input policy after routing out, no output policy before.
            switch call.setting("dir")?.value {
            case .word("in")?: return [.prerouting, .input, .forward]
            case .word("out")?: return [.forward, .output, .postrouting]
            default: return nil
            }
        })
}
