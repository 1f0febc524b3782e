/// How a rule divides the packets a part of the walk stands for.
enum ClassDivision {
    /// None of them matches (the reason, for the trace).
    case none(String)
    /// All of them match (the packets, now with the conditions the rule required).
    case all(PacketSpace)
    /// Some match: the part that matched, and the parts that did not (with the reason).
    case parts(matched: ChainWalker.State, rest: [ChainWalker.State], reason: String)
    /// The split would make more classes than the walk follows.
    case tooComplex
}

extension TableWalk {
    /// Splits a part's packets by the checks of a rule they leave undecided: the rule's
    /// header-space set of those checks (matches the algebra cannot express as named
    /// conditions), read through what the walk changed so far. Fields the packet gives are
    /// decided already and left out, so a rule never splits on them.
    func split(_ position: Int, _ parts: UndecidedParts, _ state: State) -> ClassDivision {
        let family = state.outcome.packet.family
        let (checks, arrival, chances) = space(of: parts, position, state)
        let text = { self.text(of: parts, position, family: family) }
        let beforeConntrack = state.outcome.packet.conntrack.awaitsConntrack
        let packets = (state.outcome.packets ?? .all(family)).restrictedToDomain(of: state.outcome.packet)
        let division: (matched: PacketSpace, rest: PacketSpace)?
        if let arrival {
            // Fields the packet gives are decided on its current values; the arrival sets
            // were decided on what it arrived with.
            let rule = arrival.mapCurrent { $0.intersection(checks).specialized(by: state.outcome.packet) }
            division = state.outcome.environment.divide(packets, by: rule, beforeConntrack: beforeConntrack,
                                                        ruleText: text(), limit: ChainWalker.classLimit)
        } else {
            division = state.outcome.environment.divide(packets, by: checks.specialized(by: state.outcome.packet),
                                                        beforeConntrack: beforeConntrack, ruleText: text(),
                                                        limit: ChainWalker.classLimit)
        }
        guard let (matched, rest) = division else { return .tooComplex }
        if matched.isEmpty { return .none(recordsSkips ? "none of these packets: " + text() : "") }
        if rest.isEmpty { return .all(matched) }
        var matchedState = state
        matchedState.outcome.packets = matched
        matchedState.outcome.probability = state.outcome.probability.map {
            $0 * Self.chance(of: matched.cubes.first, chances)
        }
        matchedState.outcome.pin()
        // The packets that did not match, one part per probability (statistic's random
        // outcomes taken or not).
        var groups: [(probability: Double, cubes: [PacketCube])] = []
        for cube in rest.cubes {
            let factor = Self.chance(of: cube, chances)
            if let index = groups.firstIndex(where: { $0.probability == factor }) {
                groups[index].cubes.append(cube)
            } else {
                groups.append((factor, [cube]))
            }
        }
        let restStates = groups.map { group -> State in
            var part = state
            part.outcome.packets = PacketSpace(family: family, cubes: group.cubes)
            part.outcome.probability = state.outcome.probability.map { $0 * group.probability }
            part.outcome.pin()
            return part
        }
        return .parts(matched: matchedState, rest: restStates, reason: recordsSkips ? "not these packets: " + text() : "")
    }

    /// The probability that a class's random outcomes (its chance conditions) come true.
    static func chance(of cube: PacketCube?, _ chances: [(text: String, probability: Double)]) -> Double {
        guard let cube else { return 1 }
        var result = 1.0
        for chance in chances {
            switch cube.condition(chance.text) {
            case true?: result *= chance.probability
            case false?: result *= 1 - chance.probability
            case nil: break
            }
        }
        return result
    }

