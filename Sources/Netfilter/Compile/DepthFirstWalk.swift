/// A depth-first walk over a graph of positions (a table's chains) with an explicit stack
/// rather than recursion: the kernel loads a line of 100,000 chains, and one call frame per
/// chain would overflow the thread's stack. It reports what a recursive `visit` would do,
/// in the same order, as events: entering a node, meeting an edge back to a node still on
/// the path (a loop), and leaving a node once all its edges are done (post-order; the node
/// is still on the path and marked `.onPath` until the next event, as in a recursive
/// visit's last lines).
struct DepthFirstWalk {
    /// Where a node stands in the walk.
    enum Mark: UInt8 {
        case new, onPath, done
    }

    /// What the walk did next.
    enum Event: Equatable {
        case enter(Int)
        /// The edge `edge` (an index into `targets[from]`) leads back to `to`, which is on
        /// the path: the path from `to` on, then `to` again, is a loop.
        case loop(from: Int, edge: Int, to: Int)
        case leave(Int)
    }

    /// For each node, its edges in order: the target's position, or a negative number for
    /// an edge the walk does not follow (it keeps the other edges' indices).
    let targets: [[Int]]
    private(set) var marks: [Mark]
    /// The nodes entered and not yet left, from the root on.
    private(set) var path: [Int] = []
    /// For each node on the path, its index there (-1 for the others).
    private var pathIndex: [Int]
    /// For each node on the path, the index of its next edge to follow.
    private var nextEdge: [Int] = []
    private var pendingEnter: Int?
    /// The node whose `.leave` was the last event: it leaves the path at the next call.
    private var leaving = false

    init(targets: [[Int]]) {
        self.targets = targets
        marks = [Mark](repeating: .new, count: targets.count)
        pathIndex = [Int](repeating: -1, count: targets.count)
    }

    /// Starts a walk from `root` (a node not walked yet); `next()` then reports its events.
    mutating func start(at root: Int) {
        guard marks.indices.contains(root), marks[root] == .new, path.isEmpty else { return }
        pendingEnter = root
    }

    /// The loop an event `.loop(from:edge:to:)` found: the nodes from `to` to the end of the
    /// path, then `to` again.
    func loop(closingAt node: Int) -> [Int] {
        guard pathIndex.indices.contains(node), pathIndex[node] >= 0 else { return [node] }
        return Array(path[pathIndex[node]...]) + [node]
    }

    /// The walk's next event, nil when the walk from the root is over.
    mutating func next() -> Event? {
        if leaving, let node = path.popLast() {
            leaving = false
            nextEdge.removeLast()
            pathIndex[node] = -1
            marks[node] = .done
        }
        if let root = pendingEnter {
            pendingEnter = nil
            return enter(root)
        }
        while let node = path.last {
            let top = nextEdge.count - 1
            let edges = targets[node]
            while nextEdge[top] < edges.count {
                let edge = nextEdge[top]
                nextEdge[top] += 1
                let target = edges[edge]
                guard target >= 0 else { continue }
                switch marks[target] {
                case .onPath: return .loop(from: node, edge: edge, to: target)
                case .new: return enter(target)
                case .done: continue
                }
            }
            leaving = true
            return .leave(node)
        }
        return nil
    }

    private mutating func enter(_ node: Int) -> Event {
        marks[node] = .onPath
        pathIndex[node] = path.count
        path.append(node)
        nextEdge.append(0)
        return .enter(node)
    }
}
