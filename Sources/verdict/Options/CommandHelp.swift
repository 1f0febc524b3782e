/// A command's help: the hand-written text (usage, description, exit status, examples)
/// around OPTIONS sections generated from the declarations.
struct CommandHelp: Sendable {
    /// Usage lines and description, before the sections.
    let head: String
    let sections: [OptionSection]
    /// EXIT STATUS and EXAMPLES, after the sections.
    let tail: String

    /// The whole help text.
    var text: String {
        ([head] + sections.map(\.text) + [tail]).joined(separator: "\n\n")
    }
}

/// A titled list of options in a help text ("OPTIONS:", "THE PACKET, ..."), with
/// entries for what is not an option (`-` for standard input) and text before and after.
struct OptionSection: Sendable {
    let title: String
    let options: [OptionDeclaration]
    /// Entries that are not options, listed after them ("-": read standard input).
    let entries: [HelpEntry]
    /// Text after the entries.
    let footer: String?

    init(_ title: String, options: [OptionDeclaration], entries: [HelpEntry] = [], footer: String? = nil) {
        self.title = title
        self.options = options
        self.entries = entries
        self.footer = footer
    }

    var text: String {
        let shown = options.filter { !$0.hidden }.map(HelpEntry.init(option:)) + entries
        var lines = [title] + shown.flatMap { $0.lines() }
        if let footer { lines.append(footer) }
        return lines.joined(separator: "\n")
    }
}

/// One line of an OPTIONS section: a term ("-s, --source ADDR") and its help, wrapped.
struct HelpEntry: Sendable {
    static let indent = 2
    /// Where help starts; a longer term puts its help on the next line.
    static let helpColumn = 24
    static let width = 88

    let term: String
    let help: String

    init(term: String, help: String) {
        self.term = term
        self.help = help
    }

    init(option: OptionDeclaration) {
        let spellings = option.displaySpellings.joined(separator: ", ")
        let term = option.placeholder.isEmpty ? spellings : spellings + " " + option.placeholder
        self.init(term: term, help: option.help)
    }

    func lines() -> [String] {
        let lead = String(repeating: " ", count: Self.indent) + term
        let pad = String(repeating: " ", count: Self.helpColumn)
        let wrapped = Self.wrap(help, width: Self.width - Self.helpColumn)
        guard let first = wrapped.first else { return [lead] }
        var lines: [String]
        if lead.count < Self.helpColumn - 1 {
            lines = [lead + String(repeating: " ", count: Self.helpColumn - lead.count) + first]
        } else {
            lines = [lead, pad + first]
        }
        lines += wrapped.dropFirst().map { pad + $0 }
        return lines
    }

    /// Words joined into lines of at most `width` characters (a longer word stands alone).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