    /// The header-space set of a rule's undecided checks: as the rule sees the packet, and
    /// (nil when none of them reads it) the part of it that reads what the packet arrived
    /// with (see `MixedSpace`), the rule's set being both; and the conditions that stand for
    /// random matches with their probabilities.
    func space(of parts: UndecidedParts, _ position: Int, _ state: State)
        -> (PacketSpace, MixedSpace?, [(text: String, probability: Double)]) {
        let family = state.outcome.packet.family
        if let opaque = parts.opaque {
            let condition = RuleSpace.opaqueCondition(opaque, beforeConntrack: state.outcome.packet.conntrack.awaitsConntrack,
                                                      family: family)
            return (condition, nil, [])
        }
        var space = parts.header.map { RuleSpace.header($0, family: family) } ?? .all(family)
        var arrival: MixedSpace?
        var chances: [(text: String, probability: Double)] = []
        let reference = "\(walker.program.name)/\(chains[state.chain].name):\(state.rule + 1)"
        for (index, chance) in parts.matches where !space.isEmpty {
            let call = rules[position].matches[index]
            if chance == nil, let mixed = call.spec.arrivalSpace?(call, state.outcome.packet) {
                arrival = arrival.map { $0.intersection(mixed) } ?? mixed
            } else if let chance {
                let text = RuleSpace.text(of: call) + " (" + reference + ")"
                chances.append((text, chance))
                space = space.intersection(.condition(text, family: family))
            } else if let modelled = call.spec.space?(call, family)
                        ?? call.spec.hostSpace?(call, state.outcome.packet) {
                space = space.intersection(modelled)
            } else {
                // A match that depends on earlier packets (a rate, a list, a counter) is
                // another condition at each rule; one that reads what the description does
                // not carry is the same condition wherever it is asked.
                let condition = RuleSpace.condition(call, at: call.spec.keepsState ? reference : nil,
                                                    beforeConntrack: state.outcome.packet.conntrack.awaitsConntrack,
                                                    family: family)
                space = space.intersection(condition)
            }
        }
        return (space, arrival, chances)
    }

    /// Splits a part whose conntrack state is open by each state (for targets that act only
    /// on packets with a connection).
    func splitByState(_ state: State) -> [State] {
        let family = state.outcome.packet.family
        let packets = state.outcome.packets ?? .all(family)
        return ConntrackStateValue.allCases.compactMap { value in
            let one = packets.intersection(.where(.state, .intervals(IntervalSet(value: UInt128(value.rawValue))), family: family))
            guard !one.isEmpty else { return nil }
            var part = state
            part.outcome.packets = one
            part.outcome.pin()
            return part
        }
    }

    /// What a long chain's destination index does for a part: skips to the next rule its
    /// destination can match, or, at the chain's start, splits packets with open
    /// destinations by the indexed destinations they can have (the rest skip them all).
    enum IndexStep { case none, skipped, split }

    func skipByIndex(_ index: DestinationIndex, _ state: inout State, _ waiting: inout [State]) -> IndexStep {
        let ruleCount = chains[state.chain].ruleCount
        let next: Int
        if let destination = state.outcome.packet.destination {
            next = index.next(from: state.rule, destination: destination, end: ruleCount)
        } else if state.avoidsIndexed {
            next = index.next(from: state.rule, destination: nil, end: ruleCount)
        } else if state.rule == 0, state.outcome.environment.rewrites[.destination] == nil,
                  index.splitsOpenDestinations {
            splitByIndex(index, state, &waiting)
            return .split
        } else {
            return .none
        }
        guard next != state.rule else { return .none }
        if recordsSkips {
            let reason = state.outcome.packet.destination.map { "each requires a destination other than \($0)" }
                ?? "each requires a destination these packets do not have"
            let first = state.rule + 1
            skip(&state, reason, number: first, through: next == first ? nil : next)
        }
        state.rule = next
        return .skipped
    }

    /// Splits a part with open destinations at a long chain's start: one part per indexed
    /// destination it can have, and one for the others.
    private func splitByIndex(_ index: DestinationIndex, _ state: State, _ waiting: inout [State]) {
        let family = state.outcome.packet.family
        let packets = state.outcome.packets ?? .all(family)
        let (singles, others) = packets.splitByDestinations(index.destinations)
        var parts = singles.map { single -> State in
            var part = state
            part.outcome.packets = PacketSpace(family: family, cubes: [single])
            part.outcome.pin()
            return part
        }
        if !others.isEmpty {
            var part = state
            part.outcome.packets = PacketSpace(family: family, cubes: others)
            part.avoidsIndexed = true
            part.outcome.pin()
            parts.append(part)
        }
        waiting.append(contentsOf: parts.reversed())
    }
}

