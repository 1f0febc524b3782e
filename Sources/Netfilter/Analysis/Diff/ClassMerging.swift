/// The differences a diff's walk finds, merged into as few classes as the algebra allows.
extension SemanticDiff {
    /// The differences with the same outcomes on both sides (and the same deciding rules),
    /// their classes merged where two differ in one field only.
    static func merged(_ raw: [RawDifference], family: Family) -> [RawDifference] {
        // Alike when both sides end alike with the same changes and the same deciding rules.
        struct Summary: Hashable {
            var ending: DiffEnding
            var environment: SymbolicEnvironment
            var decision: DiffDecision?
            init(_ outcome: DiffOutcome) {
                ending = outcome.ending
                environment = outcome.environment
                decision = outcome.decidingRule
            }
        }
        struct Key: Hashable {
            var old: Summary
            var new: Summary
        }
        var groups: [Key: Int] = [:]
        var result: [RawDifference] = []
        for difference in raw {
            let key = Key(old: Summary(difference.old), new: Summary(difference.new))
            if let position = groups[key] {
                result[position].space = PacketSpace(family: family, cubes: result[position].space.cubes + difference.space.cubes)
            } else {
                groups[key] = result.count
                result.append(difference)
            }
        }
        for position in result.indices {
            result[position].space = PacketSpace(family: family, cubes: mergeCubes(result[position].space.cubes))
        }
        return result
    }

    /// Merges disjoint classes that differ in the values of one field only: for each field
    /// in turn, the classes alike in every other field become one.
    static func mergeCubes(_ cubes: [PacketCube]) -> [PacketCube] {
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
                    if let position = groups[rest], let union = result[position].union(cube) {
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
                if let position = groups[key]?.first(where: { result[$0].union(cube) != nil }), let union = result[position].union(cube) {
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
}

extension PacketCube {
    /// The union of two classes that constrain the same fields to the same values but one,
    /// with the same conditions; nil when the union is not one class.
    func union(_ other: PacketCube) -> PacketCube? {
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
        switch (mine, theirs) {
        case (.intervals(let a), .intervals(let b)): result.replace(field, with: .intervals(a.union(b)))
        case (.ternary(let a), .ternary(let b)): result.replace(field, with: .ternary(a.union(b)))
        default: return nil
        }
        return result
    }
}
