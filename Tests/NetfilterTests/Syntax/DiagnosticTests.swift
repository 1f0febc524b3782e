import XCTest
@testable import Netfilter

/// How diagnostics read: control characters escaped, never raw, and no sentence with an
/// empty list in it (issue 17, item 6).
final class DiagnosticTests: XCTestCase {
    /// A dump written with `\r\r\n` line ends: one CR stays in every line.
    private let doubleCarriageReturns = Array("*filter\r\r\n:INPUT ACCEPT [0:0]\r\r\nCOMMIT\r\r\n".utf8)

    func testControlCharactersInMessagesAndLinesShowEscaped() throws {
        let result = SaveParser.parse(doubleCarriageReturns, family: .ipv4)
        let source = SourceText(name: "crlf.rules", bytes: doubleCarriageReturns)
        let rendered = result.diagnostics.map { source.render($0) }
        let unknownTable = try XCTUnwrap(rendered.first { $0.contains("unknown table") }, "\(rendered)")
        XCTAssert(unknownTable.contains("unknown table 'filter\\r'"), unknownTable)
        for text in rendered {
            XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, text)
        }
    }

    func testAChainOfAnUnknownTableGetsNoSentenceWithAnEmptyList() {
        let result = SaveParser.parse(doubleCarriageReturns, family: .ipv4)
        for diagnostic in result.diagnostics {
            XCTAssertFalse(diagnostic.message.contains("are )"), diagnostic.message)
            XCTAssertFalse(diagnostic.message.contains("()"), diagnostic.message)
        }
    }

    func testTheMarkerStandsUnderTheTokenPastAnEscapedCharacter() throws {
        let bytes = Array("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment \u{1B} -j NOPE\nCOMMIT\n".utf8)
        let result = SaveParser.parse(bytes, family: .ipv4)
        var diagnostics = result.diagnostics
        diagnostics += Validator.validate(result.ruleset)
        let nope = try XCTUnwrap(diagnostics.first { $0.message.contains("NOPE") }, "\(diagnostics)")
        let lines = SourceText(name: "escape.rules", bytes: bytes).render(nope).split(separator: "\n")
        XCTAssertEqual(lines.count, 3, "\(lines)")
        let shown = Array(lines[1]), marker = Array(lines[2])
        let tokenStart = try XCTUnwrap(String(shown).range(of: "-j NOPE")).lowerBound
        let column = String(shown).distance(from: String(shown).startIndex, to: tokenStart)
        XCTAssert(String(shown).contains("\\x1b"), String(shown))
        XCTAssertEqual(marker.firstIndex(of: "^"), column, "\(String(shown))\n\(String(marker))")
    }
}
