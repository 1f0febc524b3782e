import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// An SVG (or any XML) document read back with Foundation's XMLParser: its elements as a
/// tree, for tests that look for the elements a picture must have. Reading fails the
/// test when the document is not well-formed XML.
final class SVGElement {
    let name: String
    let attributes: [String: String]
    var children: [SVGElement] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// This element and every element under it, in document order.
    var all: [SVGElement] { [self] + children.flatMap(\.all) }

    /// The text of every `<text>` under this element, in order (tooltips left out).
    var texts: [String] { all.filter { $0.name == "text" }.map(\.text) }

    /// The texts joined, each wrapped line joined to the one before it.
    var joinedText: String { texts.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }

    func elements(_ name: String) -> [SVGElement] { all.filter { $0.name == name } }

    func group(id: String) -> SVGElement? { all.first { $0.attributes["id"] == id } }

    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

    /// The first rectangle of a group (a box's frame).
    var frame: (x: Double, y: Double, width: Double, height: Double)? {
        guard let rect = children.first(where: { $0.name == "rect" }), let x = rect.number("x"), let y = rect.number("y"),
              let width = rect.number("width"), let height = rect.number("height") else { return nil }
        return (x, y, width, height)
    }

    static func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> SVGElement {
        let reader = Reader()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = reader
        let ok = parser.parse()
        guard ok, let root = reader.root else {
            XCTFail("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no root")", file: file, line: line)
            throw XCTSkip("malformed")
        }
        return root
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var root: SVGElement?
        var stack: [SVGElement] = []
        /// Inside a `<title>` (a tooltip): its text is not the element's own.
        var titleDepth = 0

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let element = SVGElement(name: elementName, attributes: attributes)
            if elementName == "title" { titleDepth += 1 }
            stack.last?.children.append(element)
            if root == nil { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if elementName == "title" { titleDepth -= 1 }
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard let current = stack.last else { return }
            if titleDepth == 0 || current.name == "title" { current.text += string }
        }
    }
}

/// What every picture must be: self-contained, with nothing a browser would run or fetch.
func assertSelfContained(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let root = try SVGElement.parse(svg, file: file, line: line)
    XCTAssertEqual(root.name, "svg", file: file, line: line)
    XCTAssertTrue(root.elements("script").isEmpty, "no <script>", file: file, line: line)
    for name in ["image", "foreignObject", "use", "a", "iframe", "style"] {
        XCTAssertTrue(root.elements(name).isEmpty, "no <\(name)>", file: file, line: line)
    }
    for element in root.all {
        for (name, value) in element.attributes {
            XCTAssertFalse(name.lowercased().hasPrefix("on"), "no event handler \(name)", file: file, line: line)
            XCTAssertFalse(name.hasSuffix("href"), "no \(name) on <\(element.name)>", file: file, line: line)
            if value.contains("url(") { XCTAssert(value.hasPrefix("url(#"), "only local references: \(value)", file: file, line: line) }
            if name != "xmlns" { XCTAssertFalse(value.contains("://"), "no external reference: \(name)=\(value)", file: file, line: line) }
        }
    }
    XCTAssertFalse(svg.contains("@import"), file: file, line: line)
}