extension PacketSpace {
    /// The packets with their open devices restricted to what the packet's hook allows: a
    /// device where the hook always has one is a name, never none.
    func restrictedToDomain(of packet: Packet) -> PacketSpace {
        let some = FieldSet.intervals(IntervalSet(UInt128(1) << 120, PacketField.inInterface.maximum(family)))
        var result = self
        if packet.hookState.inInterfaceIsOpen, packet.hookState.hook?.alwaysHasInputDevice ?? false {
            result = result.restricting(.inInterface, to: some)
        }
        if packet.hookState.outInterfaceIsOpen, packet.hookState.hook != nil {
            result = result.restricting(.outInterface, to: some)
        }
        return result
    }

    /// Each class with a field restricted to a set (classes left empty dropped).
    func restricting(_ field: PacketField, to set: FieldSet) -> PacketSpace {
        PacketSpace(family: family, cubes: cubes.map { cube in
            var cube = cube
            cube.restrict(field, to: set)
            return cube
        })
    }

    /// The set with the fields a packet gives decided: a class whose constraint the
    /// packet's value meets loses it, one whose constraint it misses is dropped.
    func specialized(by packet: Packet) -> PacketSpace {
        var result: [PacketCube] = []
        result.reserveCapacity(cubes.count)
        for cube in cubes {
            var kept = PacketCube()
            var possible = true
            for constraint in cube.constraints {
                guard let value = packet.givenValue(of: constraint.field) else {
                    kept.restrict(constraint.field, to: constraint.set)
                    continue
                }
                if !constraint.set.contains(value) {
                    possible = false
                    break
                }
            }
            guard possible else { continue }
            for condition in cube.conditions { kept.require(condition.text, condition.holds) }
            result.append(kept)
        }
        return PacketSpace(family: family, cubes: result)
    }
}

extension Packet {
    /// The value of a field as the rules see it now, in the algebra's encoding; nil when
    /// the field is open.
    func givenValue(of field: PacketField) -> UInt128? {
        switch field {
        case .inInterface:
            return hookState.inInterfaceIsOpen ? nil : InterfaceName.encode((hookState.inInterface ?? "").utf8)
        case .outInterface:
            return hookState.outInterfaceIsOpen ? nil : InterfaceName.encode((hookState.outInterface ?? "").utf8)
        case .state:
            return conntrack.visibleState.flatMap { ConntrackStateValue(name: $0.rawValue) }.map { UInt128($0.rawValue) }
        case .fragment: return open.contains(.fragment) ? nil : (isFragment ? 1 : 0)
        case .mark: return open.contains(.mark) ? nil : UInt128(mark)
        case .icmp: return icmpCode == nil ? nil : PacketCube.value(of: .icmp, in: self)
        default: return PacketCube.value(of: field, in: self)
        }
    }
}

extension Packet {
    /// The one ICMP type every class of `packets` has, when they have one (codes aside).
    func singleICMPType(_ packets: PacketSpace) -> UInt8? {
        var found: UInt128?
        for index in packets.cubes.indices {
            guard let bounds = packets.cubes[index].bounds(of: .icmp), bounds.lower >> 8 == bounds.upper >> 8 else {
                return nil
            }
            if let found, found != bounds.lower >> 8 { return nil }
            found = bounds.lower >> 8
        }
        return found.map { UInt8(truncatingIfNeeded: $0) }
    }
}

extension WalkResult {
    /// Gives the packet every open field its packets all have one value of (and the walk has
    /// not rewritten), so that later rules decide on them directly.
    mutating func pin() {
        guard let packets, !packets.isEmpty else { return }
        packet.pin(from: packets, environment: environment)
    }
}

