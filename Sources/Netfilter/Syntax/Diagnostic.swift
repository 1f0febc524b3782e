/// A problem found in an input file, with its position and the offending token.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation
    /// How many bytes of the line the offending token spans (for the `^~~~` marker).
    public var length: Int

    public init(_ severity: Severity, _ message: String, at location: SourceLocation, length: Int = 1) {
        self.severity = severity
        self.message = message
        self.location = location
        self.length = max(1, length)
    }

    public static func error(_ message: String, at location: SourceLocation, length: Int = 1) -> Diagnostic {
        Diagnostic(.error, message, at: location, length: length)
    }

    public static func warning(_ message: String, at location: SourceLocation, length: Int = 1) -> Diagnostic {
        Diagnostic(.warning, message, at: location, length: length)
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }

    /// The diagnostics with the repeats of one (same line, severity and message) made one,
    /// at the first, with how many times it came: a line of 100,000 `!` gives one error, not
    /// 100,000. In the order of their first appearance.
    public static func mergingRepeats(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        struct Key: Hashable {
            let line: Int
            let severity: Severity
            let message: String
        }
        var firstIndex: [Key: Int] = [:]
        var merged: [Diagnostic] = []
        var counts: [Int] = []
        for diagnostic in diagnostics {
            let key = Key(line: Int(diagnostic.location.line), severity: diagnostic.severity,
                          message: diagnostic.message)
            if let index = firstIndex[key] {
                counts[index] += 1
            } else {
                firstIndex[key] = merged.count
                merged.append(diagnostic)
                counts.append(1)
            }
        }
        for index in merged.indices where counts[index] > 1 {
            merged[index].message += " (\(counts[index]) times on this line)"
        }
        return merged
    }
}

/// The text of an input file, for showing the line a diagnostic points at.
public struct SourceText: Sendable {
    public var name: String
    public var bytes: [UInt8]
    /// The byte offset where each line starts (index 0 is line 1).
    private let lineStarts: [Int]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The given 1-based line without its line ending, or nil past the end.
    public func line(_ number: Int) -> String? {
        guard number >= 1, number <= lineStarts.count else { return nil }
        let start = lineStarts[number - 1]
        guard start <= bytes.count else { return nil }
        var end = number < lineStarts.count ? lineStarts[number] - 1 : bytes.count
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// `FILE:LINE:COL: severity: message`, then the line and a marker under the token. Control
    /// characters in the message and the line show escaped (`\r`, `\x1b`), never raw.
    public func render(_ diagnostic: Diagnostic, showSource: Bool = true) -> String {
        let location = diagnostic.location
        let message = Self.visible(diagnostic.message, keepingTabs: false)
        var text = "\(name):\(location.line):\(location.column): \(diagnostic.severity.rawValue): \(message)"
        if showSource, location.line > 0, let line = line(Int(location.line)) {
            var bytes = Array(line.utf8)
            var column = max(1, Int(location.column))
            // A long line shows around the column, cut with `…` (the whole of a 5 MB line,
            // echoed for each of its errors, would make the output quadratic).
            var (head, tail) = ("", "")
            if bytes.count > Self.widestLineShown {
                var start = max(0, min(column - 1, bytes.count) - Self.widestLineShown / 2)
                while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
                var end = min(bytes.count, start + Self.widestLineShown)
                while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
                head = start > 0 ? "…" : ""
                tail = end < bytes.count ? "…" : ""
                column -= start
                bytes = Array(bytes[start..<end])
            }
            // One space per byte before the token (a tab stays a tab, an escaped byte is as wide
            // as its escape), so that the marker stands under it.
            let indent = (head.isEmpty ? "" : " ") + bytes.prefix(column - 1).map { byte in
                byte == 0x09 ? "\t" : String(repeating: " ", count: Self.escape(byte)?.count ?? 1)
            }.joined()
            let width = max(1, min(diagnostic.length, max(1, bytes.count - column + 1)))
            let marker = "^" + String(repeating: "~", count: width - 1)
            let shown = head + Self.visible(String(decoding: bytes, as: UTF8.self), keepingTabs: true) + tail
            text += "\n    \(shown)\n    \(indent)\(marker)"
        }
        return text
    }

    /// The most bytes of a line a diagnostic shows; a longer line is cut around the column.
    static let widestLineShown = 160

    /// The text with its control characters escaped (tabs kept where asked).
    static func visible(_ text: String, keepingTabs: Bool) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80, let escaped = escape(UInt8(scalar.value)), !(keepingTabs && scalar == "\t") {
                shown += escaped
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// How a control character shows (`\r`, `\t`, `\x1b`); nil for any other byte.
    private static func escape(_ byte: UInt8) -> String? {
        switch byte {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0..<0x20, 0x7F:
            let hex = String(byte, radix: 16)
            return "\\x" + (hex.count < 2 ? "0" + hex : hex)
        default: return nil
        }
    }
}
