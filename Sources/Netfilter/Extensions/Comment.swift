// libxt_comment / xt_comment.c: a note attached to a rule; always matches.

extension ExtensionSpec {
    /// `-m comment --comment TEXT` (at most 255 bytes).
    public static let comment = ExtensionSpec(
        "comment", kind: .match,
        options: [OptionSpec("comment", .text(maximumLength: 255), required: true)],
        evaluate: { _, _ in .matches },
        decide: { _, _ in true },
        space: { _, family in .all(family) }, traits: .annotates, listing: .comment)
}

extension ExtensionCall {
    /// The text of a `-m comment --comment TEXT` call; nil for any other extension.
    public var commentText: String? {
        guard spec === ExtensionSpec.comment, case .text(let text, _)? = setting("comment")?.value else { return nil }
        return text
    }
}

// libxt_comment.c comment_print: `/* TEXT */`, the text as given (a comment that itself
// holds ` */` followed by a blank cannot be told from its end).
extension ListingForm {
    static let comment = ListingForm(leads: ["/*"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takePrefix("/*") else { return false }
        _ = reader.cursor.take(" ")
        guard let text = reader.cursor.take(untilWordEnding: "*/") else {
            reader.fail("comment without its closing */", column: column)
            return true
        }
        reader.option("comment", [text.hasSuffix(" ") ? String(text.dropLast()) : text], column: column)
        return true
    }
}
