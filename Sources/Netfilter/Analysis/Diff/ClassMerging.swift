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
            result[position].space = PacketSpace(family: family, cubes: PacketCube.merged(result[position].space.cubes, family: family))
        }
        return result
    }
}
