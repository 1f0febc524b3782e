/// One word of a rule line after iptables-restore's quoting rules were applied, with its text.
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

/// The words of one rule line as byte ranges of one buffer, without a `String` per word:
/// the rule reader compares and looks words up by their bytes and makes text only of
/// the values it keeps. A reader reuses one `RuleWords` for every line of a file.
public struct RuleWords: Sendable {
    /// Where one word is: its bytes (quotes and escapes removed) in `bytes`, and its source.
    public struct Word: Sendable {
        public var start: Int32
        public var end: Int32
        /// The 1-based byte column where the word started in its line.
        public var column: Int32
        /// The number of source bytes the word spans, quotes included.
        public var length: Int32
        /// Whether any part of the word was inside double quotes.
        public var quoted: Bool

        public var count: Int { Int(end - start) }
    }

    /// The words' bytes, back to back.
    public private(set) var bytes: [UInt8] = []
    public private(set) var words: [Word] = []

    public init() {
        bytes.reserveCapacity(256)
        words.reserveCapacity(24)
    }

    /// Words with their texts (a listing's save words).
    public init(_ tokens: some Sequence<Token>) {
        self.init()
        for token in tokens { append(token.text, column: token.column, length: token.length, quoted: token.quoted) }
    }

    public var count: Int { words.count }

    public subscript(index: Int) -> Word { words[index] }

    /// The word's text.
    public func text(_ index: Int) -> String {
        let word = words[index]
        return String(decoding: bytes[Int(word.start)..<Int(word.end)], as: UTF8.self)
    }

    /// The word's text from byte `offset` of it on (the value in `--name=value`).
    public func text(_ index: Int, from offset: Int) -> String {
        let word = words[index]
        return String(decoding: bytes[(Int(word.start) + offset)..<Int(word.end)], as: UTF8.self)
    }

    /// The word's bytes.
    public func bytes(_ index: Int) -> ArraySlice<UInt8> {
        let word = words[index]
        return bytes[Int(word.start)..<Int(word.end)]
    }

    /// The word as a `Token` (for diagnostics and the readers that want text).
    public func token(_ index: Int) -> Token {
        let word = words[index]
        return Token(text: text(index), column: Int(word.column), length: Int(word.length), quoted: word.quoted)
    }

    /// Adds a word made of `text`.
    public mutating func append(_ text: String, column: Int, length: Int, quoted: Bool = false) {
        let start = Int32(bytes.count)
        bytes.append(contentsOf: text.utf8)
        words.append(Word(start: start, end: Int32(bytes.count), column: Int32(column), length: Int32(length),
                          quoted: quoted))
    }

    /// Forgets every word, keeping the storage for the next line.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
    }

    /// Splits a rule line into words exactly as iptables-restore's `add_param_to_argv` does:
    /// space, tab and newline separate words; `"` opens a quoted part in which `\` escapes the
    /// next byte; a closing `"` ends the word; outside quotes `\` and `'` are ordinary bytes.
    /// A quote left open takes the rest of the line into its word, as iptables-restore does;
    /// the result is the column where it opened.
    public mutating func split(_ line: ArraySlice<UInt8>, firstColumn: Int = 1) -> Int? {
        removeAll()
        return line.withUnsafeBufferPointer { source in
            var unterminatedAt: Int?
            var index = 0
            while index < source.count {
                if Self.separates(source[index]) {
                    index += 1
                    continue
                }
                let wordStart = index
                let byteStart = bytes.count
                var quoted = false
                var ended = false
                while index < source.count && !ended {
                    let byte = source[index]
                    if Self.separates(byte) { break }
                    if byte != 0x22 {
                        // A run of plain bytes, copied at once.
                        let runStart = index
                        while index < source.count && !Self.separates(source[index]) && source[index] != 0x22 {
                            index += 1
                        }
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
                        continue
                    }
                    // A quoted part: `\` escapes the next byte; the closing quote ends the word.
                    quoted = true
                    let quoteStart = index
                    index += 1
                    while index < source.count && source[index] != 0x22 {
                        if source[index] == 0x5C {
                            if index + 1 < source.count { bytes.append(source[index + 1]) }
                            index += 2
                        } else {
                            bytes.append(source[index])
                            index += 1
                        }
                    }
                    if index >= source.count {
                        // iptables-restore does not complain: the quoted word runs to the end of the line.
                        unterminatedAt = quoteStart + firstColumn
                        index = source.count
                    } else {
                        index += 1
                    }
                    ended = true
                }
                words.append(Word(start: Int32(byteStart), end: Int32(bytes.count),
                                  column: Int32(wordStart + firstColumn), length: Int32(index - wordStart),
                                  quoted: quoted))
            }
            return unterminatedAt
        }
    }

    /// Space, tab, newline and carriage return separate words.
    @inline(__always)
    private static func separates(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// Splits lines into words with their texts, for the readers that are not on a dump's
/// hot path (ebtables lines, packet descriptions, expectation files).
public enum Tokenizer {
    /// `RuleWords.split`'s words, as tokens with text.
    public static func split(_ line: ArraySlice<UInt8>, firstColumn: Int = 1) -> (tokens: [Token], unterminatedQuoteAt: Int?) {
        var words = RuleWords()
        let unterminated = words.split(line, firstColumn: firstColumn)
        return ((0..<words.count).map(words.token), unterminated)
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
