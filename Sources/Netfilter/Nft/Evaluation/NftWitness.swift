/// A class of an nft walk with a packet of it that the walk, given that packet alone, ends
/// the same way for (its witness).
public struct NftClass: Sendable, Hashable {
    public var result: NftResult
    /// A packet of the class; nil when none could be picked.
    public var witness: Packet?
    /// Whether the concrete walk of the witness ends as the class does.
    public var confirmed: Bool?

    public init(result: NftResult, witness: Packet? = nil, confirmed: Bool? = nil) {
        self.result = result
        self.witness = witness
        self.confirmed = confirmed
    }
}

/// Picks each class's witness and walks it alone to confirm the class: verdict, answer and
/// deciding entry must agree, and the class's conditions with the concrete walk's.
public enum NftWitness {
    public static func classes(_ results: [NftResult], described: DescribedPackets, hooks: [Hook],
                               walker: NftHookWalker) -> [NftClass] {
        let names = interfaceNames(walker.program)
        // The hook whose devices the witness takes: one with both devices where the path has it.
        let hook = hooks.first { $0 == .forward } ?? hooks.first { $0 == .postrouting && hooks.count > 2 }
            ?? hooks.first
        return results.map { result in
            let cube = result.packets?.cubes.first
            let found = Witness.confirmed(for: cube, candidate: { choice in
                OutcomeClasses.witness(in: cube, described: described, hook: hook, interfaceNames: names,
                                       choice: choice)
            }, confirms: { witness in
                confirms(result, walker.walk(hooks: hooks, packet: witness))
            })
            return NftClass(result: result, witness: found?.witness, confirmed: found?.confirmed)
        }
    }

    /// Whether one of a witness's walks ends as the class does.
    static func confirms(_ result: NftResult, _ concrete: [NftResult]) -> Bool {
        let conditions = result.packets?.cubes.flatMap(\.conditions) ?? []
        return concrete.contains { walk in
            let agrees = (walk.packets?.cubes ?? [PacketCube()]).contains { cube in
                cube.conditions.allSatisfy { condition in
                    !conditions.contains { $0.text == condition.text && $0.holds != condition.holds }
                }
            }
            return agrees && walk.verdict == result.verdict && walk.answer == result.answer
                && decidingEntry(walk) == decidingEntry(result)
        }
    }

    /// The last entry that was not a rule passed by: the rule or policy that decided.
    static func decidingEntry(_ result: NftResult) -> String? {
        result.steps.last { !$0.isSkip && !$0.isEntry }.map { "\($0.place) \($0.number ?? 0) \($0.kind)" }
    }

    /// The device names the rules test (`iifname "eth0"`), for witnesses that name real devices.
    static func interfaceNames(_ program: NftProgram) -> [String] {
        var names: [String] = []
        for table in program.tables {
            for chain in table.table.chains {
                for rule in chain.rules {
                    for case .match(let relation) in rule.statements {
                        guard let selector = NftSelector(relation.left), selector.kind == .interface else { continue }
                        var words: [String] = []
                        switch relation.right {
                        case .value(let word): words = [word]
                        case .set(let elements):
                            words = elements.compactMap { if case .value(let word) = $0.key { word } else { nil } }
                        default: break
                        }
                        for word in words {
                            guard let name = NftValues.interfaceName(word), !name.isWildcard,
                                  !names.contains(name.text) else { continue }
                            names.append(name.text)
                        }
                    }
                }
            }
        }
        return names
    }
}
