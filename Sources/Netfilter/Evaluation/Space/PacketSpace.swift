/// A set of packets of one family as a union of disjoint classes (`PacketCube`s): the
/// header-space sets that lint and diff compute with. Exact on the modelled fields; what is
/// not modelled stays a named condition, never a guess.
public struct PacketSpace: Sendable, Hashable {
    public var family: Family
    /// Disjoint classes.
    public private(set) var cubes: [PacketCube]

    public init(family: Family, cubes: [PacketCube] = []) {
        self.family = family
        self.cubes = cubes.filter { !$0.isEmpty }
    }

    /// Every packet of the family.
    public static func all(_ family: Family) -> PacketSpace { PacketSpace(family: family, cubes: [PacketCube()]) }

    /// No packet.
    public static func none(_ family: Family) -> PacketSpace { PacketSpace(family: family) }

    /// The packets whose field takes a value of `set`.
    public static func `where`(_ field: PacketField, _ set: FieldSet, family: Family) -> PacketSpace {
        var cube = PacketCube()
        cube.restrict(field, to: set)
        return PacketSpace(family: family, cubes: [cube])
    }

    /// The packets for which a condition holds (or not).
    public static func condition(_ text: String, holds: Bool = true, family: Family) -> PacketSpace {
        var cube = PacketCube()
        cube.require(text, holds)
        return PacketSpace(family: family, cubes: [cube])
    }

    public var isEmpty: Bool { cubes.isEmpty }

    public func intersection(_ other: PacketSpace) -> PacketSpace {
        var result: [PacketCube] = []
        for a in cubes {
            for b in other.cubes {
                if let both = a.intersection(b) { result.append(both) }
            }
        }
        return PacketSpace(family: family, cubes: result)
    }

    public func intersects(_ other: PacketSpace) -> Bool {
        cubes.contains { a in other.cubes.contains { a.intersects($0) && a.intersection($0) != nil } }
    }

    /// The packets of this set not in `other`; nil when the result would need more than
    /// `limit` classes (the caller then claims nothing).
    public func subtracting(_ other: PacketSpace, limit: Int = 100_000) -> PacketSpace? {
        var remaining = cubes
        for b in other.cubes {
            var next: [PacketCube] = []
            for a in remaining {
                next.append(contentsOf: a.subtracting(b, family: family))
                if next.count > limit { return nil }
            }
            remaining = next
            if remaining.isEmpty { break }
        }
        return PacketSpace(family: family, cubes: remaining)
    }

    /// Every packet not in this set.
    public var complement: PacketSpace? { PacketSpace.all(family).subtracting(self) }

    public func union(_ other: PacketSpace) -> PacketSpace? {
        guard let added = other.subtracting(self) else { return nil }
        return PacketSpace(family: family, cubes: cubes + added.cubes)
    }

    /// Whether every packet of this set is in `other` (nil when too complex to tell).
    public func isSubset(of other: PacketSpace, limit: Int = 100_000) -> Bool? {
        subtracting(other, limit: limit).map(\.isEmpty)
    }

    /// The packets split by the destinations of a long chain's index: one class per indexed
    /// destination they can have (each with that one destination), and the classes of the
    /// rest (every destination they can have but those). What the walks do at the start of
    /// an indexed chain.
    func splitByDestinations(_ indexed: IntervalSet) -> (singles: [PacketCube], others: [PacketCube]) {
        var singles: [PacketCube] = []
        var others: [PacketCube] = []
        for cube in cubes {
            let destinations: IntervalSet
            if case .intervals(let values)? = cube[.destination] {
                destinations = values
            } else {
                destinations = IntervalSet(0, PacketField.destination.maximum(family))
            }
            for interval in destinations.intersection(indexed).intervals {
                var value = interval.lower
                while true {
                    var single = cube
                    single.restrict(.destination, to: .intervals(IntervalSet(value: value)))
                    singles.append(single)
                    if value == interval.upper { break }
                    value += 1
                }
            }
            let rest = destinations.subtracting(indexed)
            if !rest.isEmpty {
                var other = cube
                other.restrict(.destination, to: .intervals(rest))
                others.append(other)
            }
        }
        return (singles, others)
    }
}
