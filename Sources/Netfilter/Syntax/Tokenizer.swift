/// One word of a rule line after iptables-restore's quoting rules were applied.
public struct Token: Sendable, Hashable {
    /// The word with quotes and escapes removed.
    public var text: String
    /// The 1-based byte column where the word started in its line.
    public var column: Int
    /// The number of source bytes the word spans, quotes included.
    public var length: Int
    /// Whether any part of the word was inside double quotes.
    public var quoted: Bool
}

/// Splits a rule line into words exactly as iptables-restore's `add_param_to_argv` does:
/// space, tab and newline separate words; `"` opens a quoted part in which `\` escapes the
/// next byte; a closing `"` ends the word; outside quotes `\` and `'` are ordinary bytes.
/// A quote left open takes the rest of the line into its word, as iptables-restore does.
public enum Tokenizer {
    public static func split(_ line: ArraySlice<UInt8>, firstColumn: Int = 1) -> (tokens: [Token], unterminatedQuoteAt: Int?) {
        var tokens: [Token] = []
        tokens.reserveCapacity(16)
        var buffer: [UInt8] = []
        var quoteOpen = false
        var escaped = false
        var quoted = false
        var tokenStart = -1
        var quoteStart = -1
        let base = line.startIndex

        func emit(endingAt end: Int) {
            // Unquoted words are the bytes themselves: no copy through the buffer.
            let text = quoted ? String(decoding: buffer, as: UTF8.self) : String(decoding: line[tokenStart..<end], as: UTF8.self)
            tokens.append(Token(text: text,
                                column: tokenStart - base + firstColumn,
                                length: end - tokenStart,
                                quoted: quoted))
            buffer.removeAll(keepingCapacity: true)
            quoted = false
            tokenStart = -1
        }

        var index = base
        while index < line.endIndex {
            let byte = line[index]
            if quoteOpen {
                if escaped {
                    buffer.append(byte)
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    quoteOpen = false
                    emit(endingAt: index + 1)
                } else {
                    buffer.append(byte)
                }
            } else {
                switch byte {
                case 0x22:
                    if tokenStart < 0 {
                        tokenStart = index
                    } else if !quoted {
                        // Quotes opening mid-word: keep the plain bytes read so far.
                        buffer.append(contentsOf: line[tokenStart..<index])
                    }
                    quoteOpen = true
                    quoted = true
                    quoteStart = index
                case 0x20, 0x09, 0x0A, 0x0D:
                    if tokenStart >= 0 { emit(endingAt: index) }
                default:
                    if tokenStart < 0 { tokenStart = index }
                    if quoted { buffer.append(byte) }
                }
            }
            index += 1
        }
        if tokenStart >= 0 { emit(endingAt: line.endIndex) }
        // iptables-restore does not complain: the quoted word runs to the end of the line.
        return (tokens, quoteOpen ? quoteStart - base + firstColumn : nil)
    }

    /// Splits a line at spaces and tabs only, quotes and backslashes being ordinary bytes, as
    /// iptables-restore splits a chain declaration (`strtok(buffer + 1, " \t\n")`).
    public static func plainWords(_ line: ArraySlice<UInt8>, firstColumn: Int = 1) -> [Token] {
        var tokens: [Token] = []
        var index = line.startIndex
        while index < line.endIndex {
            while index < line.endIndex && (line[index] == 0x20 || line[index] == 0x09) { index += 1 }
            let start = index
            while index < line.endIndex && line[index] != 0x20 && line[index] != 0x09 { index += 1 }
            guard start < index else { break }
            tokens.append(Token(text: String(decoding: line[start..<index], as: UTF8.self),
                                column: firstColumn + start - line.startIndex, length: index - start, quoted: false))
        }
        return tokens
    }
}
