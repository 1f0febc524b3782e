/// What changed in the text of two rulesets, chain by chain: chains added, removed or
/// renamed (same rules under another name), policies changed, and rules added, removed or
/// moved (the same rule at another place), with their numbers.
public struct StructuralDiff: Sendable, Hashable {
    /// One chain's changes.
    public struct ChainChange: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case added, removed, renamed, changed }
        public var table: String
        public var chain: String
        public var kind: Kind
        /// The new name of a renamed chain.
        public var newName: String?
        public var policy: (old: String, new: String)?
        /// Rules by their number in the new chain.
        public var added: [(number: Int, text: String)] = []
        /// Rules by their number in the old chain.
        public var removed: [(number: Int, text: String)] = []
        public var moved: [(from: Int, to: Int, text: String)] = []

        public static func == (lhs: ChainChange, rhs: ChainChange) -> Bool {
            lhs.table == rhs.table && lhs.chain == rhs.chain && lhs.kind == rhs.kind && lhs.newName == rhs.newName
                && lhs.policy?.old == rhs.policy?.old && lhs.policy?.new == rhs.policy?.new
                && lhs.added.map(\.number) == rhs.added.map(\.number) && lhs.removed.map(\.number) == rhs.removed.map(\.number)
                && lhs.moved.map(\.from) == rhs.moved.map(\.from)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(table)
            hasher.combine(chain)
            hasher.combine(kind)
        }
    }

    public var chains: [ChainChange]

    public var isEmpty: Bool { chains.isEmpty }

    public init(old: Ruleset, new: Ruleset) {
        var changes: [ChainChange] = []
        var tableNames = old.tables.map(\.name)
        for table in new.tables where !tableNames.contains(table.name) { tableNames.append(table.name) }
        for name in tableNames {
            let before = old.table(named: name)?.chains ?? [], after = new.table(named: name)?.chains ?? []
            changes += StructuralDiff.compare(table: name, before, after, family: old.family)
        }
        chains = changes
    }

    static func compare(table: String, _ before: [Chain], _ after: [Chain], family: Family) -> [ChainChange] {
        let afterByName = Dictionary(after.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let afterNames = Set(after.map(\.name)), beforeNames = Set(before.map(\.name))
        let gone = before.filter { !afterNames.contains($0.name) }
        var fresh = after.filter { !beforeNames.contains($0.name) }
        var changes: [ChainChange] = []
        // Chains that only changed their name.
        var freshByRules: [[Rule]: [Int]] = [:]
        for (position, chain) in fresh.enumerated() where chain.policy == nil {
            freshByRules[chain.rules.map(\.structuralKey), default: []].append(position)
        }
        var renamed = Set<Int>()
        var goneNames = Set(gone.map(\.name))
        for chain in gone where chain.policy == nil {
            guard let twin = freshByRules[chain.rules.map(\.structuralKey)]?.first(where: { !renamed.contains($0) }) else { continue }
            renamed.insert(twin)
            changes.append(ChainChange(table: table, chain: chain.name, kind: .renamed, newName: fresh[twin].name))
            goneNames.remove(chain.name)
        }
        fresh = fresh.enumerated().filter { !renamed.contains($0.offset) }.map(\.element)
        for chain in before {
            if let other = afterByName[chain.name] {
                var change = ChainChange(table: table, chain: chain.name, kind: .changed)
                if chain.policy != other.policy {
                    change.policy = (chain.policy?.rawValue ?? "-", other.policy?.rawValue ?? "-")
                }
                // Most chains are unchanged: compared in place before any key is made.
                let sameRules = chain.rules.elementsEqual(other.rules) { $0.hasSameStructure(as: $1) }
                guard !sameRules || chain.policy != other.policy else { continue }
                let oldKeys = chain.rules.map(\.structuralKey), newKeys = other.rules.map(\.structuralKey)
                let edit = EditScript(oldKeys, newKeys)
                change.removed = edit.removed.map { ($0 + 1, chain.rules[$0].text(family: family)) }
                change.added = edit.added.map { ($0 + 1, other.rules[$0].text(family: family)) }
                // A rule removed at one place and added at another moved.
                var added = change.added
                var removed: [(number: Int, text: String)] = []
                for rule in change.removed {
                    if let twin = added.firstIndex(where: { $0.text == rule.text }) {
                        change.moved.append((rule.number, added[twin].number, rule.text))
                        added.remove(at: twin)
                    } else {
                        removed.append(rule)
                    }
                }
                change.added = added
                change.removed = removed
                if change.policy != nil || !change.added.isEmpty || !change.removed.isEmpty || !change.moved.isEmpty { changes.append(change) }
            } else if goneNames.contains(chain.name) {
                var change = ChainChange(table: table, chain: chain.name, kind: .removed)
                change.removed = chain.rules.enumerated().map { ($0.offset + 1, $0.element.text(family: family)) }
                changes.append(change)
            }
        }
        for chain in fresh {
            var change = ChainChange(table: table, chain: chain.name, kind: .added)
            change.added = chain.rules.enumerated().map { ($0.offset + 1, $0.element.text(family: family)) }
            changes.append(change)
        }
        return changes
    }
}

