/// Classes of packets joined into as few as the algebra allows: the answers of the walk and
/// of the diff list each set of packets that end alike in as few lines as they can.
extension PacketCube {
    /// Merges disjoint classes that differ in the values of one field only: for each field
    /// in turn, the classes alike in every other field become one.
    public static func merged(_ cubes: [PacketCube], family: Family) -> [PacketCube] {
        var cubes = cubes
        var changed = true
        while changed && cubes.count > 1 {
            changed = false
            for field in PacketField.allCases {
                var groups: [PacketCube: Int] = [:]
                var result: [PacketCube] = []
                for cube in cubes {
                    var rest = cube
                    rest.replace(field, with: nil)
                    if let position = groups[rest], let union = result[position].union(cube, family: family) {
                        result[position] = union
                        changed = true
                    } else {
                        groups[rest] = result.count
                        result.append(cube)
                    }
                }
                cubes = result
            }
            // Classes alike but for the truth of one condition.
            var groups: [PacketCube: [Int]] = [:]
            var result: [PacketCube] = []
            for cube in cubes {
                let key = cube.withoutConditions
                if let position = groups[key]?.first(where: { result[$0].union(cube, family: family) != nil }),
                   let union = result[position].union(cube, family: family) {
                    result[position] = union
                    changed = true
                } else {
                    groups[key, default: []].append(result.count)
                    result.append(cube)
                }
            }
            cubes = result
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
        let fields = Set(constraints.map(\.field)).union(other.constraints.map(\.field))
        var differing: PacketField?
        for field in fields where self[field] != other[field] {
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
