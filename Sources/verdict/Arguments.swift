/// A small argument reader: flags, options with values (`--x V` or `--x=V`), and operands.
struct Arguments {
    private var words: [String]
    private(set) var operands: [String] = []

    init(_ words: [String]) { self.words = words }

    struct UsageError: Error {
        var message: String
    }

    /// Splits the words against the options a command knows. `valued` options take a value.
    static func parse(_ words: [String], flags: Set<String>, valued: Set<String>) throws -> (options: [String: [String]], operands: [String]) {
        var options: [String: [String]] = [:]
        var operands: [String] = []
        var index = 0
        var onlyOperands = false
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyOperands || word == "-" || !word.hasPrefix("-") {
                operands.append(word)
                continue
            }
            if word == "--" {
                onlyOperands = true
                continue
            }
            var name = word
            var attached: String?
            if let equals = word.firstIndex(of: "=") {
                name = String(word[..<equals])
                attached = String(word[word.index(after: equals)...])
            }
            if flags.contains(name) {
                if attached != nil { throw UsageError(message: "option \(name) takes no value") }
                options[name, default: []].append("")
            } else if valued.contains(name) {
                if let attached {
                    options[name, default: []].append(attached)
                } else if index < words.count {
                    options[name, default: []].append(words[index])
                    index += 1
                } else {
                    throw UsageError(message: "option \(name) needs a value")
                }
            } else {
                throw UsageError(message: "unknown option '\(word)'")
            }
        }
        return (options, operands)
    }
}
