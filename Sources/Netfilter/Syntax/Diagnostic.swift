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

    /// `FILE:LINE:COL: severity: message`, then the line and a marker under the token.
    public func render(_ diagnostic: Diagnostic, showSource: Bool = true) -> String {
        let location = diagnostic.location
        var text = "\(name):\(location.line):\(location.column): \(diagnostic.severity.rawValue): \(diagnostic.message)"
        if showSource, location.line > 0, let line = line(Int(location.line)) {
            let column = max(1, Int(location.column))
            let indent = String(line.utf8.prefix(column - 1).map { $0 == 0x09 ? "\t" : " " }.joined())
            let width = max(1, min(diagnostic.length, max(1, line.utf8.count - column + 1)))
            text += "\n    \(line)\n    \(indent)^" + String(repeating: "~", count: width - 1)
        }
        return text
    }
}
