/// `verdict flow --format svg`: the packets of a flow drawn on the netfilter flow diagram.
/// The hooks of the IP and bridge layers are boxes in the kernel's order with their tables
/// in priority order; the request's journey and the reply's are drawn in two colours (the
/// reply dashed) along the diagram's tracks; each box a packet passed says what decided
/// there (the deciding rule per table, the routing or bridging decision); NAT rewrites
/// label the tracks; boxes no packet passed are grey. A request with several possible
/// outcomes gets one diagram per outcome (up to `maximumOutcomes`), each with the reply
/// to it; a reply with several outcomes is drawn by its first, the others noted.
public enum PathPictureRenderer {
    public static let maximumOutcomes = 4

    struct Palette {
        let line: String
        let text: String
        let dash: String?
        let marker: String
    }

    static let palettes = [
        Palette(line: "#1565c0", text: "#0d47a1", dash: nil, marker: "arrow-request"),
        Palette(line: "#ef6c00", text: "#b34700", dash: "7 4", marker: "arrow-reply"),
    ]
    static let grey = "#b8bec5"
    static let alarm = "#c62828"

    /// The SVG document for the packets of one `Flow.run` through the snapshot's host.
    public static func svg(_ packets: [FlowPacket], snapshot: HostSnapshot) -> String {
        var bridgePorts: [String: String] = [:]
        for interface in snapshot.interfaces {
            if let master = interface.master, snapshot.interface(named: master)?.isBridge == true { bridgePorts[interface.name] = master }
        }
        let family = packets.first?.packet.family ?? .ipv4
        let ruleset = family == .ipv6 ? (snapshot.ipv6Ruleset ?? Ruleset(family: .ipv6)) : snapshot.ruleset
        let hasBridge = !bridgePorts.isEmpty || snapshot.interfaces.contains { $0.isBridge } || snapshot.ebtables != nil
        let context = FlowDiagram.Context(ruleset: ruleset, ebtables: snapshot.ebtables, showsBridge: hasBridge)
        return svg(packets, context: context, bridgePorts: bridgePorts, notes: snapshot.notes)
    }

    /// One panel: a request outcome and the reply to it.
    struct Panel {
        var title: String?
        var packets: [FlowPacket?]
        var routes: [PacketRoute?]
        var outcomes: [PathOutcome?]
        var notes: [String]
    }

    static func panels(_ packets: [FlowPacket], bridgePorts: [String: String]) -> [Panel] {
        guard let request = packets.first(where: { $0.direction == .request }) else { return [] }
        var panels: [Panel] = []
        for (position, outcome) in request.outcomes.enumerated().prefix(maximumOutcomes) {
            var notes: [String] = []
            var title: String?
            if request.outcomes.count > 1 {
                let chance = outcome.probability.map { " (probability \(ChainWalker.percent($0)))" } ?? ""
                title = "outcome \(position + 1) of \(request.outcomes.count)\(chance): "
                    + (outcome.assumptions.isEmpty ? "no assumption" : outcome.assumptions.joined(separator: "; "))
            }
            let requestRoute = PacketRoute(request, outcome: outcome, bridgePorts: bridgePorts)
            notes += requestRoute.notes.map { "request: \($0)" }
            var reply: FlowPacket?
            var replyRoute: PacketRoute?
            var replyOutcome: PathOutcome?
            if let answer = packets.first(where: { $0.direction == .reply && $0.answering == position }), let first = answer.outcomes.first {
                reply = answer
                replyOutcome = first
                let route = PacketRoute(answer, outcome: first, bridgePorts: bridgePorts)
                replyRoute = route
                notes += route.notes.map { "reply: \($0)" }
                if answer.outcomes.count > 1 {
                    notes.append("reply: outcome 1 of \(answer.outcomes.count) drawn (\(first.assumptions.joined(separator: "; "))); the others: "
                                 + answer.outcomes.dropFirst().map { PathRenderer.fateText($0.fate) + " (" + $0.assumptions.joined(separator: "; ") + ")" }
                                    .joined(separator: ", "))
                }
            }
            panels.append(Panel(title: title, packets: [request, reply], routes: [requestRoute, replyRoute], outcomes: [outcome, replyOutcome], notes: notes))
        }
        if request.outcomes.count > maximumOutcomes {
            let rest = request.outcomes.dropFirst(maximumOutcomes).map { PathRenderer.fateText($0.fate) }
            panels[panels.count - 1].notes.append("outcomes \(maximumOutcomes + 1) to \(request.outcomes.count) are not drawn: " + rest.joined(separator: ", "))
        }
        return panels
    }

