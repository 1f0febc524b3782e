import XCTest
@testable import Netfilter

/// `verdict graph`: chains as nodes, jumps and gotos as edges with their rule numbers, a
/// layout whose edges go left to right, a cap for big tables, and dot output.
final class JumpGraphTests: XCTestCase {
    static let rules = """
    *filter
    :INPUT ACCEPT [0:0]
    :FORWARD DROP [0:0]
    :OUTPUT ACCEPT [0:0]
    :A - [0:0]
    :B - [0:0]
    :C - [0:0]
    :LONELY - [0:0]
    -A INPUT -p tcp -j A
    -A INPUT -p udp -j A
    -A INPUT -j C
    -A FORWARD -g B
    -A A -j B
    -A B -j C
    -A C -j ACCEPT
    -A LONELY -j DROP
    COMMIT

    """

    func table() throws -> Table {
        let parsed = SaveParser.parse(Self.rules, family: .ipv4)
        XCTAssertEqual(parsed.diagnostics, [])
        return try XCTUnwrap(parsed.ruleset.table(named: "filter"))
    }

    func testNodesAndEdges() throws {
        let graph = JumpGraph(try table())
        XCTAssertEqual(graph.nodes.map(\.name), ["INPUT", "A", "B", "C", "FORWARD", "OUTPUT", "LONELY"], "built-ins in hook order, depth first")
        let forward = try XCTUnwrap(graph.nodes.first { $0.name == "FORWARD" })
        XCTAssertEqual(JumpGraph.detail(forward), "policy DROP · 1 rule")
        XCTAssertEqual(JumpGraph.detail(try XCTUnwrap(graph.nodes.first { $0.name == "LONELY" })), "1 rule · unused")
        func edge(_ from: String, _ to: String) -> JumpGraph.Edge? {
            graph.edges.first { graph.nodes[$0.from].name == from && graph.nodes[$0.to].name == to }
        }
        XCTAssertEqual(edge("INPUT", "A")?.rules, [1, 2], "one edge for two rules")
        XCTAssertEqual(edge("INPUT", "A")?.kind, .jump)
        XCTAssertEqual(edge("FORWARD", "B")?.kind, .goto)
        XCTAssertEqual(edge("INPUT", "C")?.rules, [3])
        XCTAssertEqual(graph.edges.count, 5)
        XCTAssertEqual(JumpGraph.ruleList([1, 2, 3, 7, 9, 10]), "#1-#3,#7,#9-#10")
    }

    func testLayoutRunsLeftToRightWithoutOverlaps() throws {
        let graph = JumpGraph(try table())
        let layout = JumpGraphLayout(graph, top: 0, left: 0)
        for edge in graph.edges {
            XCTAssertLessThan(layout.nodes[edge.from].column, layout.nodes[edge.to].column, "\(graph.nodes[edge.from].name) → \(graph.nodes[edge.to].name)")
        }
        // C is called from INPUT directly and through A and B: the longest way decides.
        XCTAssertEqual(layout.nodes[3].column, 3)
        for (index, node) in layout.nodes.enumerated() {
            XCTAssertGreaterThanOrEqual(node.frame.width, TextMetrics.width(graph.nodes[index].name) + 20)
            for other in layout.nodes[(index + 1)...] { XCTAssertFalse(node.frame.intersects(other.frame)) }
        }
        // INPUT → C spans two columns: it passes them through placeholder points.
        let long = try XCTUnwrap(graph.edges.firstIndex { graph.nodes[$0.from].name == "INPUT" && graph.nodes[$0.to].name == "C" })
        XCTAssertEqual(layout.routes[long].count, 2 + 2 * 2)
    }

