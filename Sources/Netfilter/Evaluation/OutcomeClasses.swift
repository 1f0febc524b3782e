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

/// Turns a walk's results into the classes the answer lists: results that give the same
/// answer (`AnswerKey`) merged, their classes joined where the algebra allows.
public enum OutcomeClasses {
    /// The classes of the results, in the order their first result came.
    public static func merge(_ results: [WalkResult]) -> [OutcomeClass] {
        merge(results, key: AnswerKey.init)
    }

    /// The classes of the results, those with equal keys merged (the first one's walk
    /// standing for them all).
    public static func merge<K: Hashable>(_ results: [WalkResult], key: (WalkResult) -> K) -> [OutcomeClass] {
        guard let family = results.first?.packet.family else { return [] }
        return PacketCube.grouped(results, family: family, key: key, packets: { $0.packets?.cubes }).map { result, cube in
            var result = result
            result.packets = cube.map { PacketSpace(family: family, cubes: [$0]) }
            return OutcomeClass(result: result, packets: cube)
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
            let wanted = AnswerKey(item.result)
            let conditions = item.packets?.conditions ?? []
            item.confirmed = concrete.contains { result in
                let sameConditions = result.conditions.allSatisfy { condition in
                    conditions.contains { $0.text == condition.text && $0.holds == condition.holds }
                }
                return sameConditions && AnswerKey(result) == wanted
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

/// What makes two walks the same answer: how it ended, the entry that decided (for packets
/// that got through, the filter table's last), the NAT on the way with the addresses and
/// ports it left, and the probability. Classes with equal keys are answered in one line.
public struct AnswerKey: Hashable, Sendable {
    /// A trace entry by place.
    struct Entry: Hashable, Sendable {
        var table: String
        var chain: String
        var number: Int

        init(_ step: TraceStep) {
            table = step.table
            chain = step.chain
            number = step.number
        }
    }

    var verdict: StandardVerdict?
    var undetermined: String?
    var deciding: Entry?
    var nat: [Entry]
    var natEndpoints: [UInt128?]
    var probability: Double?

    public init(_ result: WalkResult) {
        verdict = result.verdict
        undetermined = result.undetermined
        var last = result.steps.last
        if result.verdict == .accept, let filter = result.steps.last(where: { $0.table == "filter" }) { last = filter }
        deciding = last.map(Entry.init)
        let rewriting = result.steps.filter(\.rewritesAddresses)
        nat = rewriting.map(Entry.init)
        // Where NAT left the packet (only the side it rewrote: the other one may differ
        // among the packets of one answer).
        let packet = result.packet
        natEndpoints = []
        if rewriting.contains(where: \.rewritesSource) {
            natEndpoints += [packet.source.map(RuleSpace.value), packet.sourcePort.map { UInt128($0) }]
        }
        if rewriting.contains(where: \.rewritesDestination) {
            natEndpoints += [packet.destination.map(RuleSpace.value), packet.destinationPort.map { UInt128($0) }]
        }
        probability = result.probability
    }
}
