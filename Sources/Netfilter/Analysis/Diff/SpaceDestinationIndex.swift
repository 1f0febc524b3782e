/// For a long chain (kube-proxy's KUBE-SERVICES has a rule per service address): which
/// rules require one exact destination, by that destination, and which do not. Packets
/// with one destination skip the rules of every other; packets whose destinations avoid
/// every indexed one skip them all. An optimisation only: the walk is the same without it.
struct SpaceDestinationIndex: Sendable {
    /// Chains shorter than this are walked rule by rule.
    static let minimumRules = 32

    /// Rule positions (ascending) per required destination.
    var rulesByDestination: [UInt128: [Int]]
    /// Positions of the rules that do not require one destination.
    var otherRules: [Int]
    /// Every indexed destination, as a set.
    var destinations: IntervalSet
    /// What the chain does from a position on for packets to one indexed destination (or,
    /// under nil, to none of them): the numbers of the suffixes made of the rules such packets
    /// can match. Equal numbers on both sides: the same behaviour for those packets. Only
    /// for chains with few rules outside the index.
    var projectedSuffixes: [UInt128?: (positions: [Int], numbers: [Int])] = [:]
    static let maximumOtherRules = 64

    init?(_ rules: [SymbolicRule]) {
        guard rules.count >= Self.minimumRules else { return nil }
        var byDestination: [UInt128: [Int]] = [:]
        var others: [Int] = []
        for (position, rule) in rules.enumerated() {
            if let point = SpaceDestinationIndex.point(of: rule.space) { byDestination[point, default: []].append(position) } else { others.append(position) }
        }
        guard byDestination.count >= Self.minimumRules / 2 else { return nil }
        rulesByDestination = byDestination
        otherRules = others
        destinations = IntervalSet(intervals: byDestination.keys.map { IntervalSet.Interval($0, $0) })
    }

    /// Numbers the projected suffixes, from the rules' shapes and the chain's end number.
    mutating func number(shapes: [Int], end: Int, interner: StructureInterner) {
        guard otherRules.count <= Self.maximumOtherRules else { return }
        func project(_ positions: [Int]) -> (positions: [Int], numbers: [Int]) {
            var numbers = [Int](repeating: end, count: positions.count + 1)
            for k in positions.indices.reversed() { numbers[k] = interner.number(5, shapes[positions[k]], numbers[k + 1]) }
            return (positions, numbers)
        }
        projectedSuffixes[nil] = project(otherRules)
        for (destination, positions) in rulesByDestination {
            var merged: [Int] = []
            merged.reserveCapacity(positions.count + otherRules.count)
            var i = 0, j = 0
            while i < positions.count || j < otherRules.count {
                if j == otherRules.count || (i < positions.count && positions[i] < otherRules[j]) {
                    merged.append(positions[i])
                    i += 1
                } else {
                    merged.append(otherRules[j])
                    j += 1
                }
            }
            projectedSuffixes[destination] = project(merged)
        }
    }

    /// The number of what the chain does from `position` on for packets to `destination`
    /// (nil: to none of the indexed ones); nil when not numbered.
    func projectedSuffix(from position: Int, destination: UInt128?) -> Int? {
        guard let projection = projectedSuffixes[destination] ?? (destination == nil ? nil : projectedSuffixes[nil]) else { return nil }
        var low = 0, high = projection.positions.count
        while low < high {
            let middle = (low + high) / 2
            if projection.positions[middle] < position { low = middle + 1 } else { high = middle }
        }
        return projection.numbers[low]
    }

    /// The one destination every packet of the space has, if so.
    static func point(of space: PacketSpace) -> UInt128? {
        var found: UInt128?
        for cube in space.cubes {
            guard case .intervals(let set)? = cube[.destination], set.intervals.count == 1,
                  let interval = set.intervals.first, interval.lower == interval.upper else { return nil }
            if let found, found != interval.lower { return nil }
            found = interval.lower
        }
        return found
    }

    /// The first rule at or after `position` that a packet to `destination` (nil: to none of
    /// the indexed destinations) could match; `count` when none.
    func next(from position: Int, destination: UInt128?, count: Int) -> Int {
        func first(_ positions: [Int]) -> Int? {
            var low = 0, high = positions.count
            while low < high {
                let middle = (low + high) / 2
                if positions[middle] < position { low = middle + 1 } else { high = middle }
            }
            return low < positions.count ? positions[low] : nil
        }
        var best = first(otherRules) ?? count
        if let destination, let positions = rulesByDestination[destination], let candidate = first(positions) { best = min(best, candidate) }
        return best
    }
}
