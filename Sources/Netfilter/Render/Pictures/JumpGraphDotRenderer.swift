/// `verdict graph --format dot`: the same graph as Graphviz input (a cluster per table,
/// built-in chains bold and filled, gotos dashed, rule numbers on the edges), for users who
/// lay it out with Graphviz themselves. verdict does not run Graphviz.
public enum JumpGraphDotRenderer {
    public static func dot(_ graphs: [JumpGraph]) -> String {
        var out = "digraph \"verdict\" {\n"
        out += "  rankdir=LR;\n"
        out += "  node [shape=box, style=rounded, fontname=\"monospace\", fontsize=10];\n"
        out += "  edge [fontname=\"monospace\", fontsize=9];\n"
        for graph in graphs {
            for note in graph.notes { out += "  // \(graph.table): \(note.replacingOccurrences(of: "\n", with: " "))\n" }
            out += "  subgraph \(quote("cluster_\(graph.table)")) {\n"
            out += "    label=\(quote("table \(graph.table)"));\n"
            for node in graph.nodes {
                var attributes = ["label=\(quote(node.name + "\n" + JumpGraph.detail(node)))"]
                if node.isBuiltin { attributes += ["style=\"filled,bold\"", "fillcolor=\"#e3ecfa\"", "color=\"#1a56b0\""] }
                if node.isSummary { attributes += ["style=\"dashed\"", "color=\"#9aa0a6\""] }
                if node.isUnused { attributes += ["color=\"#c5c9cd\""] }
                out += "    \(id(graph, node)) [\(attributes.joined(separator: ", "))];\n"
            }
            out += "  }\n"
            for edge in graph.edges {
                var attributes = ["label=\(quote(JumpGraphLayout.label(graph, edge)))"]
                if edge.kind == .goto { attributes += ["style=dashed", "color=\"#8e24aa\""] }
                out += "  \(id(graph, graph.nodes[edge.from])) -> \(id(graph, graph.nodes[edge.to])) [\(attributes.joined(separator: ", "))];\n"
            }
        }
        out += "}\n"
        return out
    }

    static func id(_ graph: JumpGraph, _ node: JumpGraph.Node) -> String {
        quote(node.isSummary ? "\(graph.table)/…" : "\(graph.table)/\(node.name)")
    }

    /// A DOT string: quotes and backslashes escaped, line breaks as `\n`.
    static func quote(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": break
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
