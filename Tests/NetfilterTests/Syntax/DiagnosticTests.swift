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

    func testRepeatsOfOneErrorOnALineAreOneDiagnosticWithTheirCount() {
        let bangs = String(repeating: "! ", count: 1000)
        let text = "*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD \(bangs)-s 10.0.0.1 -j ACCEPT\nCOMMIT\n"
        let result = SaveParser.parse(Array(text.utf8), family: .ipv4)
        let repeated = result.diagnostics.filter { $0.message.hasPrefix("multiple '!' flags") }
        XCTAssertEqual(repeated.count, 1, "\(result.diagnostics.prefix(3))")
        XCTAssert(repeated.first?.message.hasSuffix("(999 times on this line)") ?? false, "\(repeated)")
    }

    func testALongLineShowsAroundTheColumnCutWithEllipses() throws {
        let padding = String(repeating: "-m comment --comment x ", count: 400)
        let text = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT \(padding)-j NOPE \(padding)\nCOMMIT\n"
        let bytes = Array(text.utf8)
        let result = SaveParser.parse(bytes, family: .ipv4)
        let nope = try XCTUnwrap(Validator.validate(result.ruleset).first { $0.message.contains("NOPE") })
        let lines = SourceText(name: "long.rules", bytes: bytes).render(nope).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, "\(lines)")
        XCTAssertLessThanOrEqual(lines[1].utf8.count, SourceText.widestLineShown + 20)
        XCTAssert(lines[1].hasPrefix("    …"), lines[1])
        XCTAssert(lines[1].hasSuffix("…"), lines[1])
        let shown = Array(lines[1]), marker = Array(lines[2])
        let token = try XCTUnwrap(lines[1].range(of: "-j NOPE")).lowerBound
        XCTAssertEqual(marker.firstIndex(of: "^"), lines[1].distance(from: lines[1].startIndex, to: token),
                       "\(String(shown))\n\(String(marker))")
    }
}
