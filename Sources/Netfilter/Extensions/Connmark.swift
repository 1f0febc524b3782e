// libxt_connmark.c / net/netfilter/xt_connmark.c (connmark_mt): the connection's mark under a mask.

extension ExtensionSpec {
    /// `-m connmark [!] --mark VALUE[/MASK]`.
    public static let connmark = ExtensionSpec(
        "connmark", kind: .match,
        options: [OptionSpec("mark", .masked(bits: 32), negatable: true, required: true)])
}
