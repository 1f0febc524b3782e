// libxt_comment / xt_comment.c: a note attached to a rule; always matches.

extension ExtensionSpec {
    /// `-m comment --comment TEXT` (at most 255 bytes).
    public static let comment = ExtensionSpec(
        "comment", kind: .match,
        options: [OptionSpec("comment", .text(maximumLength: 255), required: true)],
        evaluate: { _, _ in .matches },
        space: { _, family in .all(family) })
}
