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
    /// Where the class's packets reached its answer by different walks (a rule on the way
    /// matched some of them and not the others without changing the answer): each walk with
    /// its part of the class, in walk order. Empty when they all went one way (`result`'s).
    public var ways: [OutcomeWay] = []
    /// Whether the walk lists the rules that did not match (false for a class shown with the
    /// entries that decided alone).
    public var skippedRulesListed = true

    public init(result: WalkResult, packets: PacketCube?, witness: Packet? = nil, confirmed: Bool? = nil) {
        self.result = result
        self.packets = packets
        self.witness = witness
        self.confirmed = confirmed
    }
}

/// One walk among those that led a class's packets to the class's answer, with its packets.
public struct OutcomeWay: Sendable {
    public var result: WalkResult
    /// The part of the class that went this way; nil: every packet described.
    public var packets: PacketCube?
}

/// The walk a result took: every entry that matched, with what it did (the rules that did
/// not match left out, so that a brief walk has the same path as a full one).
struct WalkPath: Hashable {
    struct Entry: Hashable {
        var table: String
        var chain: String
        var number: Int
        var effect: StepEffect?
    }

    var entries: [Entry]

    init(_ result: WalkResult) {
        entries = result.steps.compactMap { step in
            switch step.kind {
            case .matched, .policy, .implicitReturn:
                return Entry(table: step.table, chain: step.chain, number: step.number, effect: step.effect)
            case .skipped, .skippedRun, .mayMatch:
                return nil
            }
        }
    }
}

/// Turns a walk's results into the classes the answer lists: results that give the same
/// answer (`AnswerKey`) merged, their classes joined where the algebra allows.
public enum OutcomeClasses {
    /// The classes of the results, in the order their first result came.
    public static func merge(_ results: [WalkResult], waysFor shown: Int = .max) -> [OutcomeClass] {
        merge(results, key: AnswerKey.init, waysFor: shown)
    }

    /// The classes of the results, those with equal keys merged (the first one's walk
    /// standing for them all).
    /// `shown`: how many classes, from the first, get their ways (the details print a few).
    public static func merge<K: Hashable & Sendable>(_ results: [WalkResult], key: @Sendable (WalkResult) -> K,
                                                     waysFor shown: Int = .max) -> [OutcomeClass] {
        guard let family = results.first?.packet.family else { return [] }
        // Each result's answer and walk as a number (keys are large to hash and copy); the
        // keys of many results made on the machine's cores.
        let keys = Concurrently.pays(for: results.count) ? Concurrently.map(results, key) : results.map(key)
        let answers = numbered(keys)
        let cubes = { (index: Int) in results[index].packets?.cubes }
        // What the packets of each answer have in common after the walk (one result stands
        // for them all: it must not show one part's values for the others).
        let common = Packet.common(results.indices.map { (answers[$0], results[$0].packet) })
        let grouped = PacketCube.grouped(Array(results.indices), family: family, key: { answers[$0] }, packets: cubes)
        var classes = grouped.map {
            var result = results[$0.item]
            result.packets = $0.packets.map { PacketSpace(family: family, cubes: [$0]) }
            if let packet = common[answers[$0.item]] { result.packet = packet }
            return OutcomeClass(result: result, packets: $0.packets)
        }
        // The answers of the classes shown reached by more than one walk.
        let shownAnswers = Set(grouped.prefix(shown).map { answers[$0.item] })
        guard !shownAnswers.isEmpty else { return classes }
        let candidates = results.indices.filter { shownAnswers.contains(answers[$0]) }
        var paths = [Int](repeating: -1, count: results.count)
        for (index, path) in zip(candidates, numbered(candidates.map { WalkPath(results[$0]) })) { paths[index] = path }
        var firstPath: [Int: Int] = [:]
        var severalWays: Set<Int> = []
        for index in candidates {
            let answer = answers[index]
            if let path = firstPath[answer] {
                if path != paths[index] { severalWays.insert(answer) }
            } else {
                firstPath[answer] = paths[index]
            }
        }
        guard !severalWays.isEmpty else { return classes }
        // Their walks, each with its packets.
        let involved = results.indices.filter { severalWays.contains(answers[$0]) }
        let way = { (index: Int) in WayKey(answer: answers[index], path: paths[index]) }
        let commonToWay = Packet.common(involved.map { (way($0), results[$0].packet) })
        var waysByAnswer: [Int: [OutcomeWay]] = [:]
        for walk in PacketCube.grouped(involved, family: family, key: way, packets: cubes) {
            var result = results[walk.item]
            if let packet = commonToWay[way(walk.item)] { result.packet = packet }
            waysByAnswer[answers[walk.item], default: []].append(OutcomeWay(result: result, packets: walk.packets))
        }
        var classCount: [Int: Int] = [:]
        for item in grouped { classCount[answers[item.item], default: 0] += 1 }
        for (index, item) in grouped.prefix(shown).enumerated() {
            let answer = answers[item.item]
            guard let candidates = waysByAnswer[answer] else { continue }
            // Alone in its answer, the class holds every walk; else the parts it shares with them.
            classes[index].ways = classCount[answer] == 1 ? candidates : candidates.compactMap { way in
                var way = way
                switch (classes[index].packets, way.packets) {
                case (nil, _): break
                case (let mine?, nil): way.packets = mine
                case (let mine?, let theirs?):
                    guard let part = mine.intersection(theirs) else { return nil }
                    way.packets = part
                }
                way.result.packets = way.packets.map { PacketSpace(family: family, cubes: [$0]) }
                return way
            }
            // The class stands for its first walk (the group's first may be another class's).
            if let first = classes[index].ways.first {
                let (packets, packet) = (classes[index].result.packets, classes[index].result.packet)
                classes[index].result = first.result
                classes[index].result.packets = packets
                classes[index].result.packet = packet
            }
            if classes[index].ways.count < 2 { classes[index].ways = [] }
        }
        return classes
    }