    func testBigTablesAreCutWithANote() throws {
        var text = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:SERVICES - [0:0]\n"
        for service in 0..<400 { text += ":SVC-\(service) - [0:0]\n:SEP-\(service) - [0:0]\n" }
        text += "-A PREROUTING -j SERVICES\n"
        for service in 0..<400 {
            text += "-A SERVICES -d 10.0.\(service / 250).\(service % 250)/32 -j SVC-\(service)\n-A SVC-\(service) -j SEP-\(service)\n"
            text += "-A SEP-\(service) -p tcp -j DNAT --to-destination 10.1.0.1:80\n"
        }
        text += "COMMIT\n"
        let parsed = SaveParser.parse(text, family: .ipv4)
        XCTAssertEqual(parsed.diagnostics, [])
        let table = try XCTUnwrap(parsed.ruleset.table(named: "nat"))
        let graph = JumpGraph(table, limit: 50)
        XCTAssertEqual(graph.nodes.count, 51, "50 chains and one for the rest")
        XCTAssert(graph.nodes.last?.isSummary == true)
        XCTAssertEqual(graph.nodes.last?.name, "… 755 more chains")
        XCTAssert(graph.notes.first?.contains("755 of the 805 chains are not drawn") == true, "\(graph.notes)")
        // Depth first: whole services are drawn, SVC then its SEP.
        XCTAssertEqual(Array(graph.nodes.map(\.name)[0...4]), ["PREROUTING", "SERVICES", "SVC-0", "SEP-0", "SVC-1"])
        XCTAssertEqual(Array(graph.nodes.map(\.name).suffix(4)), ["INPUT", "OUTPUT", "POSTROUTING", "… 755 more chains"], "built-in chains always")
        let toSummary = graph.edges.filter { graph.nodes[$0.to].isSummary }
        XCTAssertEqual(toSummary.count, 2, "from SERVICES and from the last SVC drawn")
        XCTAssertEqual(toSummary.first { graph.nodes[$0.from].name == "SERVICES" }?.chains, 377, "SVC-23 to SVC-399")
        // --chain: what one chain reaches.
        let one = JumpGraph(table, start: "SVC-7")
        XCTAssertEqual(one.nodes.map(\.name), ["SVC-7", "SEP-7"])
        XCTAssertEqual(one.edges.count, 1)
        let svg = JumpGraphSVGRenderer.svg([graph], title: "nat")
        try assertSelfContained(svg)
    }

    func testSVGHasANodePerChainAndAnEdgePerJump() throws {
        let graph = JumpGraph(try table())
        let svg = JumpGraphSVGRenderer.svg([graph], title: "verdict graph: test")
        try assertSelfContained(svg)
        let root = try SVGElement.parse(svg)
        let chains = root.all.filter { ($0.attributes["class"] ?? "").hasPrefix("chain") }
        XCTAssertEqual(chains.count, 7)
        XCTAssertEqual(chains.filter { $0.attributes["class"] == "chain builtin" }.count, 3)
        XCTAssert(root.group(id: "chain-filter-FORWARD")?.texts.contains("policy DROP · 1 rule") == true)
        XCTAssertEqual(root.all.filter { $0.attributes["class"] == "edge jump" }.count, 4)
        let gotos = root.all.filter { $0.attributes["class"] == "edge goto" }
        XCTAssertEqual(gotos.count, 1)
        XCTAssertNotNil(gotos.first?.attributes["stroke-dasharray"], "gotos are dashed")
        XCTAssert(root.all.filter { $0.attributes["class"] == "rules" }.map(\.text).contains("#1,#2") == false)
        XCTAssert(root.all.filter { $0.attributes["class"] == "rules" }.map(\.text).contains("#1-#2"))
    }

    func testDotOutput() throws {
        let dot = JumpGraphDotRenderer.dot([JumpGraph(try table())])
        XCTAssert(dot.hasPrefix("digraph \"verdict\" {\n"))
        XCTAssert(dot.contains("subgraph \"cluster_filter\" {"))
        XCTAssert(dot.contains("\"filter/FORWARD\" [label=\"FORWARD\\npolicy DROP · 1 rule\", style=\"filled,bold\""), dot)
        XCTAssert(dot.contains("\"filter/INPUT\" -> \"filter/A\" [label=\"#1-#2\"];"), dot)
        XCTAssert(dot.contains("\"filter/FORWARD\" -> \"filter/B\" [label=\"#1\", style=dashed"), dot)
        assertBalanced(dot)
        XCTAssertEqual(JumpGraphDotRenderer.quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"")
    }

    /// Braces and brackets balance outside quoted strings, every string is closed.
    func assertBalanced(_ dot: String, file: StaticString = #filePath, line: UInt = #line) {
        var depth = 0, brackets = 0, quoted = false, escaped = false
        for character in dot {
            if quoted {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { quoted = false }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "{": depth += 1
            case "}": depth -= 1
            case "[": brackets += 1
            case "]": brackets -= 1
            default: break
            }
            XCTAssertGreaterThanOrEqual(depth, 0, file: file, line: line)
        }
        XCTAssertFalse(quoted, "every string closed", file: file, line: line)
        XCTAssertEqual(depth, 0, file: file, line: line)
        XCTAssertEqual(brackets, 0, file: file, line: line)
    }
}
