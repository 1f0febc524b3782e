// libxt_REDIRECT.c / net/netfilter/xt_REDIRECT.c: DNAT to the host itself.

extension ExtensionSpec {
    /// `-j REDIRECT [--to-ports P[-P]] [--random]`, nat PREROUTING and OUTPUT.
    public static let redirect = ExtensionSpec(
        "REDIRECT", kind: .target,
        options: [
            OptionSpec("to-ports", natPorts),
            OptionSpec("random", .flag),
        ],
        tables: ["nat"], hooks: [.prerouting, .output],
        finalize: { call, context in
            if call.has("to-ports") && !natPortProtocols.contains(context.requiredProtocol ?? 0) {
                context.error("--to-ports needs -p tcp, udp, sctp, dccp or udplite")
            }
        },
        apply: { _, _ in .verdict(.accept) })
}
