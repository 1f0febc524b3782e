/// Rule positions of a long chain grouped by the one key each rule requires (an exact
/// destination), the rules that require none in `others`; every list ascending. A packet
/// with a key can only match its key's rules and the others: the evaluator's and the
/// semantic diff's indexes of long chains.
struct KeyedPositions<Key: Hashable & Sendable>: Sendable {
    private(set) var byKey: [Key: [Int]] = [:]
    private(set) var others: [Int] = []

    init() {}

    /// Adds the next rule (positions come in ascending order).
    mutating func append(_ position: Int, key: Key?) {
        if let key { byKey[key, default: []].append(position) } else { others.append(position) }
    }

    /// The first rule at or after `position` that a packet with `key` (nil: with none of the
    /// keys) can match; `end` when none.
    func next(from position: Int, key: Key?, end: Int) -> Int {
        let other = others.first(atLeast: position) ?? end
        guard let key, let keyed = byKey[key]?.first(atLeast: position) else { return other }
        return min(keyed, other)
    }
}

extension Array where Element == Int {
    /// For an ascending array: the index of the first element at least `value` (`count`
    /// when none), by binary search.
    func index(atLeast value: Int) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// For an ascending array: the first element at least `value`.
    func first(atLeast value: Int) -> Int? {
        let position = index(atLeast: value)
        return position < count ? self[position] : nil
    }
}