    static func svg(_ packets: [FlowPacket], context: FlowDiagram.Context, bridgePorts: [String: String], notes: [String]) -> String {
        let panels = panels(packets, bridgePorts: bridgePorts)
        var diagrams: [(panel: Panel, diagram: FlowDiagram, legendTop: Double, notesTop: Double)] = []
        var y = 16.0
        var width = 640.0
        let request = packets.first { $0.direction == .request }
        var heading = "verdict flow"
        if let request { heading += ": " + PathRenderer.header(request) + " (\(PacketDescription.protocolName(request.packet)), from \(request.origin))" }
        width = max(width, TextMetrics.width(heading, size: 15) + 2 * FlowDiagram.margin)
        y += 14
        let globalNotes = notes.map { "note: \($0)" }
        for note in globalNotes { width = max(width, TextMetrics.width(note) + 2 * FlowDiagram.margin) }
        y += Double(globalNotes.count) * TextMetrics.lineHeight + 8
        for panel in panels {
            let legendTop = y
            let legendLines = (panel.title == nil ? 0 : 1) + panel.packets.compactMap { $0 }.count * 2 + 1
            var diagram = FlowDiagram(routes: panel.routes, packets: panel.packets, context: context)
            diagram.layout(top: legendTop + Double(legendLines) * TextMetrics.lineHeight + 4)
            let notesTop = diagram.origin.y + diagram.size.height + 4
            y = notesTop + Double(panel.notes.count) * TextMetrics.lineHeight + 24
            width = max(width, diagram.size.width)
            for line in legend(panel) { width = max(width, TextMetrics.width(line.text) + 80 + FlowDiagram.margin) }
            for note in panel.notes { width = max(width, TextMetrics.width(note) + 2 * FlowDiagram.margin) }
            diagrams.append((panel, diagram, legendTop, notesTop))
        }
        var svg = SVGWriter(width: width.rounded(.up), height: y.rounded(.up))
        svg.element("title", text: heading)
        svg.start("defs")
        svg.arrowMarker(id: "arrow-grey", colour: grey)
        for palette in palettes { svg.arrowMarker(id: palette.marker, colour: palette.line) }
        svg.end()
        svg.rect(x: 0, y: 0, width: width.rounded(.up), height: y.rounded(.up), [("fill", "#ffffff")])
        svg.text(heading, x: FlowDiagram.margin, y: 24, [("font-size", "15"), ("font-weight", "bold"), ("fill", "#202124")])
        for (index, note) in globalNotes.enumerated() {
            svg.text(note, x: FlowDiagram.margin, y: 44 + Double(index) * TextMetrics.lineHeight, [("fill", "#5f6368")])
        }
        for (panel, diagram, legendTop, notesTop) in diagrams {
            draw(panel, diagram, legendTop: legendTop, notesTop: notesTop, width: width, into: &svg)
        }
        return svg.finish()
    }

    struct LegendLine {
        var text: String
        var packet: Int?
        var bold: Bool
    }

    static func legend(_ panel: Panel) -> [LegendLine] {
        var lines: [LegendLine] = []
        if let title = panel.title { lines.append(LegendLine(text: title, packet: nil, bold: true)) }
        for (index, packet) in panel.packets.enumerated() {
            guard let packet, let outcome = panel.outcomes[index] else { continue }
            lines.append(LegendLine(text: "\(PathRenderer.header(packet)) (\(PacketDescription.protocolName(packet.packet)), from \(packet.origin))",
                                    packet: index, bold: true))
            var fate = PathRenderer.fateText(outcome.fate)
            let after = PacketRoute.addresses(outcome.packet)
            if after != PacketRoute.addresses(packet.packet) { fate += "; after NAT: \(after)" }
            lines.append(LegendLine(text: fate, packet: index, bold: false))
        }
        lines.append(LegendLine(text: "grey: hooks no drawn packet passed; hover over a shortened line for all of it", packet: nil, bold: false))
        return lines
    }

    static func style(_ palette: Palette, width: Double = 2.5) -> [(String, String)] {
        var style = [("stroke", palette.line), ("stroke-width", SVGWriter.number(width)), ("fill", "none")]
        if let dash = palette.dash { style.append(("stroke-dasharray", dash)) }
        return style
    }

