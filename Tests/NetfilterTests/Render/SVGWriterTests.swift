import XCTest
@testable import Netfilter

/// The SVG writer: text and attributes escaped for XML, numbers in one form, the same
/// bytes for the same drawing.
final class SVGWriterTests: XCTestCase {
    func testTextAndAttributesAreEscaped() throws {
        var svg = SVGWriter(width: 100, height: 50)
        svg.text("-m comment --comment \"a < b & c > 'd'\"\u{1}", x: 1, y: 2, tooltip: "<all> & more", [("fill", "\"red\" & <blue>")])
        let text = svg.finish()
        XCTAssert(text.contains("&quot;a &lt; b &amp; c &gt; &apos;d&apos;&quot;\u{FFFD}"), text)
        XCTAssert(text.contains("fill=\"&quot;red&quot; &amp; &lt;blue&gt;\""), text)
        let root = try SVGElement.parse(text)
        let element = try XCTUnwrap(root.elements("text").first)
        XCTAssertEqual(element.text, "-m comment --comment \"a < b & c > 'd'\"\u{FFFD}")
        XCTAssertEqual(element.children.first?.text, "<all> & more", "the tooltip")
    }

    func testNumbersHaveOneFormAndDocumentsAreDeterministic() {
        XCTAssertEqual(SVGWriter.number(3), "3")
        XCTAssertEqual(SVGWriter.number(2.25), "2.3")
        XCTAssertEqual(SVGWriter.number(-0.04), "0")
        XCTAssertEqual(SVGWriter.number(-0.5), "-0.5")
        XCTAssertEqual(SVGWriter.number(-12.75), "-12.8")
        XCTAssertEqual(SVGWriter.number(.infinity), "0")
        func draw() -> String {
            var svg = SVGWriter(width: 10.5, height: 20)
            svg.start("g", [("class", "a"), ("id", "b")])
            svg.rect(x: 1, y: 2, width: 3, height: 4, radius: 1, [("fill", "#fff"), ("fill", "#000")])
            svg.polyline([Point(0, 0), Point(1.25, 2)], [("stroke", "#000")])
            return svg.finish()
        }
        XCTAssertEqual(draw(), draw())
        XCTAssert(draw().contains("fill=\"#000\""), "a repeated attribute keeps its last value")
        XCTAssertFalse(draw().contains("fill=\"#fff\""))
        XCTAssert(draw().hasSuffix("</g>\n</svg>\n"), "finish closes what is open")
    }

    func testTextWidthsAndWrapping() {
        XCTAssertEqual(TextMetrics.cells("abc"), 3)
        XCTAssertEqual(TextMetrics.cells("图2"), 3, "wide characters count twice")
        XCTAssertEqual(TextMetrics.truncate("abcdefgh", to: 5), "abcd…")
        XCTAssertEqual(TextMetrics.truncate("abc", to: 5), "abc")
        let lines = TextMetrics.wrap("FORWARD #6 ACCEPT -i docker0 ! -o docker0 -p tcp --dport 80", to: 24, lines: 2)
        XCTAssertEqual(lines.count, 2)
        XCTAssert(lines.allSatisfy { TextMetrics.cells($0) <= 24 }, "\(lines)")
        XCTAssertEqual(lines[0], "FORWARD #6 ACCEPT -i")
        XCTAssertFalse(lines[0].hasSuffix("!"), "a negation stays with its option")
        XCTAssert(lines[1].hasSuffix("…"), "the rest is cut: \(lines)")
        XCTAssertEqual(TextMetrics.wrap("short", to: 24, lines: 2), ["short"])
    }
}
