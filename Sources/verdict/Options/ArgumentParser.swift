import Netfilter

/// Reads a command line against declared options: `--x V`, `--x=V`, flags, `!` before a
/// negatable option or its value, `--` (only operands after it) and `-` (an operand:
/// standard input). Every mistake is a `UsageError` saying what is wrong, with the
/// closest declared spelling or value when one is near.
struct ArgumentParser {
    let options: [OptionDeclaration]
    private let bySpelling: [String: OptionDeclaration]

    init(_ options: [OptionDeclaration]) {
        self.options = options
        var bySpelling: [String: OptionDeclaration] = [:]
        for option in options {
            for spelling in option.spellings { bySpelling[spelling] = option }
        }
        self.bySpelling = bySpelling
    }

    /// Whether a word is one an option takes (`--x`, `--x=V`, `-s`) rather than an operand.
    static func looksLikeOption(_ word: String) -> Bool { word.hasPrefix("-") && word != "-" }

    /// The words read; with `tolerant`, mistakes are passed over instead of thrown (for
    /// shell completion, where the line is still being written).
    func parse(_ words: [String], tolerant: Bool = false) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var onlyOperands = false
        let negates = options.contains { $0.negatable }
        var pendingNegation = false
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyOperands || !Self.looksLikeOption(word) {
                if !onlyOperands, negates, word == "!" {
                    if pendingNegation, !tolerant { throw UsageError("'!' given twice") }
                    pendingNegation = true
                    continue
                }
                if pendingNegation, !tolerant {
                    throw UsageError("'!' must come before an option it negates, not before '\(word)'")
                }
                pendingNegation = false
                parsed.appendOperand(word)
                continue
            }
            if word == "--" {
                if pendingNegation, !tolerant { throw UsageError("'!' must come before an option it negates") }
                onlyOperands = true
                continue
            }
            let (spelling, attached) = Self.split(word)
            guard let option = bySpelling[spelling] else {
                if tolerant { continue }
                throw UsageError(unknownOptionMessage(spelling))
            }
            var negated = pendingNegation
            pendingNegation = false
            if negated, !option.negatable, !tolerant {
                throw UsageError("option '\(spelling)' cannot be negated with '!'")
            }
            guard option.takesValue else {
                if attached != nil, !tolerant { throw UsageError("option '\(spelling)' takes no value") }
                parsed.append("", to: option)
                continue
            }
            var value: String
            if let attached {
                value = attached
            } else if index < words.count {
                value = words[index]
                index += 1
                if option.negatable, value == "!", index < words.count {
                    if negated, !tolerant { throw UsageError("option '\(spelling)' negated twice") }
                    negated = true
                    value = words[index]
                    index += 1
                }
            } else {
                if tolerant { break }
                throw UsageError("option '\(spelling)' needs a value (\(option.placeholder))")
            }
            for item in option.commaList ? value.split(separator: ",").map(String.init)
                                         : [value] {
                var accepted = item
                if let choices = option.choices {
                    guard let match = choices.match(item) else {
                        if tolerant { continue }
                        throw UsageError(choices.refusal(of: item))
                    }
                    accepted = match
                }
                parsed.append(negated ? "! " + accepted : accepted, to: option)
            }
        }
        if pendingNegation, !tolerant { throw UsageError("'!' must come before an option it negates") }
        return parsed
    }

    /// `--x=V` as ("--x", "V"); other words as (word, nil).
    static func split(_ word: String) -> (spelling: String, attached: String?) {
        guard word.hasPrefix("-"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    /// "unknown option '--cstate'; did you mean '--ctstate'?"
    func unknownOptionMessage(_ spelling: String) -> String {
        let message = "unknown option '\(spelling)'"
        // A single letter is too short for a guess to mean anything.
        guard spelling.count > 2 else { return message }
        let candidates = options.filter { !$0.hidden }.flatMap(\.spellings)
        guard let closest = Suggestion.closest(to: spelling, among: candidates) else { return message }
        return message + "; did you mean '\(closest)'?"
    }
}
