// libxt_cgroup.c / net/netfilter/xt_cgroup.c: the socket's control group.

extension ExtensionSpec {
    /// `-m cgroup [!] --path PATH | [!] --cgroup CLASSID`.
    public static let cgroup = ExtensionSpec(
        "cgroup", kind: .match,
        options: [
            OptionSpec("path", .text(maximumLength: 4095, allowEmpty: false), negatable: true),
            OptionSpec("cgroup", .number(0...UInt64(UInt32.max), name: "class id"), negatable: true),
        ],
        finalize: { call, context in
            if call.has("path") == call.has("cgroup") { context.error("needs exactly one of --path and --cgroup") }
        },
        evaluate: { _, _ in .unknown("the socket's cgroup was not given") })
}
