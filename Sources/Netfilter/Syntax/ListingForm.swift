/// How one extension's `print` function (the text `iptables -L` shows for it) is read
/// back. A form turns the listing text into the extension's save-form words
/// (`dpt:80` into `--dport 80`), which the rule parser then reads like any dump, so that
/// a rule read from a listing is checked and normalised exactly like a saved one.
/// Each extension declares its form in its own file (Extensions/*.swift), as its
/// declaration's `listing`.
public struct ListingForm: Sendable {
    /// The texts the listing can start with (after blanks and a leading `!`); the parser
    /// tries a form only where one of them starts. Empty for a target that prints nothing.
    public let leads: [String]
    /// Reads the text at the cursor, emitting save words; false when the text is not
    /// this extension's (the parser then rewinds the reader).
    public let read: @Sendable (inout ListingReader) -> Bool

    public init(leads: [String], read: @escaping @Sendable (inout ListingReader) -> Bool) {
        self.leads = leads
        self.read = read
    }
}

/// What a listing form reads from and writes to: the cursor in the row's text, the save
/// words it emits, and what it found the listing does not show (losses, per rule).
public struct ListingReader: Sendable {
    public var cursor: ListingCursor
    public let family: Family
    /// The save words emitted so far for the whole rule.
    public internal(set) var words: [Token] = []
    /// What the listing does not show, or shows so that it had to be interpreted.
    public internal(set) var losses: [(message: String, column: Int)] = []
    /// Text the form recognised as its own but could not read.
    public internal(set) var errors: [(message: String, column: Int)] = []
    /// Set by a target form when the listing shows another target than its column
    /// (`CT` with `NOTRACK` is `-j NOTRACK`).
    public var targetName: String?
    /// The extension whose form is reading.
    public internal(set) var reading: ExtensionSpec?

    init(cursor: ListingCursor, family: Family) {
        self.cursor = cursor
        self.family = family
    }

    /// Appends a save word, attributed to `column` (the cursor's by default).
    public mutating func word(_ text: String, column: Int? = nil) {
        let at = column ?? cursor.column
        words.append(Token(text: text, column: at, length: max(1, text.utf8.count), quoted: false))
    }

    /// Appends `[!] --name value...`.
    public mutating func option(_ name: String, _ values: [String] = [], negated: Bool = false, column: Int? = nil) {
        if negated { word("!", column: column) }
        word("--" + name, column: column)
        for value in values {
            words.append(Token(text: value, column: column ?? cursor.column, length: max(1, value.utf8.count), quoted: false))
        }
    }

    /// Records something the listing does not show (or shows ambiguously).
    public mutating func lost(_ message: String, column: Int? = nil) {
        losses.append((message, column ?? cursor.column))
    }

    /// Records text of this extension that cannot be read; the form should still return true.
    public mutating func fail(_ message: String, column: Int? = nil) {
        errors.append((message, column ?? cursor.column))
    }

    /// A port as printed: a number, or a service name without `-n` (reported, since the
    /// listing host's /etc/services decided it).
    public mutating func port(_ text: String, column: Int) -> String {
        for part in text.split(separator: ":", omittingEmptySubsequences: true) where UInt16(part) == nil {
            if let number = ServiceNames.port(for: String(part)) {
                lost("port printed as the service name '\(part)' (listed without -n): read as \(number)", column: column)
            }
        }
        return text
    }

    /// An address as matches print it: `anywhere` for any, a name only without `-n`.
    public mutating func address(_ text: String, column: Int) -> String {
        ListingAddresses.saveText(text, family: family, column: column, reader: &self)
    }
}

/// One keyword of an extension's listing and the save option it stands for.
public struct ListingKeyword: Sendable {
    /// As printed: `ctstate`, `nflog-group`, `--physdev-in`, or a prefix glued to its value
    /// when it ends with `:` or `=` (`to:`, `spt:`).
    public var text: String
    /// The save option, without `--`.
    public var option: String
    /// The words the value takes (0 for a flag).
    public var values: Int
    /// Turns the printed value into the save word (the printed word by default); nil
    /// refuses it (after reporting through the reader).
    public var convert: (@Sendable (_ value: String, _ column: Int, _ reader: inout ListingReader) -> String?)?

    public init(_ text: String, _ option: String, values: Int = 1,
                convert: (@Sendable (_ value: String, _ column: Int, _ reader: inout ListingReader) -> String?)? = nil) {
        self.text = text
        self.option = option
        self.values = values
        self.convert = convert
    }

    var isGlued: Bool { text.hasSuffix(":") || text.hasSuffix("=") }
}

extension ListingForm {
    /// A form for an extension that prints `[LEAD] { [!] KEYWORD [!]VALUE }`, as many do
    /// (`NFQUEUE num 0 bypass`, `ctstate NEW ctproto 6`, `to:10.0.0.1:80 random`). Without
    /// a lead the keywords are the leads, and at least one must be read.
    public static func keywords(lead: String? = nil, _ keywords: [ListingKeyword]) -> ListingForm {
        let ordered = keywords.sorted { $0.text.utf8.count > $1.text.utf8.count }
        return ListingForm(leads: lead.map { [$0] } ?? keywords.map(\.text)) { reader in
            if let lead, !reader.cursor.takeWord(lead) { return false }
            let options = reader.reading?.options ?? []
            func repeatable(_ name: String) -> Bool { options.contains { $0.name == name && $0.repeatable } }
            var given = Set<String>()
            // An option given again starts another call of the extension (two calls print
            // one after the other: `ctstate NEW ctstate INVALID`).
            while let next = nextKeyword(ordered, reader), !given.contains(next.option) || repeatable(next.option) {
                _ = readKeyword(ordered, &reader)
                given.insert(next.option)
            }
            return lead != nil || !given.isEmpty
        }
    }

    /// The keyword of the list that comes next (after an optional `!`), if any.
    static func nextKeyword(_ keywords: [ListingKeyword], _ reader: ListingReader) -> ListingKeyword? {
        var probe = reader.cursor
        _ = probe.takeNegation()
        return keywords.first { keyword in
            var cursor = probe
            return keyword.isGlued ? cursor.takePrefix(keyword.text) : cursor.takeWord(keyword.text)
        }
    }

    /// Reads one `[!] KEYWORD [!]VALUE...` and emits its option; false (cursor left) when
    /// no keyword of the list is next.
    public static func readKeyword(_ keywords: [ListingKeyword], _ reader: inout ListingReader) -> Bool {
        guard let keyword = nextKeyword(keywords, reader) else { return false }
        var negated = reader.cursor.takeNegation()
        let column = reader.cursor.columnAfterBlanks
        _ = keyword.isGlued ? reader.cursor.takePrefix(keyword.text) : reader.cursor.takeWord(keyword.text)
        var values: [String] = []
        for index in 0..<keyword.values {
            if index == 0 && reader.cursor.takeNegation() { negated = true }
            guard var (text, valueColumn) = reader.cursor.word() else {
                reader.fail("'\(keyword.text)' without its value", column: column)
                return true
            }
            if let convert = keyword.convert {
                guard let converted = convert(text, valueColumn, &reader) else { return true }
                text = converted
            }
            values.append(text)
        }
        reader.option(keyword.option, values, negated: negated, column: column)
        return true
    }
}

extension String {
    /// The text with every `old` character replaced by `new`.
    func replacing(_ old: Character, with new: Character) -> String {
        String(map { $0 == old ? new : $0 })
    }
}
