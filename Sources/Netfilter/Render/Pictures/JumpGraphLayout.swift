/// A layered drawing of a chain graph, left to right: each chain in the column of its
/// longest jump distance from a chain nobody jumps to (iptables refuses loops, so every
/// edge goes right), edges spanning columns routed through placeholder points, the order
/// in each column by the barycentre of the neighbours (a few sweeps each way), each node
/// placed level with its callers where there is room.
struct JumpGraphLayout: Sendable {
    struct Placed: Sendable {
        var frame: Box
        var column: Int
    }

    var nodes: [Placed] = []
    /// Per edge, the points it passes from the source's right side to the target's left.
    var routes: [[Point]] = []
    var size = (width: 0.0, height: 0.0)
    /// Per edge, whether its label stands by the source (else by the target): by the end
    /// whose node has fewer edges there (a chain that calls many gets the labels by its
    /// callees, a chain called by many by its callers).
    var labelsNearSource: [Bool] = []

    /// An edge's label: its rule numbers, and how many chains an edge to the summary
    /// node stands for.
    static func label(_ graph: JumpGraph, _ edge: JumpGraph.Edge) -> String {
        var text = JumpGraph.ruleList(edge.rules)
        if graph.nodes[edge.to].isSummary { text += edge.chains == 1 ? " → 1 chain" : " → \(edge.chains) chains" }
        return text
    }

    static let nodeHeight = 38.0
    static let gapY = 14.0
    static let gapX = 90.0
    static let dummyHeight = 8.0

