/// Classes of packets joined into as few as the algebra allows: the answers of the walk and
/// of the diff list each set of packets that end alike in as few lines as they can.
extension PacketCube {
    /// Merges disjoint classes that differ in the values of one field only: for each field
    /// in turn, the classes alike in every other field become one.
    public static func merged(_ cubes: [PacketCube], family: Family) -> [PacketCube] {
        if cubes.count < 2 { return cubes }
        if cubes.count <= 8 { return mergedPairwise(cubes, family: family) }
        var cubes = cubes
        var changed = true
        while changed && cubes.count > 1 {
            changed = false
            for field in PacketField.allCases {
                // The classes alike but for this field, each group joined at once (joining
                // one by one would copy a growing set of values for every class).
                var groups: [PacketCube: Int] = [:]
                groups.reserveCapacity(cubes.count)
                var members: [[PacketCube]] = []
                for cube in cubes {
                    var rest = cube
                    rest.replace(field, with: nil)
                    if let position = groups[rest] {
                        members[position].append(cube)
                    } else {
                        groups[rest] = members.count
                        members.append([cube])
                    }
                }
                guard members.count < cubes.count else { continue }
                changed = true
                cubes = members.flatMap { group in
                    group.count == 1 ? group : joined(group, in: field, family: family)
                }
            }
            // Classes alike but for the truth of one condition, grouped by what they are
            // without it (linear in the classes; 14 conditions of rules without a target made
            // 16,384 classes, which a pairwise search joined in half a minute).
            for text in Set(cubes.flatMap { $0.conditions.map(\.text) }).sorted() {
                let joined = joinedOver(condition: text, cubes)
                if joined.count < cubes.count {
                    cubes = joined
                    changed = true
                }
            }
        }
        return cubes
    }

    /// Classes alike but for one field as one class (their values of it joined), or as they
    /// were when their values are of different kinds.
    static func joined(_ group: [PacketCube], in field: PacketField, family: Family) -> [PacketCube] {
        var result = group[0]
        var intervals: [IntervalSet.Interval] = []
        var ternary: TernarySet?
        for cube in group {
            switch cube[field] {
            case nil:
                // One class takes every value: so does their union.
                result.replace(field, with: nil)
                return [result]
            case .intervals(let set)?:
                intervals += set.intervals
            case .ternary(let set)?:
                ternary = ternary.map { $0.union(set) } ?? set
            }
        }
        let union: FieldSet
        switch (intervals.isEmpty, ternary) {
        case (false, nil): union = .intervals(IntervalSet(intervals: intervals))
        case (true, let set?): union = .ternary(set)
        default: return group
        }
        result.replace(field, with: union.isFull(field, family) ? nil : union)
        return [result]
    }

    /// The classes with those alike but for `condition` joined: the truths true and false
    /// together, or a class that leaves it open with those that require it, are one class
    /// that leaves it open.
    static func joinedOver(condition text: String, _ cubes: [PacketCube]) -> [PacketCube] {
        var groups: [PacketCube: Int] = [:]
        var truths: [(rest: PacketCube, seen: Set<Bool?>, members: [PacketCube])] = []
        for cube in cubes {
            let truth = cube.condition(text)
            let rest = truth == nil ? cube : cube.removingCondition(text)
            if let position = groups[rest] {
                truths[position].seen.insert(truth)
                truths[position].members.append(cube)
            } else {
                groups[rest] = truths.count
                truths.append((rest, [truth], [cube]))
            }
        }
        guard truths.count < cubes.count else { return cubes }
        return truths.flatMap { group -> [PacketCube] in
            let open = group.seen.contains(nil) || (group.seen.contains(true) && group.seen.contains(false))
            return open ? [group.rest] : group.members
        }
    }

    /// `merged` for a few classes: every pair tried until none joins.
    static func mergedPairwise(_ cubes: [PacketCube], family: Family) -> [PacketCube] {
        var cubes = cubes
        var joined = true
        while joined && cubes.count > 1 {
            joined = false
            search: for first in cubes.indices {
                for second in cubes.indices where second > first {
                    if let union = cubes[first].union(cubes[second], family: family) {
                        cubes[first] = union
                        cubes.remove(at: second)
                        joined = true
                        break search
                    }
                }
            }
        }
        return cubes
    }

