import Foundation

// ebtables-save output (`*table`, `:CHAIN POLICY`, `[PACKETS:BYTES] -A CHAIN ...`) and the
// listings of `ebtables -t TABLE -L [--Ln] [--Lc]` (`Bridge table: T`, `Bridge chain: C,
// entries: N, policy: P`, one rule per line); docs/grammar.md has both as EBNF.

/// Reads ebtables rules in either form; every problem is a diagnostic with its line and column.
public enum EbtablesParser {
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "\(line):\(column): error: \(message)" }
    }

    /// A ruleset read, with what was wrong in the text.
    public struct Result: Sendable {
        public var ruleset: EbtablesRuleset
        public var diagnostics: [Diagnostic]
        /// Whether the text was a listing (`Bridge table:` lines) rather than ebtables-save text.
        public var isListing: Bool
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// The tables ebtables has.
    public static let tableNames = ["filter", "nat", "broute"]

    /// Reads leniently (an unknown option is kept as an opaque condition) and throws the first
    /// error: what a host snapshot's ebtables.rules gets.
    public static func parse(_ text: String) throws(ParseError) -> EbtablesRuleset {
        let result = read(Array(text.utf8), lenient: true)
        if let first = result.diagnostics.first(where: { $0.severity == .error }) {
            throw ParseError(line: Int(first.location.line), column: Int(first.location.column), message: first.message)
        }
        return result.ruleset
    }

    /// Reads the text; `lenient`: unknown options are warnings, kept as text.
    public static func read(_ bytes: [UInt8], lenient: Bool = false) -> Result {
        var reader = EbtablesLineReader(lenient: lenient)
        var start = 0
        var number = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            number += 1
            if end == bytes.count && start == end { break }
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            reader.read(Array(bytes[start..<lineEnd]), number: number)
            start = end + 1
        }
        return reader.finish()
    }

    static func parseUnsignedNumber(_ text: String) -> UInt32? {
        EbtablesValue.number(text).flatMap { UInt32(exactly: $0) }
    }

    /// `MAC[/MASK]` or ebtables' names `Unicast`, `Multicast`, `Broadcast`, `BGA`.
    static func mac(_ text: String) -> EbtablesRule.MACCondition? {
        switch text.lowercased() {
        case "unicast": return .init(address: 0, mask: 0x0100_0000_0000)
        case "multicast": return .init(address: 0x0100_0000_0000, mask: 0x0100_0000_0000)
        case "broadcast": return .init(address: 0xFFFF_FFFF_FFFF, mask: 0xFFFF_FFFF_FFFF)
        case "bga": return .init(address: 0x0180_C200_0000, mask: 0xFFFF_FFFF_FFF0)
        default: break
        }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let address = MACAddress(parsing: Array(first.utf8)) else { return nil }
        let mask = parts.count > 1 ? MACAddress(parsing: Array(parts[1].utf8))?.value : 0xFFFF_FFFF_FFFF
        guard let mask else { return nil }
        return .init(address: address.value & mask, mask: mask)
    }
}
