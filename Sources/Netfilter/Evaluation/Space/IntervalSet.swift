/// A set of numbers as sorted, disjoint, non-adjacent closed intervals: the value set of an
/// address, port, protocol, interface or state field of a packet class.
public struct IntervalSet: Sendable, Hashable {
    /// One closed interval `lower...upper`.
    public struct Interval: Sendable, Hashable {
        public var lower: UInt128
        public var upper: UInt128

        public init(_ lower: UInt128, _ upper: UInt128) {
            self.lower = lower
            self.upper = upper
        }
    }

    /// The intervals in ascending order, never touching or overlapping.
    public private(set) var intervals: [Interval]

    public init() { intervals = [] }

    public init(_ lower: UInt128, _ upper: UInt128) {
        intervals = lower <= upper ? [Interval(lower, upper)] : []
    }

    public init(value: UInt128) { self.init(value, value) }

    /// Builds a set from intervals in any order, merging overlaps.
    public init<S: Sequence>(intervals: S) where S.Element == Interval {
        let sorted = intervals.filter { $0.lower <= $0.upper }.sorted { $0.lower < $1.lower }
        var merged: [Interval] = []
        merged.reserveCapacity(sorted.count)
        for interval in sorted {
            if let last = merged.last, last.upper == UInt128.max || interval.lower <= last.upper + 1 {
                merged[merged.count - 1].upper = max(last.upper, interval.upper)
            } else {
                merged.append(interval)
            }
        }
        self.intervals = merged
    }

    public var isEmpty: Bool { intervals.isEmpty }

    /// Whether the set is exactly `lower...upper`.
    public func isExactly(_ lower: UInt128, _ upper: UInt128) -> Bool {
        intervals.count == 1 && intervals[0].lower == lower && intervals[0].upper == upper
    }

    public func contains(_ value: UInt128) -> Bool {
        var low = 0, high = intervals.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let interval = intervals[middle]
            if value < interval.lower { high = middle - 1 } else if value > interval.upper { low = middle + 1 } else { return true }
        }
        return false
    }

    /// The smallest member, if any.
    public var first: UInt128? { intervals.first?.lower }

    /// The number of members, saturating at `UInt128.max`.
    public var count: UInt128 {
        var total: UInt128 = 0
        for interval in intervals {
            let (size, overflow) = (interval.upper - interval.lower).addingReportingOverflow(1)
            if overflow { return .max }
            let (sum, overflowSum) = total.addingReportingOverflow(size)
            if overflowSum { return .max }
            total = sum
        }
        return total
    }

    public func intersection(_ other: IntervalSet) -> IntervalSet {
        var result: [Interval] = []
        var i = 0, j = 0
        while i < intervals.count && j < other.intervals.count {
            let a = intervals[i], b = other.intervals[j]
            let lower = max(a.lower, b.lower), upper = min(a.upper, b.upper)
            if lower <= upper { result.append(Interval(lower, upper)) }
            if a.upper < b.upper { i += 1 } else { j += 1 }
        }
        var set = IntervalSet()
        set.intervals = result
        return set
    }

    public func intersects(_ other: IntervalSet) -> Bool {
        var i = 0, j = 0
        while i < intervals.count && j < other.intervals.count {
            let a = intervals[i], b = other.intervals[j]
            if max(a.lower, b.lower) <= min(a.upper, b.upper) { return true }
            if a.upper < b.upper { i += 1 } else { j += 1 }
        }
        return false
    }

    /// The members of `lower...upper` not in this set.
    public func complement(within lower: UInt128, _ upper: UInt128) -> IntervalSet {
        var result: [Interval] = []
        var next: UInt128? = lower
        for interval in intervals {
            guard let start = next else { break }
            if interval.upper < start { continue }
            if interval.lower > upper { break }
            if interval.lower > start { result.append(Interval(start, interval.lower - 1)) }
            next = interval.upper >= upper ? nil : interval.upper + 1
        }
        if let start = next, start <= upper { result.append(Interval(start, upper)) }
        var set = IntervalSet()
        set.intervals = result
        return set
    }

    public func subtracting(_ other: IntervalSet) -> IntervalSet {
        guard let lower = intervals.first?.lower, let upper = intervals.last?.upper else { return self }
        return intersection(other.complement(within: lower, upper))
    }

    public func union(_ other: IntervalSet) -> IntervalSet {
        if other.intervals.isEmpty { return self }
        if intervals.isEmpty { return other }
        // Both are sorted: merge them in one pass.
        var merged: [Interval] = []
        merged.reserveCapacity(intervals.count + other.intervals.count)
        var i = 0, j = 0
        while i < intervals.count || j < other.intervals.count {
            let next: Interval
            if j == other.intervals.count || (i < intervals.count && intervals[i].lower <= other.intervals[j].lower) {
                next = intervals[i]
                i += 1
            } else {
                next = other.intervals[j]
                j += 1
            }
            if let last = merged.last, last.upper == UInt128.max || next.lower <= last.upper + 1 {
                merged[merged.count - 1].upper = max(last.upper, next.upper)
            } else {
                merged.append(next)
            }
        }
        var set = IntervalSet()
        set.intervals = merged
        return set
    }

    public func isSubset(of other: IntervalSet) -> Bool { subtracting(other).isEmpty }
}
