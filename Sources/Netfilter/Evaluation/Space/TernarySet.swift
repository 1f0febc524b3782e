/// A set of fixed-width bit strings as disjoint ternary patterns (`value/mask`: the bits in
/// the mask are fixed, the others free): the value set of a mark, a connmark or the TCP
/// flags of a packet class, the way `--mark 0x1/0x1` and `--tcp-flags` describe them.
public struct TernarySet: Sendable, Hashable {
    /// The values `x` with `x & mask == value`.
    public struct Pattern: Sendable, Hashable {
        public var value: UInt64
        public var mask: UInt64

        public init(value: UInt64, mask: UInt64) {
            self.value = value & mask
            self.mask = mask
        }

        func intersection(_ other: Pattern) -> Pattern? {
            guard (value ^ other.value) & mask & other.mask == 0 else { return nil }
            return Pattern(value: value | other.value, mask: mask | other.mask)
        }

        /// The members of this pattern not in `other`, as disjoint patterns.
        func subtracting(_ other: Pattern) -> [Pattern] {
            guard intersection(other) != nil else { return [self] }
            var result: [Pattern] = []
            var fixed = self
            var free = other.mask & ~mask
            while free != 0 {
                let bit = free & (~free &+ 1)
                free &= ~bit
                result.append(Pattern(value: (fixed.value & ~bit) | (~other.value & bit), mask: fixed.mask | bit))
                fixed = Pattern(value: (fixed.value & ~bit) | (other.value & bit), mask: fixed.mask | bit)
            }
            return result
        }
    }

    public private(set) var patterns: [Pattern]

    public init() { patterns = [] }

    /// Every value.
    public static let full = TernarySet(Pattern(value: 0, mask: 0))

    public init(_ pattern: Pattern) { patterns = [pattern] }

    public init(value: UInt64, mask: UInt64) { self.init(Pattern(value: value, mask: mask)) }

    public var isEmpty: Bool { patterns.isEmpty }

    public func contains(_ value: UInt64) -> Bool { patterns.contains { value & $0.mask == $0.value } }

    /// A member (the smallest value of the first pattern), if any.
    public var first: UInt64? { patterns.first?.value }

    public func intersection(_ other: TernarySet) -> TernarySet {
        var result = TernarySet()
        for a in patterns {
            for b in other.patterns {
                if let both = a.intersection(b) { result.patterns.append(both) }
            }
        }
        return result
    }

    public func intersects(_ other: TernarySet) -> Bool {
        patterns.contains { a in other.patterns.contains { a.intersection($0) != nil } }
    }

    public func subtracting(_ other: TernarySet) -> TernarySet {
        var remaining = patterns
        for b in other.patterns {
            remaining = remaining.flatMap { $0.subtracting(b) }
            if remaining.isEmpty { break }
        }
        var result = TernarySet()
        result.patterns = remaining
        return result
    }

    public var complement: TernarySet { TernarySet.full.subtracting(self) }

    public func union(_ other: TernarySet) -> TernarySet {
        var result = self
        result.patterns += other.subtracting(self).patterns
        return result
    }
}
