/// The chains of a table as a graph: a node per chain (built-in chains with their policy,
/// every chain with its rule count), an edge per pair of chains one jumps (`-j`) or goes
/// (`-g`) to the other, with the numbers of the rules that do. Big tables are cut: only
/// what one chain reaches (`start`), and at most `limit` chains, the rest summed up in one
/// node.
public struct JumpGraph: Sendable {
    public struct Node: Sendable, Hashable {
        public var name: String
        public var isBuiltin: Bool
        public var policy: String?
        public var ruleCount: Int
        /// A user chain no rule jumps or goes to.
        public var isUnused: Bool
        /// The node standing for the chains left out (`name` says how many).
        public var isSummary: Bool
    }

    public enum EdgeKind: String, Sendable { case jump, goto }

    public struct Edge: Sendable, Hashable {
        public var from: Int
        public var to: Int
        public var kind: EdgeKind
        /// The kernel's numbers (1 for the first rule) of the rules of `from` that do it.
        public var rules: [Int]
        /// For an edge to the summary node: how many chains it stands for.
        public var chains: Int = 1
    }

    public var table: String
    public var nodes: [Node] = []
    public var edges: [Edge] = []
    /// The chains of the table that are not drawn (beyond the limit, or not reached).
    public var omitted = 0
    public var notes: [String] = []

    /// The graph of `table`; `start` keeps only the chains it reaches, `limit` (0: none)
    /// the first chains in the order built-in chains, then what they reach in rule order.
    public init(_ table: Table, start: String? = nil, limit: Int = 0) {
        self.table = table.name
        let chains = Dictionary(table.chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var referenced: Set<String> = []
        for chain in table.chains {
            for rule in chain.rules { if let target = rule.target.chainName { referenced.insert(target) } }
        }
        // The order: the start (or the built-in chains in hook order), then depth first in
        // rule order, so that a cut graph still shows whole paths (a service, its
        // endpoints, what they jump to) rather than one layer of many.
        let builtins = table.chains.filter { $0.policy != nil }.map(\.name)
        let kernelOrder = table.builtinChainNames
        let roots = start.map { [$0] } ?? (kernelOrder.filter { builtins.contains($0) } + builtins.filter { !kernelOrder.contains($0) })
        var order: [String] = []
        var seen: Set<String> = []
        for root in roots {
            var stack = [root]
            while let name = stack.popLast() {
                guard !seen.contains(name), let chain = chains[name] else { continue }
                seen.insert(name)
                order.append(name)
                for rule in chain.rules.reversed() { if let target = rule.target.chainName, !seen.contains(target) { stack.append(target) } }
            }
        }
        if start == nil {
            // Chains no built-in chain reaches (unused, or used only by such chains).
            for chain in table.chains where !seen.contains(chain.name) {
                seen.insert(chain.name)
                order.append(chain.name)
            }
        }
        let reached = order.count
        if limit > 0, order.count > limit {
            // The starting chains always, then the first of the rest.
            let starts = Set(roots)
            let kept = starts.union(order.filter { !starts.contains($0) }.prefix(max(limit - starts.count, 0)))
            order = order.filter { kept.contains($0) }
        }
        omitted = table.chains.count - order.count
        var position: [String: Int] = [:]
        for name in order {
            guard let chain = chains[name] else { continue }
            position[name] = nodes.count
            nodes.append(Node(name: name, isBuiltin: chain.policy != nil, policy: chain.policy?.rawValue, ruleCount: chain.rules.count,
                              isUnused: chain.policy == nil && !referenced.contains(name), isSummary: false))
        }
        let cut = reached - order.count
        var summary: Int?
        if cut > 0 {
            summary = nodes.count
            nodes.append(Node(name: "… \(cut) more chains", isBuiltin: false, policy: nil, ruleCount: 0, isUnused: false, isSummary: true))
            notes.append("\(cut) of the \(reached) chains are not drawn (at most \(limit)); --chain NAME draws what one chain reaches, --max-chains 0 draws all")
        }
        if let start, omitted - cut > 0 { notes.append("only what \(table.name)/\(start) reaches: \(omitted - cut) other chains are not drawn") }
        var edgeIndex: [String: Int] = [:]
        for name in order {
            guard let chain = chains[name], let from = position[name] else { continue }
            var summaryTargets: Set<String> = []
            for (number, rule) in chain.rules.enumerated() {
                guard let target = rule.target.chainName else { continue }
                let kind: EdgeKind
                if case .goto = rule.target { kind = .goto } else { kind = .jump }
                guard let to = position[target] ?? summary else { continue }
                let key = "\(from)>\(to)>\(kind.rawValue)"
                if position[target] == nil { summaryTargets.insert(target) }
                if let existing = edgeIndex[key] {
                    edges[existing].rules.append(number + 1)
                } else {
                    edgeIndex[key] = edges.count
                    edges.append(Edge(from: from, to: to, kind: kind, rules: [number + 1]))
                }
                if position[target] == nil, let existing = edgeIndex[key] { edges[existing].chains = summaryTargets.count }
            }
        }
    }

    /// Rule numbers as a short list: `#1`, `#3-#5, #9`, at most `limit` items then `…`.
    public static func ruleList(_ rules: [Int], limit: Int = 4) -> String {
        var ranges: [(Int, Int)] = []
        for number in rules.sorted() {
            if let last = ranges.last, number == last.1 + 1 { ranges[ranges.count - 1].1 = number } else { ranges.append((number, number)) }
        }
        let items = ranges.map { $0.0 == $0.1 ? "#\($0.0)" : "#\($0.0)-#\($0.1)" }
        let shown = items.prefix(limit).joined(separator: ",")
        return items.count > limit ? shown + ",… (\(rules.count) rules)" : shown
    }

    /// The node's second line: `policy DROP · 6 rules`, `3 rules · unused`.
    public static func detail(_ node: Node) -> String {
        if node.isSummary { return "not drawn" }
        var parts: [String] = []
        if let policy = node.policy { parts.append("policy \(policy)") }
        parts.append(node.ruleCount == 1 ? "1 rule" : "\(node.ruleCount) rules")
        if node.isUnused { parts.append("unused") }
        return parts.joined(separator: " · ")
    }
}
