// libxt_NETMAP.c / net/netfilter/xt_NETMAP.c: map a whole network one to one.

extension ExtensionSpec {
    /// `-j NETMAP --to ADDR/MASK`, nat table.
    public static let netmap = ExtensionSpec(
        "NETMAP", kind: .target,
        options: [OptionSpec("to", .network, required: true)],
        tables: ["nat"],
        apply: { _, _ in .verdict(.accept) })
}
