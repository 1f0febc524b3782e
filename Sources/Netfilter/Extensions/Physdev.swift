// libxt_physdev.c / net/netfilter/xt_physdev.c: bridge ports of bridged packets.

extension ExtensionSpec {
    /// `-m physdev [!] --physdev-in IF [!] --physdev-out IF [!] --physdev-is-in
    /// [!] --physdev-is-out [!] --physdev-is-bridged`.
    public static let physdev = ExtensionSpec(
        "physdev", kind: .match,
        options: [
            OptionSpec("physdev-is-in", .flag, negatable: true),
            OptionSpec("physdev-in", .interface, negatable: true),
            OptionSpec("physdev-is-out", .flag, negatable: true),
            OptionSpec("physdev-out", .interface, negatable: true),
            OptionSpec("physdev-is-bridged", .flag, negatable: true),
        ],
        requiresOption: true,
        hookCheck: { call in
            // physdev_mt_check: the output port is known only for bridged packets; without
            // --physdev-is-bridged it is refused at OUTPUT, FORWARD and POSTROUTING.
            let usesOut = call.has("physdev-out") || call.has("physdev-is-out")
            let bridged = call.setting("physdev-is-bridged").map { !$0.negated } ?? false
            return usesOut && !bridged ? [.prerouting, .input] : nil
        })
}
