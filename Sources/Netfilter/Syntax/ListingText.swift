/// Reads the text a listing row prints after its columns: each match's `print` output in
/// rule order, then the target's. At each position the match forms whose lead text starts
/// there are tried (longest lead first); the rule's target form reads the text no match
/// form takes. Each match read becomes `-m NAME` and its options; the target column
/// becomes `-j NAME` (or `-g NAME` after `[goto]`) with the target form's options.
enum ListingText {
    static func read(_ reader: inout ListingReader, target: (name: String, column: Int)?, goto: Bool,
                     unread: inout (text: String, column: Int)?) {
        let family = reader.family
        let targetSpec = goto ? nil : target.flatMap { ExtensionRegistry.target(named: $0.name, family: family) }
            .map(ExtensionRegistry.spec)
        let targetForm = targetSpec?.listing
        var targetWordsAt: Int?
        while !reader.cursor.atEnd {
            if targetWordsAt != nil {
                let column = reader.cursor.columnAfterBlanks
                unread = (reader.cursor.rest(), column)
                break
            }
            if readMatch(&reader) { continue }
            if let targetForm {
                var attempt = reader
                attempt.reading = targetSpec
                let mark = attempt.words.count
                let before = reader.cursor.index
                if targetForm.read(&attempt), attempt.cursor.index > before {
                    reader = attempt
                    targetWordsAt = mark
                    continue
                }
            }
            let column = reader.cursor.columnAfterBlanks
            unread = (reader.cursor.rest(), column)
            break
        }
        guard let target else { return }
        if goto {
            reader.word("-g", column: target.column)
            reader.word(target.name, column: target.column)
            return
        }
        let name = reader.targetName ?? target.name
        let at = targetWordsAt ?? reader.words.count
        reader.words.insert(contentsOf: [Token(text: "-j", column: target.column, length: 1, quoted: false),
                                         Token(text: name, column: target.column, length: name.utf8.count, quoted: false)], at: at)
    }

    /// Reads one match's text at the cursor; false when no match form takes it.
    private static func readMatch(_ reader: inout ListingReader) -> Bool {
        var start = reader.cursor
        _ = start.takeNegation()
        start.skipBlanks()
        var lead = reader.cursor
        lead.skipBlanks()
        let column = lead.column
        for candidate in ExtensionRegistry.listingCandidates(reader.family) where start.peek(candidate.lead) {
            var attempt = reader
            attempt.reading = candidate.spec
            let mark = attempt.words.count
            guard candidate.form.read(&attempt), attempt.cursor.index > reader.cursor.index else { continue }
            let name = candidate.spec.name
            attempt.words.insert(contentsOf: [Token(text: "-m", column: column, length: 1, quoted: false),
                                              Token(text: name, column: column, length: name.utf8.count, quoted: false)], at: mark)
            reader = attempt
            return true
        }
        return false
    }
}
