/// One answer of a walk for a class of packets: what happened (a representative walk),
/// which packets (one header-space class, nil for every packet described), and a packet of
/// the class that the concrete evaluator confirmed gets the same outcome.
public struct OutcomeClass: Sendable {
    public var result: WalkResult
    /// The class, as the packets arrived (over the fields the description left open, with
    /// its conditions); nil: every packet described.
    public var packets: PacketCube?
    /// A packet of the class, every field given.
    public var witness: Packet?
    /// Whether the concrete walk of the witness ends the same way (the same verdict after
    /// the same rules); nil when no witness could be made.
    public var confirmed: Bool?

    public init(result: WalkResult, packets: PacketCube?, witness: Packet? = nil, confirmed: Bool? = nil) {
        self.result = result
        self.packets = packets
        self.witness = witness
        self.confirmed = confirmed
    }
}

/// Turns a walk's results into the classes the answer lists: results that end alike (the
/// same verdict after the same rules, the same packet after them) merged, their classes
/// joined where the algebra allows.
public enum OutcomeClasses {
    /// The classes of the results, in the order their first result came: results with the
    /// same walk (`Key`) merged.
    public static func merge(_ results: [WalkResult]) -> [OutcomeClass] {
        merge(results, key: Key.init)
    }

    /// The classes of the results, those with equal keys merged (the first one's walk
    /// standing for them all).
    public static func merge<K: Hashable>(_ results: [WalkResult], key: (WalkResult) -> K) -> [OutcomeClass] {
        var groups: [K: Int] = [:]
        var merged: [(result: WalkResult, cubes: [PacketCube]?)] = []
        for result in results {
            let key = key(result)
            if let index = groups[key] {
                merged[index].cubes = (merged[index].cubes ?? []) + (result.packets?.cubes ?? [])
            } else {
                groups[key] = merged.count
                merged.append((result, result.packets?.cubes))
            }
        }
        return merged.flatMap { entry -> [OutcomeClass] in
            guard let cubes = entry.cubes else { return [OutcomeClass(result: entry.result, packets: nil)] }
            return SemanticDiff.mergeCubes(cubes).map { cube in
                var result = entry.result
                result.packets = PacketSpace(family: result.packet.family, cubes: [cube])
                return OutcomeClass(result: result, packets: cube)
            }
        }
    }

    /// What makes two results the same answer: how the walk ended, the rules that matched
    /// (in order, with what they did), the packet after the walk and the probability.
    struct Key: Hashable {
        var verdict: StandardVerdict?
        var undetermined: String?
        var matched: [Step]
        /// The addresses and ports NAT left (the same rules may rewrite different packets
        /// differently: MASQUERADE to each out device's address).
        var after: String
        var probability: Double?

        struct Step: Hashable {
            var table: String
            var chain: String
            var number: Int
            var effect: String?
        }

        init(_ result: WalkResult) {
            verdict = result.verdict
            undetermined = result.undetermined
            matched = result.steps.compactMap { step in
                switch step.kind {
                case .matched, .policy, .implicitReturn:
                    return Step(table: step.table, chain: step.chain, number: step.number, effect: step.effect)
                case .skipped, .skippedRun:
                    return nil
                }
            }
            let packet = result.packet
            after = result.steps.contains { $0.rewritesAddresses }
                ? PacketDescription.endpoint(packet.source, packet.sourcePort) + " > "
                    + PacketDescription.endpoint(packet.destination, packet.destinationPort)
                : ""
            probability = result.probability
        }
    }

    /// A packet of each class (the described packet's given fields, the class's first
    /// readable values for the open ones), walked by `evaluate` as a concrete packet: the
    /// class is confirmed when that walk ends the same way.
    public static func witnesses(_ classes: [OutcomeClass], described: DescribedPackets, hook: Hook?, interfaceNames: [String],
                                 evaluate: (Packet) -> [WalkResult]) -> [OutcomeClass] {
        classes.map { item in
            var item = item
            guard let witness = witness(in: item.packets, described: described, hook: hook,
                                        interfaceNames: interfaceNames) else {
                return item
            }
            item.witness = witness
            let concrete = evaluate(witness)
            let wanted = Key(item.result)
            let conditions = item.packets?.conditions ?? []
            item.confirmed = concrete.contains { result in
                let key = Key(result)
                // A concrete result may stand for several classes of conditions (parts of its
                // walk with one probability travel together): one must agree with the class's
                // (no condition true in one and false in the other; the class may have merged
                // away a condition its outcome does not depend on).
                let sameConditions = (result.packets?.cubes ?? [PacketCube()]).contains { cube in
                    cube.conditions.allSatisfy { condition in
                        !conditions.contains { $0.text == condition.text && $0.holds != condition.holds }
                    }
                }
                return sameConditions && key.verdict == wanted.verdict && key.matched == wanted.matched
                    && key.undetermined == wanted.undetermined
            }
            return item
        }
    }

    /// A packet of a class: the given fields of the description, and for each open field
    /// a value of the class (readable ones first).
    public static func witness(in cube: PacketCube?, described: DescribedPackets, hook: Hook?,
                               interfaceNames: [String]) -> Packet? {
        var given = described.packet
        given.hook = hook
        var full = cube ?? PacketCube()
        // Devices: none where the hook has none; a name where it always has one.
        let some = FieldSet.intervals(IntervalSet(UInt128(1) << 120, PacketField.inInterface.maximum(given.family)))
        if given.inInterface == nil {
            if let hook, !hook.hasInputDevice { given.inInterface = "" }
            if hook?.alwaysHasInputDevice ?? false { full.restrict(.inInterface, to: some) }
        }
        if given.outInterface == nil {
            if let hook, !hook.hasOutputDevice { given.outInterface = "" } else if hook != nil { full.restrict(.outInterface, to: some) }
        }
        for field in PacketField.allCases {
            guard let value = given.givenValue(of: field) else { continue }
            full.replace(field, with: field.isTernary ? .ternary(TernarySet(value: UInt64(value), mask: field == .tcpFlags ? 0xFF : 0xFFFF_FFFF))
                                                      : .intervals(IntervalSet(value: value)))
        }
        given.open = []
        guard var witness = Witness.packet(in: full, family: given.family, walk: .chain(table: "", chain: ""),
                                           interfaceNames: interfaceNames) else { return nil }
        // What the set algebra does not model comes from the description.
        witness.length = given.length
        witness.ttl = given.ttl
        witness.tos = given.tos
        witness.packetType = given.packetType
        witness.sourceMAC = given.sourceMAC
        witness.destinationMAC = given.destinationMAC
        witness.physdevIn = given.physdevIn
        witness.physdevOut = given.physdevOut
        witness.bridged = given.bridged
        witness.uid = given.uid
        witness.gid = given.gid
        witness.localAddresses = given.localAddresses
        witness.deviceAddresses = given.deviceAddresses
        witness.ipsets = given.ipsets
        witness.addressTypes = given.addressTypes
        // Devices a hook does not have stay none.
        if given.inInterface == "" { witness.inInterface = "" }
        if given.outInterface == "" { witness.outInterface = "" }
        witness.hook = nil
        return witness
    }
}
