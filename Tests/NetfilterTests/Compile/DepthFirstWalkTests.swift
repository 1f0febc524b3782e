import XCTest
@testable import Netfilter

/// The iterative depth-first walk reports what a recursive walk does, event for event, and
/// walks a line of 100,000 chains (a recursive walk overflowed the stack there).
final class DepthFirstWalkTests: XCTestCase {
    /// The recursive walk the explicit stack replaces: the reference for the events.
    func recursiveEvents(_ targets: [[Int]], roots: [Int]) -> (events: [DepthFirstWalk.Event], loops: [[Int]]) {
        var marks = [DepthFirstWalk.Mark](repeating: .new, count: targets.count)
        var path: [Int] = []
        var events: [DepthFirstWalk.Event] = []
        var loops: [[Int]] = []
        func visit(_ node: Int) {
            marks[node] = .onPath
            path.append(node)
            events.append(.enter(node))
            for (edge, target) in targets[node].enumerated() where target >= 0 {
                switch marks[target] {
                case .onPath:
                    events.append(.loop(from: node, edge: edge, to: target))
                    loops.append(Array(path[(path.firstIndex(of: target) ?? 0)...]) + [target])
                case .new: visit(target)
                case .done: break
                }
            }
            events.append(.leave(node))
            path.removeLast()
            marks[node] = .done
        }
        for root in roots where marks[root] == .new { visit(root) }
        return (events, loops)
    }

    func iterativeEvents(_ targets: [[Int]], roots: [Int]) -> (events: [DepthFirstWalk.Event], loops: [[Int]]) {
        var walk = DepthFirstWalk(targets: targets)
        var events: [DepthFirstWalk.Event] = []
        var loops: [[Int]] = []
        for root in roots {
            walk.start(at: root)
            while let event = walk.next() {
                events.append(event)
                if case .loop(_, _, let to) = event { loops.append(walk.loop(closingAt: to)) }
            }
        }
        return (events, loops)
    }

    func testSameEventsAsTheRecursiveWalkOnRandomGraphs() {
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<300 {
            let count = Int.random(in: 1...12, using: &generator)
            // Edges to any node (loops and self-loops included), some skipped (-1).
            func random(_ range: Range<Int>) -> Int { Int.random(in: range, using: &generator) }
            let targets = (0..<count).map { _ in (0..<random(0..<5)).map { _ in random(-1..<count) } }
            let roots = (0..<random(1..<4)).map { _ in random(0..<count) }
            let expected = recursiveEvents(targets, roots: roots)
            let found = iterativeEvents(targets, roots: roots)
            XCTAssertEqual(found.events, expected.events, "graph \(targets), roots \(roots)")
            XCTAssertEqual(found.loops, expected.loops, "graph \(targets), roots \(roots)")
        }
    }

    func testALeavingNodeIsStillOnThePath() {
        // A recursive visit's last lines see the node itself as in progress (a self-jump).
        var walk = DepthFirstWalk(targets: [[1], [1]])
        walk.start(at: 0)
        var marksAtLeave: [DepthFirstWalk.Mark] = []
        while let event = walk.next() {
            if case .leave(let node) = event { marksAtLeave.append(walk.marks[node]) }
        }
        XCTAssertEqual(marksAtLeave, [.onPath, .onPath])
        XCTAssertEqual(walk.marks, [.done, .done])
    }

    func testALineOf100000Nodes() {
        let count = 100_000
        let targets = (0..<count).map { $0 + 1 < count ? [$0 + 1] : [0] }
        var walk = DepthFirstWalk(targets: targets)
        walk.start(at: 0)
        var entered = 0, left = 0
        var loops: [[Int]] = []
        while let event = walk.next() {
            switch event {
            case .enter: entered += 1
            case .leave(let node):
                XCTAssertEqual(node, count - 1 - left)
                left += 1
            case .loop(let from, _, let to):
                XCTAssertEqual(walk.path.count, count)
                loops.append(walk.loop(closingAt: to))
                XCTAssertEqual([from, to], [count - 1, 0])
            }
        }
        XCTAssertEqual([entered, left], [count, count])
        XCTAssertEqual(loops.count, 1)
        XCTAssertEqual(loops.first?.count, count + 1)
        XCTAssertEqual(loops.first?.prefix(2), [0, 1])
        XCTAssertEqual(loops.first?.last, 0)
    }
}
