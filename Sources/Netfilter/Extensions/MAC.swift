// libxt_mac.c / net/netfilter/xt_mac.c: the Ethernet source address.

extension ExtensionSpec {
    /// `-m mac [!] --mac-source XX:XX:XX:XX:XX:XX`; only where a MAC header exists.
    public static let mac = ExtensionSpec(
        "mac", kind: .match,
        options: [OptionSpec("mac-source", .mac, negatable: true, required: true)],
        hooks: [.prerouting, .input, .forward])
}
