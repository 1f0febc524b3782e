import Netfilter

/// The closed set of values an option takes (formats, hooks, yes|no), matched without
/// regard to case and given back as declared.
struct OptionChoices: Sendable {
    /// The values as help, errors and completions spell them.
    let values: [String]
    /// What one value is called in errors: "format" gives "unknown format 'jsn'".
    let noun: String
    /// Other accepted spellings and the value each stands for ("inet" for "ipv4").
    let synonyms: [String: String]
    /// Where a list too long for an error is shown ("verdict lint --list shows them"); the
    /// values themselves are listed when nil.
    let reference: String?

    init(_ values: [String], noun: String, synonyms: [String: String] = [:], reference: String? = nil) {
        self.values = values
        self.noun = noun
        self.synonyms = synonyms
        self.reference = reference
    }

    /// The declared value a word stands for; nil when it is none of them.
    func match(_ word: String) -> String? {
        let lowered = word.lowercased()
        if let value = values.first(where: { $0.lowercased() == lowered }) { return value }
        return synonyms.first { $0.key.lowercased() == lowered }?.value
    }

    /// Why a word is refused: "unknown format 'jsn' (text, kernel, json); did you mean 'json'?".
    func refusal(of word: String) -> String {
        var message = "unknown \(noun) '\(word)' (\(reference ?? values.joined(separator: ", ")))"
        if let closest = Suggestion.closest(to: word, among: values) { message += "; did you mean '\(closest)'?" }
        return message
    }
}