extension Rule {
    /// Whether the two rules have equal `structuralKey`s, found without making them.
    func hasSameStructure(as other: Rule) -> Bool {
        guard header == other.header, opaqueText == other.opaqueText, matches.count == other.matches.count else {
            return false
        }
        return target.equalsIgnoringLocation(other.target)
            && matches.elementsEqual(other.matches) { $0.equalsIgnoringLocation($1) }
    }

    /// The rule without where it stood, its counters and the comment lines before it: two
    /// rules with equal keys have the same text.
    var structuralKey: Rule {
        var key = self
        key.location = .unknown
        key.targetLocation = .unknown
        key.counters = nil
        if !key.leadingTrivia.isEmpty { key.leadingTrivia = [] }
        if !key.trailingWhitespace.isEmpty { key.trailingWhitespace = "" }
        for position in key.matches.indices { key.matches[position].location = .unknown }
        if case .extension(var call) = key.target {
            call.location = .unknown
            key.target = .extension(call)
        }
        return key
    }
}

/// The shortest edit script between two sequences (Myers' O((N+M)D) algorithm, after the
/// common prefix and suffix): the positions removed from the first and added in the second.
struct EditScript {
    var removed: [Int] = []
    var added: [Int] = []

    /// Beyond this many edits the middle is taken as removed and added whole.
    static let maximumEdits = 2_000

    init<Element: Equatable>(_ a: [Element], _ b: [Element]) {
        var start = 0
        while start < a.count && start < b.count && a[start] == b[start] { start += 1 }
        var endA = a.count, endB = b.count
        while endA > start && endB > start && a[endA - 1] == b[endB - 1] {
            endA -= 1
            endB -= 1
        }
        let n = endA - start, m = endB - start
        if n == 0 || m == 0 {
            removed = Array(start..<endA)
            added = Array(start..<endB)
            return
        }
        let offset = n + m
        var v = [Int](repeating: 0, count: 2 * offset + 2)
        var trace: [[Int]] = []
        var found = false
        for d in 0...min(offset, Self.maximumEdits) {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n && y < m && a[start + x] == b[start + y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = true
                    break
                }
            }
            if found { break }
        }
        guard found else {
            removed = Array(start..<endA)
            added = Array(start..<endB)
            return
        }
        // Walk back through the saved rows.
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let row = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && row[offset + k - 1] < row[offset + k + 1])) ? k + 1 : k - 1
            let previousX = row[offset + previousK], previousY = previousX - previousK
            while x > previousX && y > previousY {
                x -= 1
                y -= 1
            }
            if d > 0 {
                if x == previousX { added.append(start + previousY) } else { removed.append(start + previousX) }
            }
            x = previousX
            y = previousY
        }
        removed.reverse()
        added.reverse()
    }
}