    /// A class with its details: its packets walked again by `walk` (which records every
    /// rule visited), its ways where they went several. A walk that does not come back to the
    /// class's answer leaves the class as it was.
    /// `packet`: the described packet, which the walk starts from with the class's single
    /// values given (as the first walk had them once it split the class off).
    /// A class whose packets are too many sets of values to walk again for little cost keeps
    /// the entries that decided (`skippedRulesListed` false).
    public static func detailed(_ item: OutcomeClass, packet: Packet,
                                walk: (Packet, PacketSpace?) -> [WalkResult]) -> OutcomeClass {
        guard (item.packets?.valueRanges ?? 0) <= detailLimit else {
            var kept = item
            kept.skippedRulesListed = false
            return kept
        }
        let packets = item.packets.map { PacketSpace(family: packet.family, cubes: [$0]) }
        let results = walk(packet.arrived(as: packets), packets)
        let answer = AnswerKey(item.result)
        guard !results.isEmpty, results.allSatisfy({ AnswerKey($0) == answer }) else { return item }
        var detailed = item
        let again = merge(results)
        if again.count == 1, let only = again.first {
            detailed.result = only.result
            detailed.ways = only.ways
        } else {
            // The walks came back as several classes (their packets joined otherwise): each
            // is a way.
            detailed.result = again[0].result
            detailed.ways = again.flatMap { part in
                part.ways.isEmpty ? [OutcomeWay(result: part.result, packets: part.packets)] : part.ways
            }
        }
        detailed.result.packets = item.result.packets
        detailed.result.packet = item.result.packet
        return detailed
    }

    /// The most value ranges (intervals and patterns over all fields) a class may have to be
    /// walked again for its details.
    public static let detailLimit = 64

    /// Each value as a number, equal values the same number.
    private static func numbered<T: Hashable>(_ values: [T]) -> [Int] {
        var numbers: [T: Int] = [:]
        numbers.reserveCapacity(values.count)
        return values.map { value in
            if let number = numbers[value] { return number }
            numbers[value] = numbers.count
            return numbers.count - 1
        }
    }

    /// Results grouped by their answer and the walk that led there.
    private struct WayKey: Hashable {
        var answer: Int
        var path: Int
    }

    /// A packet of each class (the described packet's given fields, the class's first
    /// readable values for the open ones), walked by `evaluate` as a concrete packet: the
    /// class is confirmed when that walk ends the same way.
    public static func witnesses(_ classes: [OutcomeClass], described: DescribedPackets, hook: Hook?, interfaceNames: [String],
                                 evaluate: (Packet) -> [WalkResult]) -> [OutcomeClass] {
        classes.map { item in
            var item = item
            let found = Witness.confirmed(for: item.packets, candidate: { choice in
                witness(in: item.packets, described: described, hook: hook, interfaceNames: interfaceNames,
                        choice: choice)
            }, confirms: { confirms(item, witness: $0, evaluate: evaluate) })
            if let found {
                item.witness = found.witness
                item.confirmed = found.confirmed
            }
            return item
        }
    }

    /// Whether the evaluator, walking the witness alone, ends as the class does.
    static func confirms(_ item: OutcomeClass, witness: Packet, evaluate: (Packet) -> [WalkResult]) -> Bool {
        let concrete = evaluate(witness)
        let conditions = item.packets?.conditions ?? []
        return concrete.contains { result in
            // A concrete result may stand for several classes of conditions (parts of its
            // walk with one probability travel together): one must agree with the class's
            // (no condition true in one and false in the other; the class may have merged
            // away a condition its outcome does not depend on).
            let sameConditions = (result.packets?.cubes ?? [PacketCube()]).contains { cube in
                cube.conditions.allSatisfy { condition in
                    !conditions.contains { $0.text == condition.text && $0.holds != condition.holds }
                }
            }
            return sameConditions
                && AnswerKey(item.result.specialized(to: witness, after: result)) == AnswerKey(result)
        }
    }

