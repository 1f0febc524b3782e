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
        // The structural diff reads only the rulesets: it is made on the other core meanwhile.
        let structure = Concurrently.start { StructuralDiff(old: old, new: new) }
        let interner = StructureInterner()
        let drafts = BothSides.map(old, new, SymbolicProgram.draft)
        let oldProgram = SymbolicProgram(draft: drafts.old, interner: interner)
        let newProgram = SymbolicProgram(draft: drafts.new, interner: interner)
        let endOfHook = interner.number("end of hook")
        // What witnesses need, made once the first class is found.
        lazy var names = interfaceNames(old) + interfaceNames(new)
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
                        // Where the diff could not decide (a target it does not model, a jump
                        // stack exhausted), the evaluator cannot either: nothing to confirm.
                        let decided = !difference.old.ending.isUndetermined && !difference.new.ending.isUndetermined
                        if decided, oldOutcomes.count == 1, newOutcomes.count == 1, cube.conditions.isEmpty {
                            found.confirmed = oldOutcomes != newOutcomes
                        }
                    }
                    classes.append(found)
                }
            }
        }
        return SemanticDiff(family: family, scope: scope, classes: classes, structure: structure.value)
    }

    /// Every interface name the rules use (for witnesses with readable devices).
    public static func interfaceNames(_ ruleset: Ruleset) -> [String] {
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
