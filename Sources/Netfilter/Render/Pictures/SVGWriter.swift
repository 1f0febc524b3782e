/// Writes a self-contained SVG document: elements with their attributes in the order
/// given, text and attribute values escaped for XML, numbers with at most one decimal, so
/// that the same drawing always gives the same bytes. No scripts, no external references:
/// the only `url(...)` values are the document's own markers (`url(#id)`).
public struct SVGWriter: Sendable {
    public private(set) var text = ""
    private var depth = 0
    private var open: [String] = []

    /// Starts the document: `width` × `height` pixels, the given font stack on every text.
    public init(width: Double, height: Double, fontFamily: String = TextMetrics.fontFamily, fontSize: Double = TextMetrics.fontSize) {
        text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        start("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", Self.number(width)), ("height", Self.number(height)),
                      ("viewBox", "0 0 \(Self.number(width)) \(Self.number(height))"), ("font-family", fontFamily),
                      ("font-size", Self.number(fontSize))])
    }

    /// `1`, `2.5`, `-3`: at most one decimal, no exponent, no `-0`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        if tenths == 0 { return "0" }
        let whole = Int(tenths) / 10
        let fraction = abs(Int(tenths) % 10)
        if fraction == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-0" : String(whole)) + "." + String(fraction)
    }

    /// Text for XML (see `XMLText.escape`); tabs and line ends are kept as they are.
    public static func escape(_ value: String) -> String { XMLText.escape(value, inAttribute: false) }

    /// The attributes in the order first given; a name given twice keeps its last value.
    private func attributes(_ pairs: [(String, String)]) -> String {
        var names: [String] = []
        var values: [String: String] = [:]
        for (name, value) in pairs {
            if values[name] == nil { names.append(name) }
            values[name] = value
        }
        return names.map { " \($0)=\"\(Self.escape(values[$0] ?? ""))\"" }.joined()
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    /// Opens an element that will hold others (close it with `end()`).
    public mutating func start(_ name: String, _ pairs: [(String, String)] = []) {
        text += "\(indent)<\(name)\(attributes(pairs))>\n"
        open.append(name)
        depth += 1
    }

    /// Closes the innermost open element.
    public mutating func end() {
        guard let name = open.popLast() else { return }
        depth -= 1
        text += "\(indent)</\(name)>\n"
    }

    /// An element without content.
    public mutating func empty(_ name: String, _ pairs: [(String, String)]) {
        text += "\(indent)<\(name)\(attributes(pairs))/>\n"
    }

    /// An element holding only text.
    public mutating func element(_ name: String, _ pairs: [(String, String)] = [], text content: String) {
        text += "\(indent)<\(name)\(attributes(pairs))>\(Self.escape(content))</\(name)>\n"
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, radius: Double = 0, _ style: [(String, String)]) {
        var pairs = [("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(width)), ("height", Self.number(height))]
        if radius > 0 { pairs.append(("rx", Self.number(radius))) }
        empty("rect", pairs + style)
    }

    /// One line of text; `anchor` is start, middle or end. `tooltip` becomes a `<title>`
    /// the browser shows on hover (the full text of something shortened).
    public mutating func text(_ content: String, x: Double, y: Double, anchor: String = "start", tooltip: String? = nil,
                              _ style: [(String, String)] = []) {
        var pairs = [("x", Self.number(x)), ("y", Self.number(y))]
        if anchor != "start" { pairs.append(("text-anchor", anchor)) }
        pairs += style
        if let tooltip, tooltip != content {
            text += "\(indent)<text\(attributes(pairs))><title>\(Self.escape(tooltip))</title>\(Self.escape(content))</text>\n"
        } else {
            element("text", pairs, text: content)
        }
    }

    /// A polyline through the points (an SVG path of straight segments).
    public mutating func polyline(_ points: [Point], _ style: [(String, String)]) {
        guard let first = points.first else { return }
        var d = "M\(Self.number(first.x)) \(Self.number(first.y))"
        for point in points.dropFirst() { d += " L\(Self.number(point.x)) \(Self.number(point.y))" }
        empty("path", [("d", d), ("fill", "none")] + style)
    }

    /// A path from SVG path data built by the caller.
    public mutating func path(_ data: String, _ style: [(String, String)]) {
        empty("path", [("d", data)] + style)
    }

    /// An arrowhead marker, referenced as `marker-end="url(#id)"`.
    public mutating func arrowMarker(id: String, colour: String) {
        start("marker", [("id", id), ("viewBox", "0 0 10 10"), ("refX", "9"), ("refY", "5"), ("markerWidth", "9"), ("markerHeight", "9"),
                         ("markerUnits", "userSpaceOnUse"), ("orient", "auto-start-reverse")])
        empty("path", [("d", "M0 0 L10 5 L0 10 z"), ("fill", colour)])
        end()
    }

    /// Closes every open element and returns the document.
    public mutating func finish() -> String {
        while !open.isEmpty { end() }
        return text
    }
}

/// A point of a drawing.
public struct Point: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// A rectangle of a drawing.
public struct Box: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var right: Double { x + width }
    public var bottom: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    public func intersects(_ other: Box) -> Bool {
        x < other.right && other.x < right && y < other.bottom && other.y < bottom
    }
}
