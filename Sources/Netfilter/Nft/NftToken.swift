/// One word of an nft rule line, with the whitespace before it, so that any line reads back
/// exactly as it was written even where its structure is not modelled.
public struct NftToken: Sendable, Hashable {
    /// The whitespace before the word (empty when the word follows the previous one directly).
    public var leading: String
    /// The word: a name or value, a quoted string with its quotes, or one of `{ } ; ,`.
    public var text: String
    /// Where the word starts.
    public var location: SourceLocation

    public init(leading: String = " ", text: String, location: SourceLocation = .unknown) {
        self.leading = leading
        self.text = text
        self.location = location
    }

    /// The word as written, with the whitespace before it.
    public var written: String { leading + text }
}

/// Splits an nft line into words the way `nft list ruleset` separates them: runs of
/// characters other than whitespace, `{ } ; ,` and quoted strings; `{ } ; ,` are words
/// of their own. A string left open runs to the end of the line (and is reported).
enum NftLexer {
    /// The words of a line (without its line ending), and the column where an unterminated
    /// string starts, if any.
    static func words(_ line: Substring, lineNumber: Int) -> (tokens: [NftToken], openString: Int?) {
        let scalars = Array(line.unicodeScalars)
        var tokens: [NftToken] = []
        var index = 0
        var column = 1
        while index < scalars.count {
            var leading = ""
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" {
                leading.unicodeScalars.append(scalars[index])
                index += 1
                column += 1
            }
            guard index < scalars.count else { break }
            let start = column
            var text = ""
            let first = scalars[index]
            if "{};,".unicodeScalars.contains(first) {
                text.unicodeScalars.append(first)
                index += 1
                column += 1
            } else if first == "\"" {
                text.unicodeScalars.append(first)
                index += 1
                column += 1
                var closed = false
                while index < scalars.count {
                    let scalar = scalars[index]
                    text.unicodeScalars.append(scalar)
                    index += 1
                    column += UTF8.width(scalar)
                    if scalar == "\"" {
                        closed = true
                        break
                    }
                }
                let location = SourceLocation(line: lineNumber, column: start)
                tokens.append(NftToken(leading: leading, text: text, location: location))
                if !closed { return (tokens, start) }
                continue
            } else {
                while index < scalars.count {
                    let scalar = scalars[index]
                    if scalar == " " || scalar == "\t" || "{};,\"".unicodeScalars.contains(scalar) { break }
                    text.unicodeScalars.append(scalar)
                    index += 1
                    column += UTF8.width(scalar)
                }
            }
            let location = SourceLocation(line: lineNumber, column: start)
            tokens.append(NftToken(leading: leading, text: text, location: location))
        }
        return (tokens, nil)
    }
}
