import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Netfilter

/// The JUnit XML CI systems read: well-formed (Foundation's parser reads it back), a suite
/// per spec file, a case per line, the failure's explanation as its message.
final class JUnitRendererTests: XCTestCase {
    func testFailuresAndPassesAsWellFormedJUnit() throws {
        let rules = """
        *filter
        :INPUT DROP [0:0]
        -A INPUT -i eth0 -p tcp -m tcp --dport 22 -m comment --comment "ssh <&> \\"quoted\\"" -j ACCEPT
        COMMIT

        """
        let ruleset = SaveParser.parse(Array(rules.utf8), family: .ipv4).ruleset
        let (spec, errors) = SpecParser.parse(Array("""
        expect ACCEPT tcp 1.2.3.4:5 -> 10.0.0.2:22 in eth0 at INPUT
        expect ACCEPT tcp 1.2.3.4:5 -> 10.0.0.2:23 in eth0 at INPUT
        """.utf8), file: "a&b.spec", mode: .spec)
        XCTAssertEqual(errors, [])
        var evaluator = CaseEvaluator(target: .rules(ruleset))
        let result = SpecRunner.run(spec, with: &evaluator)
        let xml = JUnitRenderer.render([result])

        let document = try XMLDocument(xmlString: xml, options: [])
        let root = try XCTUnwrap(document.rootElement())
        XCTAssertEqual(root.name, "testsuites")
        XCTAssertEqual(root.attribute(forName: "tests")?.stringValue, "2")
        XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "1")
        let suites = root.elements(forName: "testsuite")
        XCTAssertEqual(suites.count, 1)
        XCTAssertEqual(suites.first?.attribute(forName: "name")?.stringValue, "a&b.spec")
        let cases = suites.first?.elements(forName: "testcase") ?? []
        XCTAssertEqual(cases.map { $0.attribute(forName: "line")?.stringValue }, ["1", "2"])
        XCTAssertEqual(cases.first?.attribute(forName: "name")?.stringValue, "line 1: expect ACCEPT tcp 1.2.3.4:5 -> 10.0.0.2:22 in eth0 at INPUT")
        XCTAssertEqual(cases.first?.elements(forName: "failure").count, 0)
        let failure = try XCTUnwrap(cases.last?.elements(forName: "failure").first)
        XCTAssertEqual(failure.attribute(forName: "message")?.stringValue, "expected ACCEPT, got DROP by filter/INPUT:policy (:INPUT DROP)")
        let body = try XCTUnwrap(failure.stringValue)
        XCTAssert(body.hasPrefix("a&b.spec:2: expected ACCEPT, got DROP"), body)
        XCTAssert(body.contains("--comment \"ssh <&> \\\"quoted\\\"\""), body)
    }

    func testEscapingLeavesNoCharacterXMLRefuses() {
        XCTAssertEqual(JUnitRenderer.escape("a<b>&\"c'\u{1}\n"), "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}&#10;")
        XCTAssertEqual(JUnitRenderer.escape("x\ny", inAttribute: false), "x\ny")
    }
}