    /// The union of two classes that constrain the same fields to the same values but one,
    /// with the same conditions; nil when the union is not one class.
    func union(_ other: PacketCube, family: Family) -> PacketCube? {
        guard conditions.elementsEqual(other.conditions, by: { $0.text == $1.text && $0.holds == $1.holds }) else {
            // The same class but for one condition, true in one and false in the other: the
            // condition does not matter.
            guard constraints.elementsEqual(other.constraints, by: { $0.field == $1.field && $0.set == $1.set }),
                  conditions.count == other.conditions.count,
                  zip(conditions, other.conditions).allSatisfy({ $0.text == $1.text }),
                  zip(conditions, other.conditions).filter({ $0.holds != $1.holds }).count == 1 else { return nil }
            var result = PacketCube()
            for constraint in constraints { result.restrict(constraint.field, to: constraint.set) }
            for (mine, theirs) in zip(conditions, other.conditions) where mine.holds == theirs.holds { result.require(mine.text, mine.holds) }
            return result
        }
        // Both constraint lists are in field order: walk them together.
        var differing: PacketField?
        var i = 0, j = 0
        while i < constraints.count || j < other.constraints.count {
            let field: PacketField
            if j == other.constraints.count || (i < constraints.count && constraints[i].field < other.constraints[j].field) {
                field = constraints[i].field
                i += 1
            } else if i == constraints.count || other.constraints[j].field < constraints[i].field {
                field = other.constraints[j].field
                j += 1
            } else {
                field = constraints[i].field
                let same = constraints[i].set == other.constraints[j].set
                i += 1
                j += 1
                if same { continue }
            }
            guard differing == nil else { return nil }
            differing = field
        }
        guard let field = differing else { return self }
        guard let mine = self[field], let theirs = other[field] else {
            var result = self
            result.replace(field, with: nil)
            return result
        }
        var result = self
        let joined: FieldSet
        switch (mine, theirs) {
        case (.intervals(let a), .intervals(let b)): joined = .intervals(a.union(b))
        case (.ternary(let a), .ternary(let b)): joined = .ternary(a.union(b))
        default: return nil
        }
        // Every value: no constraint at all.
        result.replace(field, with: joined.isFull(field, family) ? nil : joined)
        return result
    }
}

extension PacketCube {
    /// Items grouped by `key`, each group's classes merged (`merged`): one entry per merged
    /// class with the group's first item; a group with an item for every packet (nil class)
    /// is one entry with a nil class.
    public static func grouped<Item, Key: Hashable>(_ items: [Item], family: Family, key: (Item) -> Key,
                                                    packets: (Item) -> [PacketCube]?) -> [(item: Item, packets: PacketCube?)] {
        var groups: [Key: Int] = [:]
        var merged: [(item: Item, cubes: [PacketCube], all: Bool)] = []
        for item in items {
            let name = key(item)
            let index: Int
            if let existing = groups[name] {
                index = existing
            } else {
                index = merged.count
                groups[name] = index
                merged.append((item, [], false))
            }
            if let cubes = packets(item) { merged[index].cubes.append(contentsOf: cubes) } else { merged[index].all = true }
        }
        // The groups with classes to join, joined at once on the machine's cores when many.
        let joining = merged.indices.filter { !merged[$0].all && merged[$0].cubes.count > 1 }
        let work = joining.map { merged[$0].cubes }
        let joined = joining.count > 1 && Concurrently.pays(for: work.reduce(0) { $0 + $1.count })
            ? Concurrently.map(work) { PacketCube.merged($0, family: family) }
            : work.map { PacketCube.merged($0, family: family) }
        for (index, cubes) in zip(joining, joined) { merged[index].cubes = cubes }
        return merged.flatMap { entry -> [(item: Item, packets: PacketCube?)] in
            if entry.all { return [(entry.item, nil)] }
            return entry.cubes.map { (entry.item, $0) }
        }
    }
}
