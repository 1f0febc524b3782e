/// One line of text in a station's box.
struct BoxLine: Sendable {
    var text: String
    /// The full text when `text` was shortened, or more detail (shown on hover).
    var tooltip: String?
    /// The packet the line is about (0 request, 1 reply); nil for the box's own text.
    var packet: Int?
    var bold = false
    /// A marker before the text (the packet's dot).
    var marker = false
    /// Drawn in the colour of drops.
    var alarm = false

    static let indent = 18.0
}

/// A station's box in the diagram: its title, its lines, who passed it, and where it is.
struct StationBox: Sendable {
    var station: FlowStation
    var title: String
    var lines: [BoxLine] = []
    /// The packets that passed the station with something recorded there.
    var visitedBy: Set<Int> = []
    /// The packets that passed it without anything loaded there.
    var passedBy: Set<Int> = []
    var frame = Box(x: 0, y: 0, width: 0, height: 0)

    static let padding = 10.0
    static let titleHeight = 22.0
    /// Lines are wrapped at this many characters, rule lines onto two lines at most.
    static let maximumCells = 40

    var isGrey: Bool { visitedBy.isEmpty && passedBy.isEmpty }

    /// The size the title and lines need at the pictures' font.
    var size: (width: Double, height: Double) {
        var width = TextMetrics.width(title) + 2 * Self.padding
        for line in lines {
            let offset = line.packet != nil ? BoxLine.indent : 0
            width = max(width, TextMetrics.width(line.text) + offset + 2 * Self.padding)
        }
        let minimum: Double
        switch station {
        case .entry, .exit: minimum = 56
        case .routing, .localRouting, .bridging: minimum = 132
        default: minimum = 104
        }
        return (max(width.rounded(.up), minimum), Self.titleHeight + Double(lines.count) * TextMetrics.lineHeight + 8)
    }

    /// Adds a line, shortened to fit (the full text kept for the tooltip).
    mutating func add(_ text: String, tooltip: String? = nil, packet: Int? = nil, bold: Bool = false, marker: Bool = false, alarm: Bool = false,
                      lines count: Int = 1) {
        let limit = Self.maximumCells - (packet != nil ? 2 : 0)
        let parts = TextMetrics.wrap(text, to: limit, lines: count)
        for (index, part) in parts.enumerated() {
            let cut = index == parts.count - 1 && parts.joined(separator: " ").count < text.count
            lines.append(BoxLine(text: (index > 0 ? "  " : "") + part, tooltip: tooltip ?? (cut ? text : nil), packet: packet, bold: bold,
                                 marker: marker && index == 0, alarm: alarm))
        }
    }
}
