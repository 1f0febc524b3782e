/// Reads the text an `iptables -L` row prints after its destination column (each match's
/// and the target's `print` output) byte by byte. Columns are the line's 1-based byte
/// columns, so that diagnostics point into the listing. A value type: copying it is
/// a saved position to return to.
public struct ListingCursor: Sendable {
    /// The whole line the text is part of.
    let line: [UInt8]
    /// The next byte to read.
    public private(set) var index: Int

    init(line: [UInt8], start: Int) {
        self.line = line
        index = min(start, line.count)
    }

    /// The 1-based column of the next byte.
    public var column: Int { index + 1 }

    /// Whether only blanks are left.
    public var atEnd: Bool {
        var probe = index
        while probe < line.count && Self.isBlank(line[probe]) { probe += 1 }
        return probe >= line.count
    }

    /// Whether `literal` follows right at the cursor (no blanks skipped).
    public func peekGlued(_ literal: String) -> Bool { startsWith(literal) }

    /// The column of the next word.
    public var columnAfterBlanks: Int {
        var probe = self
        probe.skipBlanks()
        return probe.column
    }

    /// Whether the next byte ends a word (a blank or the end of the line).
    public var atWordEnd: Bool { index >= line.count || Self.isBlank(line[index]) }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    public mutating func skipBlanks() {
        while index < line.count && Self.isBlank(line[index]) { index += 1 }
    }

    /// Whether the text at the cursor (blanks skipped) starts with `literal`.
    public func peek(_ literal: String) -> Bool {
        var probe = self
        probe.skipBlanks()
        return probe.startsWith(literal)
    }

    private func startsWith(_ literal: String) -> Bool {
        var position = index
        for byte in literal.utf8 {
            guard position < line.count, line[position] == byte else { return false }
            position += 1
        }
        return true
    }

    /// Takes `literal` right at the cursor (no blanks skipped); false leaves the cursor.
    public mutating func take(_ literal: String) -> Bool {
        guard startsWith(literal) else { return false }
        index += literal.utf8.count
        return true
    }

    /// Takes `phrase` after blanks when it ends at a word end (`tcp` does not take `tcpmss`).
    public mutating func takeWord(_ phrase: String) -> Bool {
        var probe = self
        probe.skipBlanks()
        guard probe.take(phrase), probe.atWordEnd else { return false }
        self = probe
        return true
    }

    /// Takes `prefix` after blanks, even when more follows without a blank (`dpt:`).
    public mutating func takePrefix(_ prefix: String) -> Bool {
        var probe = self
        probe.skipBlanks()
        guard probe.take(prefix) else { return false }
        self = probe
        return true
    }

    /// A `!` (after blanks), which iptables prints before a negated value or option.
    public mutating func takeNegation() -> Bool {
        var probe = self
        probe.skipBlanks()
        guard probe.take("!") else { return false }
        self = probe
        return true
    }

    /// The next word (after blanks) with its column, or nil at the end.
    public mutating func word() -> (text: String, column: Int)? {
        skipBlanks()
        guard index < line.count else { return nil }
        let start = index
        while index < line.count && !Self.isBlank(line[index]) { index += 1 }
        return (String(decoding: line[start..<index], as: UTF8.self), start + 1)
    }

    /// The next word without taking it.
    public func peekWord() -> String? {
        var probe = self
        return probe.word()?.text
    }

    /// The word right at the cursor (no blanks skipped), ending before a blank or before
    /// `stopper` (old iptables glued `flags:` to the port before it: `dpt:22flags:`).
    public mutating func gluedWord(stoppingBefore stopper: String? = nil) -> (text: String, column: Int)? {
        let start = index
        while index < line.count && !Self.isBlank(line[index]) {
            if let stopper, index > start, startsWith(stopper) { break }
            index += 1
        }
        return index > start ? (String(decoding: line[start..<index], as: UTF8.self), start + 1) : nil
    }

    /// Bytes up to the first `terminator` that ends a word (is followed by a blank or the
    /// line's end), which is taken too; nil (cursor left) when there is none.
    public mutating func take(untilWordEnding terminator: String) -> String? {
        let length = terminator.utf8.count
        var probe = self
        while probe.index < line.count {
            if probe.startsWith(terminator) {
                let after = probe.index + length
                if after >= line.count || Self.isBlank(line[after]) {
                    let text = String(decoding: line[index..<probe.index], as: UTF8.self)
                    index = after
                    return text
                }
            }
            probe.index += 1
        }
        return nil
    }

    /// A string iptables printed in double quotes without escaping anything (LOG's
    /// prefix, helper names): from the opening quote to the first closing quote that
    /// `isEnd` accepts as the end (a blank or the line's end by default).
    public mutating func quoted(endsBefore isEnd: (ListingCursor) -> Bool = { $0.atWordEnd }) -> String? {
        var probe = self
        probe.skipBlanks()
        guard probe.take("\"") else { return nil }
        let start = probe.index
        var position = start
        while position < probe.line.count {
            if probe.line[position] == 0x22 {
                var after = probe
                after.index = position + 1
                if isEnd(after) {
                    self = after
                    return String(decoding: probe.line[start..<position], as: UTF8.self)
                }
            }
            position += 1
        }
        return nil
    }

    /// Text from `open` (after blanks) to the last `close` byte of the line: the quoting
    /// of a string iptables prints last and without escapes (LOG's `prefix "..."`, so
    /// quotes inside the prefix are kept). Nil (cursor left) without both.
    public mutating func quotedToLineEnd(open: String, close: UInt8) -> String? {
        var probe = self
        probe.skipBlanks()
        guard probe.take(open), let last = line.lastIndex(of: close), last >= probe.index else { return nil }
        let text = String(decoding: line[probe.index..<last], as: UTF8.self)
        index = last + 1
        return text
    }

    /// A string as xtables_save_string prints it: bare, or in double quotes with `"`, `\`
    /// and `'` escaped by a backslash.
    public mutating func savedString() -> String? {
        skipBlanks()
        guard index < line.count else { return nil }
        guard line[index] == 0x22 else { return word()?.text }
        var probe = index + 1
        var text: [UInt8] = []
        while probe < line.count {
            let byte = line[probe]
            if byte == 0x5C, probe + 1 < line.count {
                text.append(line[probe + 1])
                probe += 2
                continue
            }
            if byte == 0x22 {
                index = probe + 1
                return String(decoding: text, as: UTF8.self)
            }
            text.append(byte)
            probe += 1
        }
        return nil
    }

    /// Everything left, blanks at both ends removed.
    public mutating func rest() -> String {
        skipBlanks()
        var end = line.count
        while end > index && Self.isBlank(line[end - 1]) { end -= 1 }
        let text = String(decoding: line[index..<end], as: UTF8.self)
        index = line.count
        return text
    }
}
