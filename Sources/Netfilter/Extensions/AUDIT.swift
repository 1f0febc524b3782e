// libxt_AUDIT.c / net/netfilter/xt_AUDIT.c: write an audit record.

extension ExtensionSpec {
    /// `-j AUDIT --type accept|drop|reject`.
    public static let audit = ExtensionSpec(
        "AUDIT", kind: .target,
        options: [OptionSpec("type", .keyword(["accept": "accept", "drop": "drop", "reject": "reject"], caseInsensitive: true),
                             required: true)])
}
