/// `verdict graph --format svg`: per table, its chains as boxes in layers from the
/// built-in chains (bold, blue, with their policy), jumps as solid arrows and gotos as
/// dashed ones, labelled with the rule numbers that make them.
public enum JumpGraphSVGRenderer {
    static let jumpColour = "#5f6368"
    static let gotoColour = "#8e24aa"

    public static func svg(_ graphs: [JumpGraph], title: String) -> String {
        let margin = 24.0
        var y = 44.0
        var width = TextMetrics.width(title, size: 15) + 2 * margin
        var placed: [(graph: JumpGraph, layout: JumpGraphLayout, top: Double)] = []
        for graph in graphs {
            let top = y
            let notes = Double(graph.notes.count) * TextMetrics.lineHeight
            let layout = JumpGraphLayout(graph, top: top + 34 + notes, left: margin + 8)
            placed.append((graph, layout, top))
            width = max(width, layout.size.width + 2 * margin + 16, TextMetrics.width(heading(graph)) + 2 * margin)
            for note in graph.notes { width = max(width, TextMetrics.width(note) + 2 * margin) }
            y = top + 34 + notes + layout.size.height + 28
        }
        var svg = SVGWriter(width: width.rounded(.up), height: y.rounded(.up))
        svg.element("title", text: title)
        svg.start("defs")
        svg.arrowMarker(id: "arrow-jump", colour: jumpColour)
        svg.arrowMarker(id: "arrow-goto", colour: gotoColour)
        svg.end()
        svg.rect(x: 0, y: 0, width: width.rounded(.up), height: y.rounded(.up), [("fill", "#ffffff")])
        svg.text(title, x: margin, y: 26, [("font-size", "15"), ("font-weight", "bold"), ("fill", "#202124")])
        for (graph, layout, top) in placed {
            svg.start("g", [("class", "table"), ("id", "table-\(graph.table)")])
            svg.rect(x: margin - 12, y: top, width: width - 2 * margin + 24, height: layout.size.height + 34 + Double(graph.notes.count) * 16 + 14,
                     radius: 6, [("fill", "#fafbfc"), ("stroke", "#dadce0")])
            svg.text(heading(graph), x: margin, y: top + 20, [("font-weight", "bold"), ("fill", "#3c4043")])
            for (index, note) in graph.notes.enumerated() {
                svg.text(note, x: margin, y: top + 38 + Double(index) * TextMetrics.lineHeight, [("fill", "#5f6368"), ("class", "note")])
            }
            drawEdges(graph, layout, into: &svg)
            for (index, node) in graph.nodes.enumerated() { drawNode(node, frame: layout.nodes[index].frame, table: graph.table, into: &svg) }
            drawLabels(graph, layout, into: &svg)
            svg.end()
        }
        return svg.finish()
    }

    static func heading(_ graph: JumpGraph) -> String {
        let rules = graph.nodes.filter { !$0.isSummary }.reduce(0) { $0 + $1.ruleCount }
        let chains = graph.nodes.filter { !$0.isSummary }.count
        return "table \(graph.table): \(chains == 1 ? "1 chain" : "\(chains) chains"), \(rules == 1 ? "1 rule" : "\(rules) rules")"
            + " — jumps solid, gotos dashed, labels are rule numbers"
    }

    static func drawEdges(_ graph: JumpGraph, _ layout: JumpGraphLayout, into svg: inout SVGWriter) {
        for (index, edge) in graph.edges.enumerated() {
            var style = [("fill", "none"), ("stroke-width", "1.4")]
            if edge.kind == .goto {
                style += [("stroke", gotoColour), ("stroke-dasharray", "6 4"), ("marker-end", "url(#arrow-goto)"), ("class", "edge goto")]
            } else {
                style += [("stroke", jumpColour), ("marker-end", "url(#arrow-jump)"), ("class", "edge jump")]
            }
            let from = graph.nodes[edge.from].name
            let to = graph.nodes[edge.to].name
            svg.start("g", [("class", "edge-\(edge.kind.rawValue)")])
            svg.element("title", text: "\(graph.table)/\(from) \(JumpGraph.ruleList(edge.rules, limit: 50)) \(edge.kind == .goto ? "-g" : "-j") \(to)")
            svg.path(JumpGraphLayout.curve(layout.routes[index]), style)
            svg.end()
        }
    }

    /// Rule numbers by the end of the edge the layout chose (see `JumpGraphLayout`).
    static func drawLabels(_ graph: JumpGraph, _ layout: JumpGraphLayout, into svg: inout SVGWriter) {
        for (index, edge) in graph.edges.enumerated() {
            let text = JumpGraphLayout.label(graph, edge)
            let route = layout.routes[index]
            guard let first = route.first, let last = route.last else { continue }
            let width = TextMetrics.width(text, size: 11)
            let nearSource = layout.labelsNearSource[index]
            let x = nearSource ? first.x + 6 : last.x - width - 10
            let y = (nearSource ? first.y : last.y) - 4
            svg.rect(x: x - 2, y: y - 10, width: width + 4, height: 13, radius: 2, [("fill", "#ffffff"), ("fill-opacity", "0.85")])
            svg.text(text, x: x, y: y, [("font-size", "11"), ("fill", edge.kind == .goto ? gotoColour : "#3c4043"), ("class", "rules")])
        }
    }

    static func drawNode(_ node: JumpGraph.Node, frame: Box, table: String, into svg: inout SVGWriter) {
        var style: [(String, String)]
        if node.isSummary {
            style = [("fill", "#f1f3f4"), ("stroke", "#9aa0a6"), ("stroke-dasharray", "4 3")]
        } else if node.isBuiltin {
            style = [("fill", "#e3ecfa"), ("stroke", "#1a56b0"), ("stroke-width", "2")]
        } else {
            style = [("fill", "#ffffff"), ("stroke", node.isUnused ? "#c5c9cd" : "#80868b")]
        }
        svg.start("g", [("class", node.isBuiltin ? "chain builtin" : node.isSummary ? "chain summary" : "chain"), ("id", "chain-\(table)-\(node.name)")])
        svg.rect(x: frame.x, y: frame.y, width: frame.width, height: frame.height, radius: node.isBuiltin ? 3 : 8, style)
        svg.text(node.name, x: frame.x + 10, y: frame.y + 16, [("font-weight", "bold"), ("fill", node.isBuiltin ? "#0d3c7d" : "#202124")])
        let policyColour = node.policy == "DROP" ? "#c62828" : "#5f6368"
        svg.text(JumpGraph.detail(node), x: frame.x + 10, y: frame.y + 31, [("font-size", "11"), ("fill", policyColour)])
        svg.end()
    }
}