    init(_ graph: JumpGraph, top: Double, left: Double) {
        let count = graph.nodes.count
        guard count > 0 else { return }
        var outgoing = [[Int]](repeating: [], count: count)
        var incoming = [[Int]](repeating: [], count: count)
        for (index, edge) in graph.edges.enumerated() where edge.from != edge.to {
            outgoing[edge.from].append(index)
            incoming[edge.to].append(index)
        }
        // Longest path from the sources (a guard against loops in rules that have them).
        var rank = [Int](repeating: 0, count: count)
        var state = [UInt8](repeating: 0, count: count)
        // Sources first, so that a chain nobody calls starts a depth-first walk.
        var order: [Int] = []
        for root in (0..<count).sorted(by: { incoming[$0].isEmpty && !incoming[$1].isEmpty }) where state[root] == 0 {
            var stack: [(Int, Int)] = [(root, 0)]
            state[root] = 1
            while let (node, next) = stack.last {
                if next < outgoing[node].count {
                    stack[stack.count - 1].1 += 1
                    let target = graph.edges[outgoing[node][next]].to
                    if state[target] == 0 {
                        state[target] = 1
                        stack.append((target, 0))
                    }
                } else {
                    state[node] = 2
                    order.append(node)
                    stack.removeLast()
                }
            }
        }
        // Reversed post-order is a topological order; an edge against it closes a loop.
        var topological = [Int](repeating: 0, count: count)
        for (position, node) in order.reversed().enumerated() { topological[node] = position }
        for node in order.reversed() {
            for edge in outgoing[node] {
                let target = graph.edges[edge].to
                if topological[target] > topological[node] { rank[target] = max(rank[target], rank[node] + 1) }
            }
        }
        let columns = (rank.max() ?? 0) + 1
        // Members of each column: nodes (>= 0) and placeholders (-1 - index into `dummies`).
        var dummies: [(edge: Int, column: Int)] = []
        var members = [[Int]](repeating: [], count: columns)
        for node in 0..<count { members[rank[node]].append(node) }
        var chains = [[Int]](repeating: [], count: graph.edges.count)
        for (index, edge) in graph.edges.enumerated() {
            let from = rank[edge.from]
            let to = rank[edge.to]
            guard to > from + 1 else { continue }
            for column in (from + 1)..<to {
                chains[index].append(dummies.count)
                members[column].append(-1 - dummies.count)
                dummies.append((index, column))
            }
        }
        // Neighbours of each member in the columns left and right, for the barycentres.
        func neighbours(_ member: Int, left: Bool) -> [Int] {
            if member >= 0 {
                let edges = left ? incoming[member] : outgoing[member]
                return edges.map { edge -> Int in
                    let path = chains[edge]
                    if left { return path.last.map { -1 - $0 } ?? graph.edges[edge].from }
                    return path.first.map { -1 - $0 } ?? graph.edges[edge].to
                }
            }
            let dummy = -1 - member
            let edge = dummies[dummy].edge
            let path = chains[edge]
            guard let at = path.firstIndex(of: dummy) else { return [] }
            if left { return [at == 0 ? graph.edges[edge].from : -1 - path[at - 1]] }
            return [at == path.count - 1 ? graph.edges[edge].to : -1 - path[at + 1]]
        }
        var slot: [Int: Int] = [:]
        func number() { for column in members { for (index, member) in column.enumerated() { slot[member] = index } } }
        number()
        // The rule that leads into a member (for callers at the same height: rule order).
        func firstRule(_ member: Int) -> Int {
            let edges = member >= 0 ? incoming[member] : [dummies[-1 - member].edge]
            return edges.compactMap { graph.edges[$0].rules.first }.min() ?? 0
        }
        // Five sweeps, the last one rightward: callers decide, then their rule order.
        for sweep in 0..<5 {
            let leftward = sweep % 2 == 1
            let range = leftward ? Array((0..<columns).reversed()) : Array(0..<columns)
            for column in range {
                var keyed: [(member: Int, centre: Double, rule: Int, offset: Int)] = []
                for (offset, member) in members[column].enumerated() {
                    let near = neighbours(member, left: !leftward).compactMap { slot[$0] }
                    let centre = near.isEmpty ? Double(slot[member] ?? 0) : Double(near.reduce(0, +)) / Double(near.count)
                    keyed.append((member, centre, leftward ? 0 : firstRule(member), offset))
                }
                keyed.sort { a, b in
                    if a.centre != b.centre { return a.centre < b.centre }
                    if a.rule != b.rule { return a.rule < b.rule }
                    return a.offset < b.offset
                }
                members[column] = keyed.map { $0.member }
                for (index, member) in members[column].enumerated() { slot[member] = index }
            }
        }
        // Widths per column, then x.
        var widths = [Double](repeating: 60, count: columns)
        var nodeWidth = [Double](repeating: 0, count: count)
        for (index, node) in graph.nodes.enumerated() {
            let width = max(TextMetrics.width(node.name), TextMetrics.width(JumpGraph.detail(node))) + 20
            nodeWidth[index] = width.rounded(.up)
            widths[rank[index]] = max(widths[rank[index]], nodeWidth[index])
        }
        // The gap after each column holds the labels placed in it.
        labelsNearSource = graph.edges.map { graph.nodes[$0.to].isSummary || outgoing[$0.from].count <= incoming[$0.to].count }
        var gaps = [Double](repeating: Self.gapX, count: columns)
        for (index, edge) in graph.edges.enumerated() {
            let column = labelsNearSource[index] ? rank[edge.from] : rank[edge.to] - 1
            guard column >= 0, column < columns else { continue }
            gaps[column] = max(gaps[column], TextMetrics.width(Self.label(graph, edge), size: 11) + 40)
        }
        var columnX = [Double](repeating: left, count: columns)
        for column in 0..<columns where column > 0 { columnX[column] = columnX[column - 1] + widths[column - 1] + gaps[column - 1] }
        // y: each member level with the mean of its left neighbours where there is room.
        var centreY: [Int: Double] = [:]
        func height(_ member: Int) -> Double { member >= 0 ? Self.nodeHeight : Self.dummyHeight }
        var bottom = top
        for column in 0..<columns {
            var floor = top
            for member in members[column] {
                let near = neighbours(member, left: true).compactMap { centreY[$0] }
                let wanted = near.isEmpty ? floor + height(member) / 2 : near.reduce(0, +) / Double(near.count)
                let centre = max(wanted, floor + height(member) / 2)
                centreY[member] = centre
                floor = centre + height(member) / 2 + Self.gapY
            }
            bottom = max(bottom, floor)
        }
        nodes = (0..<count).map { index in
            let column = rank[index]
            let y = (centreY[index] ?? top) - Self.nodeHeight / 2
            return Placed(frame: Box(x: columnX[column], y: y, width: nodeWidth[index], height: Self.nodeHeight), column: column)
        }
        routes = graph.edges.enumerated().map { index, edge in
            let from = nodes[edge.from].frame
            let to = nodes[edge.to].frame
            var points = [Point(from.right, from.midY)]
            for dummy in chains[index] {
                let column = dummies[dummy].column
                let y = centreY[-1 - dummy] ?? from.midY
                points.append(Point(columnX[column] - 4, y))
                points.append(Point(columnX[column] + widths[column] + 4, y))
            }
            points.append(Point(to.x, to.midY))
            return points
        }
        let right = (0..<columns).map { columnX[$0] + widths[$0] }.max() ?? left
        size = (right - left, bottom - top)
    }

    /// SVG path data for an edge: cubic curves between its points, level at each end.
    static func curve(_ points: [Point]) -> String {
        guard let first = points.first else { return "" }
        var d = "M\(SVGWriter.number(first.x)) \(SVGWriter.number(first.y))"
        for (a, b) in zip(points, points.dropFirst()) {
            if a.y == b.y {
                d += " L\(SVGWriter.number(b.x)) \(SVGWriter.number(b.y))"
                continue
            }
            let dx = max((b.x - a.x) / 2, 20)
            d += " C\(SVGWriter.number(a.x + dx)) \(SVGWriter.number(a.y)) \(SVGWriter.number(b.x - dx)) \(SVGWriter.number(b.y)) "
                + "\(SVGWriter.number(b.x)) \(SVGWriter.number(b.y))"
        }
        return d
    }
}
