// libxt_u32.c / net/netfilter/xt_u32.c: arbitrary tests on packet words.

extension ExtensionSpec {
    /// `-m u32 [!] --u32 TESTS`; the tests are kept as written (evaluation treats them as unknown).
    public static let u32 = ExtensionSpec(
        "u32", kind: .match,
        options: [OptionSpec("u32", .text(maximumLength: 4096, allowEmpty: false), negatable: true, required: true)],
        evaluate: { _, _ in .unknown("u32 reads packet bytes a packet description does not carry") })
}