    static func draw(_ panel: Panel, _ diagram: FlowDiagram, legendTop: Double, notesTop: Double, width: Double, into svg: inout SVGWriter) {
        svg.start("g", [("class", "panel")])
        // The legend: a line sample per packet, its header and fate.
        for (index, line) in legend(panel).enumerated() {
            let y = legendTop + Double(index) * TextMetrics.lineHeight + 12
            var x = FlowDiagram.margin
            if let packet = line.packet {
                if line.bold {
                    svg.path("M\(SVGWriter.number(x)) \(SVGWriter.number(y - 4)) h34", style(palettes[packet]) + [("class", "legend-\(packet == 0 ? "request" : "reply")")])
                }
                x += 44
            }
            var attributes = [("fill", line.packet.map { palettes[$0].text } ?? "#3c4043")]
            if line.bold { attributes.append(("font-weight", "bold")) }
            svg.text(line.text, x: x, y: y, attributes)
        }
        // The layers behind the boxes.
        let top = diagram.origin.y
        let boundary = diagram.layerBoundary
        svg.rect(x: 4, y: top, width: width - 8, height: boundary - top, radius: 6, [("fill", "#f4f8f4"), ("stroke", "#dfe8df")])
        svg.text("IP layer (iptables)", x: FlowDiagram.margin, y: top + 16, [("fill", "#5b7a5b"), ("font-weight", "bold")])
        if diagram.context.showsBridge {
            let bottom = top + diagram.size.height
            svg.rect(x: 4, y: boundary + 2, width: width - 8, height: bottom - boundary - 2, radius: 6, [("fill", "#f3f6fb"), ("stroke", "#dde4f0")])
            svg.text("bridge layer (ebtables; br_netfilter calls iptables)", x: FlowDiagram.margin, y: boundary + 18,
                     [("fill", "#56698a"), ("font-weight", "bold")])
        }
        // Every track in grey, then the boxes, then each packet's journey on top.
        svg.start("g", [("class", "tracks")])
        let used = Set(panel.routes.compactMap { $0 }.flatMap { route in zip(route.visits, route.visits.dropFirst()).map { "\($0.station)>\($1.station)" } })
        for track in FlowTracks.all {
            // The loop back through lo only when a packet takes it.
            if track.to == .ipHook(.prerouting) && track.from == .ipHook(.postrouting) && !used.contains("\(track.from)>\(track.to)") { continue }
            guard let points = diagram.track(from: track.from, to: track.to) else { continue }
            svg.polyline(points, [("stroke", grey), ("stroke-width", "1.2"), ("marker-end", "url(#arrow-grey)")])
        }
        svg.end()
        if used.contains("\(FlowStation.ipHook(.postrouting))>\(FlowStation.ipHook(.prerouting))"),
           let loop = diagram.track(from: .ipHook(.postrouting), to: .ipHook(.prerouting)), loop.count > 3 {
            svg.text("loopback: out of lo, back in on lo", x: (loop[2].x + loop[3].x) / 2, y: loop[2].y - 6, anchor: "middle", [("fill", "#5f6368")])
        }
        for row in diagram.rows {
            for station in row {
                guard let box = diagram.boxes[station] else { continue }
                drawBox(box, into: &svg)
            }
        }
        for (packet, route) in panel.routes.enumerated() {
            guard let route else { continue }
            let palette = palettes[packet]
            svg.start("g", [("class", packet == 0 ? "path-request" : "path-reply")])
            let offset = packet == 0 ? -2.5 : 2.5
            for (a, b) in zip(route.visits, route.visits.dropFirst()) {
                if let points = diagram.track(from: a.station, to: b.station) ?? rareTrack(diagram, a.station, b.station) {
                    svg.polyline(shifted(points, by: offset), style(palette) + [("marker-end", "url(#\(palette.marker))")])
                } else if let from = diagram.boxes[a.station]?.frame, let to = diagram.boxes[b.station]?.frame {
                    // No track in the diagram: a straight line, thinner.
                    svg.polyline([Point(from.midX, from.bottom), Point(to.midX, to.y)],
                                 style(palette, width: 1.5) + [("stroke-dasharray", "2 3"), ("marker-end", "url(#\(palette.marker))")])
                }
            }
            svg.end()
        }
        // NAT labels on the tracks, under their line (beside a vertical one).
        var stacked: [FlowDiagram.TrackKey: Int] = [:]
        for (key, labels) in diagram.labels.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            guard let points = diagram.track(from: key.from, to: key.to), points.count >= 2 else { continue }
            for label in labels {
                let count = stacked[key, default: 0]
                stacked[key] = count + 1
                let vertical = points[0].x == points[1].x
                let width = TextMetrics.width(label.text)
                let x = vertical ? points[0].x + 8 : (points[0].x + points[1].x) / 2 - width / 2
                let y = vertical ? (points[0].y + points[1].y) / 2 + Double(count) * 15 : points[0].y + 17 + Double(count) * 15
                svg.rect(x: x - 3, y: y - 11, width: width + 6, height: 15, radius: 3, [("fill", "#ffffff"), ("stroke", palettes[label.packet].line),
                                                                                     ("stroke-width", "0.8")])
                svg.text(label.text, x: x, y: y, [("class", "nat"), ("fill", palettes[label.packet].text), ("font-weight", "bold")])
            }
        }
        for (index, note) in panel.notes.enumerated() {
            svg.text(note, x: FlowDiagram.margin, y: notesTop + 12 + Double(index) * TextMetrics.lineHeight, [("fill", "#5f6368")])
        }
        svg.end()
    }

    static func rareTrack(_ diagram: FlowDiagram, _ from: FlowStation, _ to: FlowStation) -> [Point]? {
        FlowTracks.rare.contains { $0.from == from && $0.to == to } ? diagram.track(from: from, to: to) : nil
    }

    /// The points moved sideways (perpendicular to each axis-parallel segment), so that
    /// the two packets' lines run side by side on a shared track.
    static func shifted(_ points: [Point], by offset: Double) -> [Point] {
        guard points.count >= 2 else { return points }
        return points.enumerated().map { index, point in
            let before = index > 0 ? points[index - 1] : nil
            let after = index + 1 < points.count ? points[index + 1] : nil
            var dx = 0.0
            var dy = 0.0
            for neighbour in [before, after].compactMap({ $0 }) {
                if neighbour.y == point.y { dy = offset } else if neighbour.x == point.x { dx = offset }
            }
            return Point(point.x + dx, point.y + dy)
        }
    }

    static func drawBox(_ box: StationBox, into svg: inout SVGWriter) {
        let frame = box.frame
        let rounded: Double
        switch box.station {
        case .routing, .localRouting, .bridging: rounded = 14
        case .entry, .exit: rounded = 10
        default: rounded = 4
        }
        let name = stationID(box.station)
        svg.start("g", [("class", box.isGrey ? "station grey" : "station visited"), ("id", name)])
        svg.rect(x: frame.x, y: frame.y, width: frame.width, height: frame.height, radius: rounded,
                 [("fill", box.isGrey ? "#f7f8f9" : "#ffffff"), ("stroke", box.isGrey ? "#c9ced3" : "#5f6368"), ("stroke-width", "1")])
        let passers = box.visitedBy.union(box.passedBy).sorted()
        for (order, packet) in passers.enumerated() {
            let inset = Double(order) * 3.5 + 1.5
            var style = [("fill", "none"), ("stroke", palettes[packet].line), ("stroke-width", "2")]
            if !box.visitedBy.contains(packet) { style.append(("stroke-dasharray", "3 3")) } else if let dash = palettes[packet].dash { style.append(("stroke-dasharray", dash)) }
            svg.rect(x: frame.x + inset, y: frame.y + inset, width: frame.width - 2 * inset, height: frame.height - 2 * inset,
                     radius: max(rounded - inset, 0), style)
        }
        let ink = box.isGrey ? "#9aa0a6" : "#202124"
        svg.text(box.title, x: frame.x + StationBox.padding, y: frame.y + 17, [("class", "title"), ("font-weight", "bold"), ("fill", ink)])
        for (index, line) in box.lines.enumerated() {
            let y = frame.y + StationBox.titleHeight + Double(index) * TextMetrics.lineHeight + 11
            var x = frame.x + StationBox.padding
            var colour = box.isGrey ? "#9aa0a6" : "#3c4043"
            if let packet = line.packet {
                colour = line.alarm ? alarm : palettes[packet].text
                if line.marker {
                    if packet == 0 {
                        svg.empty("circle", [("cx", SVGWriter.number(x + 5)), ("cy", SVGWriter.number(y - 4)), ("r", "3.5"), ("fill", palettes[packet].line)])
                    } else {
                        svg.empty("circle", [("cx", SVGWriter.number(x + 5)), ("cy", SVGWriter.number(y - 4)), ("r", "3"), ("fill", "#ffffff"),
                                             ("stroke", palettes[packet].line), ("stroke-width", "1.6")])
                    }
                }
                x += BoxLine.indent
            }
            var attributes = [("fill", colour)]
            if line.bold { attributes.append(("font-weight", "bold")) }
            svg.text(line.text, x: x, y: y, tooltip: line.tooltip, attributes)
        }
        svg.end()
    }

    /// A stable id for a station's group: `ip-FORWARD`, `br-FORWARD`, `eb-OUTPUT`, ...
    static func stationID(_ station: FlowStation) -> String {
        switch station {
        case .entry(let layer): return "in-\(layer.rawValue)"
        case .exit(let layer): return "out-\(layer.rawValue)"
        case .ipHook(let hook): return "ip-\(hook.rawValue)"
        case .bridgedHook(let hook): return "brnf-\(hook.rawValue)"
        case .bridgeHook(let chain): return "eb-\(chain)"
        case .routing: return "routing"
        case .localRouting: return "local-routing"
        case .bridging: return "bridging"
        case .localProcess: return "local-process"
        }
    }
}
