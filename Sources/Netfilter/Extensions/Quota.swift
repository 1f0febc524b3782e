// libxt_quota.c / net/netfilter/xt_quota.c: a byte budget.

extension ExtensionSpec {
    /// `-m quota [!] --quota BYTES`.
    public static let quota = ExtensionSpec(
        "quota", kind: .match,
        options: [OptionSpec("quota", .number(0...UInt64.max, name: "quota"), negatable: true, required: true)],
        evaluate: { _, _ in .unknown("quota depends on the bytes counted so far") })
}
