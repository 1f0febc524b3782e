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

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    /// The given 1-based line without its line ending, or nil past the end.
    public func line(_ number: Int) -> String? {
        guard number >= 1 else { return nil }
        var current = 1
        var start = 0
        var index = 0
        while index < bytes.count {
            if current == number { break }
            if bytes[index] == 0x0A {
                current += 1
                start = index + 1
            }
            index += 1
        }
        guard current == number, start <= bytes.count else { return nil }
        var end = start
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
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
