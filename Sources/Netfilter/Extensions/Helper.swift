// libxt_helper.c / net/netfilter/xt_helper.c: the conntrack helper of the connection.

extension ExtensionSpec {
    /// `-m helper [!] --helper NAME`.
    public static let helper = ExtensionSpec(
        "helper", kind: .match,
        options: [OptionSpec("helper", .text(maximumLength: 29), negatable: true, required: true)],
        evaluate: { _, _ in .unknown("the connection's helper was not given") })
}
