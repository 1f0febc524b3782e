import Netfilter

/// Prints a file's diagnostics on standard error: every error and warning with its line,
/// but only the first few notes (a listing's rounded counters give one per busy rule)
/// and then how many more there are.
enum DiagnosticOutput {
    static let notesShown = 3

    static func print(_ diagnostics: [Diagnostic], source: SourceText, command: String) {
        var notes = 0
        for diagnostic in diagnostics {
            if diagnostic.severity == .note {
                notes += 1
                if notes > notesShown { continue }
            }
            printError(source.render(diagnostic))
        }
        if notes > notesShown {
            printError("verdict \(command): \(notes - notesShown) more notes like these (verdict check --format json lists them all)")
        }
    }
}
