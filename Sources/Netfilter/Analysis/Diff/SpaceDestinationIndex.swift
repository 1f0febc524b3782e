/// For a long chain (kube-proxy's KUBE-SERVICES has a rule per service address): which
/// rules require one exact destination, by that destination, and which do not. Packets
/// with one destination skip the rules of every other; packets whose destinations avoid
/// every indexed one skip them all. An optimisation only: the walk is the same without it.
struct SpaceDestinationIndex: Sendable {
    /// Chains shorter than this are walked rule by rule.
    static let minimumRules = 32

    /// Rule positions by the one destination they require.
    var positions = KeyedPositions<UInt128>()
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
        for (position, rule) in rules.enumerated() { positions.append(position, key: SpaceDestinationIndex.point(of: rule.space)) }
        guard positions.byKey.count >= Self.minimumRules / 2 else { return nil }
        destinations = IntervalSet(intervals: positions.byKey.keys.map { IntervalSet.Interval($0, $0) })
    }

    /// Numbers the projected suffixes, from the rules' shapes and the chain's end number.
    mutating func number(shapes: [Int], end: Int, interner: StructureInterner) {
        let otherRules = positions.others
        guard otherRules.count <= Self.maximumOtherRules else { return }
        func project(_ positions: [Int]) -> (positions: [Int], numbers: [Int]) {
            var numbers = [Int](repeating: end, count: positions.count + 1)
            for k in positions.indices.reversed() { numbers[k] = interner.number(5, shapes[positions[k]], numbers[k + 1]) }
            return (positions, numbers)
        }
        projectedSuffixes[nil] = project(otherRules)
        for (destination, positions) in positions.byKey {
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
        return projection.numbers[projection.positions.index(atLeast: position)]
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
        positions.next(from: position, key: destination, end: count)
    }
}