    /// A packet of a class: the given fields of the description, and for each open field
    /// a value of the class (readable ones first).
    public static func witness(in cube: PacketCube?, described: DescribedPackets, hook: Hook?,
                               interfaceNames: [String], choice: Witness.Choice = .readable) -> Packet? {
        var given = described.packet
        given.hookState.hook = hook
        var full = cube ?? PacketCube()
        // Devices: none where the hook has none; a name where it always has one.
        let some = FieldSet.intervals(IntervalSet(UInt128(1) << 120, PacketField.inInterface.maximum(given.family)))
        if given.hookState.inInterface == nil {
            if let hook, !hook.hasInputDevice { given.hookState.inInterface = "" }
            if hook?.alwaysHasInputDevice ?? false { full.restrict(.inInterface, to: some) }
        }
        if given.hookState.outInterface == nil {
            if let hook, !hook.hasOutputDevice { given.hookState.outInterface = "" } else if hook != nil { full.restrict(.outInterface, to: some) }
        }
        for field in PacketField.allCases {
            guard let value = given.givenValue(of: field) else { continue }
            full.replace(field, with: field.isTernary ? .ternary(TernarySet(value: UInt64(value), mask: field == .tcpFlags ? 0xFF : 0xFFFF_FFFF))
                                                      : .intervals(IntervalSet(value: value)))
        }
        given.open = []
        guard var witness = Witness.packet(in: full, family: given.family, walk: .chain(table: "", chain: ""),
                                           interfaceNames: interfaceNames, choice: choice) else { return nil }
        // What the set algebra does not model comes from the description.
        witness.length = given.length
        witness.ttl = given.ttl
        witness.tos = given.tos
        witness.packetType = given.packetType ?? witness.packetType
        witness.sourceMAC = given.sourceMAC
        witness.destinationMAC = given.destinationMAC
        witness.physdevIn = given.physdevIn
        witness.physdevOut = given.physdevOut
        witness.bridged = given.bridged
        witness.uid = given.uid
        witness.gid = given.gid
        witness.host = given.host
        // Devices a hook does not have stay none.
        if given.hookState.inInterface == "" { witness.hookState.inInterface = "" }
        if given.hookState.outInterface == "" { witness.hookState.outInterface = "" }
        witness.hookState.hook = nil
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

extension WalkResult {
    /// A class's result for one of its packets: the endpoints the class leaves open after
    /// NAT are the packet's own (`arrived`), or where a target rewrote them in a way the
    /// class cannot follow (MASQUERADE to an open device's address), the concrete walk's.
    func specialized(to arrived: Packet, after concrete: WalkResult) -> WalkResult {
        var result = self
        func opaque(_ field: PacketField) -> Bool {
            if case .opaque? = environment.rewrites[field] { return true }
            return false
        }
        let after = concrete.packet
        if result.packet.source == nil { result.packet.source = opaque(.source) ? after.source : arrived.source }
        if result.packet.destination == nil {
            result.packet.destination = opaque(.destination) ? after.destination : arrived.destination
        }
        if result.packet.sourcePort == nil {
            result.packet.sourcePort = opaque(.sourcePort) ? after.sourcePort : arrived.sourcePort
        }
        if result.packet.destinationPort == nil {
            result.packet.destinationPort = opaque(.destinationPort) ? after.destinationPort : arrived.destinationPort
        }
        return result
    }
}

extension Packet {
    /// For each key, the packet of its results with the values they do not all share left
    /// open (the addresses, ports, protocol, ICMP type, state, marks and flags a walk pins
    /// or sets).
    static func common<K: Hashable>(_ packets: [(key: K, packet: Packet)]) -> [K: Packet] {
        var common: [K: Packet] = [:]
        common.reserveCapacity(packets.count)
        for (name, packet) in packets {
            if let index = common.index(forKey: name) {
                common.values[index].keepShared(with: packet)
            } else {
                common[name] = packet
            }
        }
        return common
    }

    /// Leaves open the values `other` does not share.
    mutating func keepShared(with other: Packet) {
        if source != other.source { source = nil }
        if destination != other.destination { destination = nil }
        if sourcePort != other.sourcePort { sourcePort = nil }
        if destinationPort != other.destinationPort { destinationPort = nil }
        if self.protocol != other.protocol { self.protocol = nil }
        if icmpType != other.icmpType || icmpCode != other.icmpCode { (icmpType, icmpCode) = (nil, nil) }
        if conntrack.state != other.conntrack.state { conntrack.state = nil }
        if conntrack.mark != other.conntrack.mark { conntrack.mark = nil }
        if tcpFlags != other.tcpFlags { tcpFlags = nil }
        if mark != other.mark || other.open.contains(.mark) { open.insert(.mark) }
    }
}

extension PacketCube {
    /// How many intervals and ternary patterns the class's sets have, over all fields.
    var valueRanges: Int {
        constraints.reduce(0) { total, constraint in
            switch constraint.set {
            case .intervals(let set): return total + set.intervals.count
            case .ternary(let set): return total + set.patterns.count
            }
        }
    }
}