extension Packet {
    /// The packet with the single values of its class given, as it arrived (before any walk
    /// changed them): a class whose source is one address arrived with that address, so a
    /// walk that pinned it did not NAT it. nil: every packet, nothing to give.
    func arrived(as packets: PacketSpace?) -> Packet {
        guard let packets else { return self }
        var arrived = self
        arrived.pin(from: packets, environment: SymbolicEnvironment())
        return arrived
    }

    /// Sets each open field that has one value in every class of `packets` (see
    /// `WalkResult.pin`).
    mutating func pin(from packets: PacketSpace, environment: SymbolicEnvironment) {
        let rewritten = !environment.rewrites.isEmpty
        func single(_ field: PacketField) -> UInt128? {
            if rewritten && environment.rewrites[field] != nil { return nil }
            let width: UInt64 = field == .tcpFlags ? 0xFF : 0xFFFF_FFFF
            var found: UInt128?
            // By index: the classes' sets are read in place, not copied.
            for index in packets.cubes.indices {
                guard let value = packets.cubes[index].singleValue(of: field, width: width),
                      found == nil || found == value else { return nil }
                found = value
            }
            return found
        }
        // A connection this packet opened (its original direction) has the packet's arrival
        // addresses, ports and protocol as its tuple: those pinned here (from arrival values:
        // the walk has not rewritten them) are the tuple's too, or the packet would look
        // NATed to conntrack's SNAT/DNAT status and tuple options.
        var tuple = conntrack.tuple.flatMap { $0.isReply ? nil : $0 }
        if source == nil, let value = single(.source) {
            source = RuleSpace.address(value, family: family)
            if tuple?.source == nil { tuple?.source = source }
        }
        if destination == nil, let value = single(.destination) {
            destination = RuleSpace.address(value, family: family)
            if tuple?.destination == nil { tuple?.destination = destination }
        }
        if self.protocol == nil, let value = single(.protocol) {
            self.protocol = UInt8(truncatingIfNeeded: value)
            if tuple?.protocol == nil { tuple?.protocol = self.protocol }
        }
        if sourcePort == nil, let value = single(.sourcePort) {
            sourcePort = UInt16(truncatingIfNeeded: value)
            if tuple?.sourcePort == nil { tuple?.sourcePort = sourcePort }
        }
        if destinationPort == nil, let value = single(.destinationPort) {
            destinationPort = UInt16(truncatingIfNeeded: value)
            if tuple?.destinationPort == nil { tuple?.destinationPort = destinationPort }
        }
        if let tuple, tuple != conntrack.tuple { conntrack.tuple = tuple }
        if icmpCode == nil, let value = single(.icmp) {
            icmpType = UInt8(truncatingIfNeeded: value >> 8)
            icmpCode = UInt8(truncatingIfNeeded: value)
        } else if icmpType == nil, !rewritten || environment.rewrites[.icmp] == nil,
                  let type = singleICMPType(packets) {
            // One type, its code open (`--icmp-type echo-request` is type 8, any code).
            icmpType = type
        }
        if hookState.inInterfaceIsOpen, let value = single(.inInterface) {
            hookState.inInterface = InterfaceName.decode(value)
        }
        if hookState.outInterfaceIsOpen, let value = single(.outInterface) {
            hookState.outInterface = InterfaceName.decode(value)
        }
        if conntrack.state == nil, !conntrack.beforeConntrack, let value = single(.state),
           let state = ConntrackStateValue(rawValue: Int(value)).flatMap({ ConntrackState(rawValue: $0.name) }) {
            conntrack.state = state
        }
        if open.contains(.fragment), let value = single(.fragment) {
            isFragment = value == 1
            open.remove(.fragment)
        }
        if open.contains(.mark), let value = single(.mark) {
            mark = UInt32(truncatingIfNeeded: value)
            open.remove(.mark)
        }
        if conntrack.mark == nil, let value = single(.connmark) { conntrack.mark = UInt32(truncatingIfNeeded: value) }
        if tcpFlags == nil, let value = single(.tcpFlags) { tcpFlags = UInt8(truncatingIfNeeded: value) }
        if packetType == nil, let value = single(.packetType), let type = PacketTypeValue(rawValue: Int(value)) {
            packetType = type.name
        }
    }
}
