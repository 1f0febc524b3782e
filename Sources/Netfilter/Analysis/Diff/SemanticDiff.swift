/// One class of packets two rulesets treat differently: the packets (one header-space
/// class), each side's outcome, and a concrete witness packet the concrete evaluator
/// checked.
public struct DiffClass: Sendable, Hashable {
    public var family: Family
    public var walk: DiffScope.Walk
    public var packets: PacketCube
    public var old: DiffOutcome
    public var new: DiffOutcome
    /// A packet of the class.
    public var witness: Packet?
    /// Whether the concrete evaluator treats the witness differently too; nil when the
    /// class depends on a condition the evaluator cannot decide (the witness then has
    /// several possible outcomes on a side).
    public var confirmed: Bool?
    /// The concrete outcomes of the witness, old and new.
    public var concrete: (old: [ConcreteOutcome], new: [ConcreteOutcome])

    /// The conditions (matches the algebra cannot express) the class depends on.
    public var conditions: [(text: String, holds: Bool)] { packets.conditions }

    public static func == (lhs: DiffClass, rhs: DiffClass) -> Bool {
        lhs.family == rhs.family && lhs.walk == rhs.walk && lhs.packets == rhs.packets && lhs.old == rhs.old && lhs.new == rhs.new
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(walk)
        hasher.combine(packets)
    }
}

/// The semantic diff of two rulesets of a family: every class of packets whose outcome
/// differs, for every walk of the scope, complete (no sampling), with the structural
/// changes (rules added, removed, moved; chains renamed).
public struct SemanticDiff: Sendable {
    public var family: Family
    public var scope: DiffScope
    public var classes: [DiffClass]
    public var structure: StructuralDiff

    /// Whether some packet is treated differently.
    public var changesPackets: Bool { !classes.isEmpty }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Compares two rulesets of the same family.
    public static func compare(old: Ruleset, new: Ruleset, scope: DiffScope = DiffScope()) throws(Failure) -> SemanticDiff {
        guard old.family == new.family else { throw Failure(message: "the rulesets are of different families") }
        let family = old.family
        let interner = StructureInterner()
        var drafts = BothSides.map(old, new, SymbolicProgram.draft)
        let oldProgram = SymbolicProgram(draft: drafts.old, interner: interner)
        drafts.old.tables = []
        let newProgram = SymbolicProgram(draft: drafts.new, interner: interner)
        drafts.new.tables = []
        let endOfHook = interner.number("end of hook")
        let names = interfaceNames(old) + interfaceNames(new)
        var evaluators: (old: ConcreteEvaluator, new: ConcreteEvaluator)?
        var classes: [DiffClass] = []
        for walk in scope.walks {
            let stages: ([SymbolicStage], [SymbolicStage])
            switch walk {
            case .hook(let hook):
                stages = (oldProgram.stages(at: hook, interner: interner), newProgram.stages(at: hook, interner: interner))
            case .chain(let table, let chain):
                let oldStages = oldProgram.stages(table: table, chain: chain, interner: interner)
                let newStages = newProgram.stages(table: table, chain: chain, interner: interner)
                guard oldStages != nil || newStages != nil else { throw Failure(message: "neither ruleset has a chain \(table)/\(chain)") }
                guard let oldStages, let newStages else {
                    throw Failure(message: "only the \(oldStages == nil ? "new" : "old") ruleset has a chain \(table)/\(chain)")
                }
                stages = (oldStages, newStages)
            }
            let diffWalk = DiffWalk(old: DiffSide(program: oldProgram, stages: stages.0, endOfHook: endOfHook),
                                    new: DiffSide(program: newProgram, stages: stages.1, endOfHook: endOfHook), family: family)
            let raw: [RawDifference]
            do {
                raw = try diffWalk.run(scope.entry(walk, family: family))
            } catch {
                throw Failure(message: "the rulesets are too complex to compare at \(walk) (more than \(DiffWalk.classLimit) packet classes)")
            }
            for difference in merged(raw, family: family) {
                for cube in difference.space.cubes {
                    var found = DiffClass(family: family, walk: walk, packets: cube, old: difference.old, new: difference.new,
                                          witness: nil, confirmed: nil, concrete: ([], []))
                    if let witness = Witness.packet(in: cube, family: family, walk: walk, interfaceNames: names) {
                        found.witness = witness
                        let concrete = evaluators ?? BothSides.map(old, new, ConcreteEvaluator.init)
                        evaluators = concrete
                        let oldOutcomes = concrete.old.outcomes(witness, walk: walk), newOutcomes = concrete.new.outcomes(witness, walk: walk)
                        found.concrete = (oldOutcomes, newOutcomes)
                        if oldOutcomes.count == 1, newOutcomes.count == 1, cube.conditions.isEmpty {
                            found.confirmed = oldOutcomes != newOutcomes
                        }
                    }
                    classes.append(found)
                }
            }
        }
        return SemanticDiff(family: family, scope: scope, classes: classes, structure: StructuralDiff(old: old, new: new))
    }

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

    /// Every interface name the rules use (for witnesses with readable devices).
    static func interfaceNames(_ ruleset: Ruleset) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        for table in ruleset.tables {
            for chain in table.chains {
                for rule in chain.rules {
                    for interface in [rule.header.inInterface, rule.header.outInterface] {
                        if let text = interface?.value.text, seen.insert(text).inserted { names.append(text) }
                    }
                }
            }
        }
        return names
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
