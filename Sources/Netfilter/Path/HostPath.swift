// net/ipv4/ip_input.c, ip_forward.c, ip_output.c (the IPv4 hooks and the routing
// decision between them), net/bridge/br_netfilter_hooks.c (bridged packets through the
// iptables hooks when bridge-nf-call-iptables is 1).

/// Follows a packet through a host described by a snapshot: the hooks in the kernel's
/// order, the routing decision between them, bridges and br_netfilter, and NAT. Built
/// once per snapshot (its rules compiled once), used for many packets.
public struct HostPath: Sendable {
    public let snapshot: HostSnapshot
    let evaluator: HookEvaluator
    /// For IPv6 packets: the ip6tables rules (an empty rule set when not captured).
    let evaluator6: HookEvaluator
    /// The host's addresses, all and by device, derived from the snapshot once.
    let localAddresses: Set<IPAddress>
    let deviceAddresses: [String: [IPAddress]]
    let addressTypes: AddressTypes?
    /// What the rules read of the host, shared by every packet walked on it.
    let host: HostContext
    /// The TTL the host's own packets leave with (net.ipv4.ip_default_ttl).
    public let defaultTTL: UInt8
    /// The destinations of each family cut by the routing decision they get.
    let routes4: [(destinations: IntervalSet, decision: RoutingDecision, source: IPAddress?)]
    let routes6: [(destinations: IntervalSet, decision: RoutingDecision, source: IPAddress?)]

    public init(_ snapshot: HostSnapshot, pinned: [String: Bool] = [:]) {
        self.snapshot = snapshot
        evaluator = HookEvaluator(snapshot.ruleset, nft: snapshot.nft, pinned: pinned)
        evaluator6 = HookEvaluator(snapshot.ipv6Ruleset ?? Ruleset(family: .ipv6), nft: snapshot.nft, pinned: pinned)
        localAddresses = snapshot.localAddresses
        deviceAddresses = snapshot.deviceAddresses
        addressTypes = snapshot.addressTypes
        host = HostContext(localAddresses: localAddresses, deviceAddresses: deviceAddresses,
                           sourceSelection: SourceSelection(snapshot.interfaces), ipsets: snapshot.ipsets,
                           addressTypes: addressTypes)
        defaultTTL = UInt8(clamping: snapshot.sysctl("net.ipv4.ip_default_ttl", default: 64))
        routes4 = snapshot.routePartition(.ipv4)
        routes6 = snapshot.routePartition(.ipv6)
    }

    /// Whether the TRACE lines of a packet of this family are printed from its first hook
    /// (its rules have no TRACE rule) or only after a TRACE rule matched.
    public func tracesFromStart(_ family: Family) -> Bool {
        guard let rules = family == .ipv6 ? snapshot.ipv6Ruleset : snapshot.ruleset else { return true }
        return !KernelTraceRenderer.hasTraceRules(rules)
    }

    /// A journey so far, for a class of packets.
    struct Journey {
        var packet: Packet
        /// The packet as it entered, once the host filled in what it fills in.
        var entered: Packet?
        /// The packets this journey is for, as they arrived (nil: every packet described).
        var packets: PacketSpace?
        var environment = SymbolicEnvironment()
        var events: [PathEvent] = []
        var probability: Double? = 1

        func end(_ fate: PacketFate, exit: String? = nil) -> [PathOutcome] {
            var outcome = PathOutcome(events: events, fate: fate, packet: packet, packets: packets, environment: environment,
                                      probability: probability, exitDevice: exit)
            outcome.entered = entered
            return [outcome]
        }

        /// The journey for the part of its packets in `space` (nil when none are).
        func narrowed(to space: PacketSpace) -> Journey? {
            let part = (packets ?? .all(packet.family)).intersection(space)
            guard !part.isEmpty else { return nil }
            var journey = self
            journey.packets = part
            journey.packet.pin(from: part, environment: environment)
            return journey
        }

        /// The journey for the part of its packets not in `space` (nil when none are).
        func excluding(_ space: PacketSpace) -> Journey? {
            guard let part = (packets ?? .all(packet.family)).subtracting(space), !part.isEmpty else { return nil }
            var journey = self
            journey.packets = part
            journey.packet.pin(from: part, environment: environment)
            return journey
        }
    }

    /// The routing decision for each part of a journey's packets: one when the destination
    /// is given, else one per set of destinations the routes cut (empty when the walk
    /// changed the destination in a way the path cannot follow).
    func routes(_ journey: Journey) -> [(Journey, RoutingDecision)] {
        routesWithSources(journey).map { ($0.0, $0.1) }
    }

    /// `routes` with the source each route prefers (nil for a given destination: see
    /// `defaultSource`).
    func routesWithSources(_ journey: Journey) -> [(Journey, RoutingDecision, IPAddress?)] {
        if let destination = journey.packet.destination {
            return [(journey, snapshot.route(to: destination), defaultSource(toward: destination))]
        }
        guard journey.environment.rewrites[.destination] == nil else { return [] }
        let family = journey.packet.family
        return (family == .ipv6 ? routes6 : routes4).compactMap { part in
            journey.narrowed(to: .where(.destination, .intervals(part.destinations), family: family)).map { narrowed in
                (narrowed, part.decision, preferredSource(narrowed.packet.destination, part.decision, part.source,
                                                          family: family))
            }
        }
    }

    /// The source ip_route_output_key gives a packet whose socket chose none, toward a
    /// destination (nil: several) by a route: the route's preferred source (a local route's
    /// is the address itself, `src 127.0.0.1` for 127.0.0.0/8; a broadcast route's the
    /// device's), else for a local route the destination, else the out device's first
    /// address (fib_result_prefsrc).
    func preferredSource(_ destination: IPAddress?, _ decision: RoutingDecision, _ routeSource: IPAddress?,
                         family: Family) -> IPAddress? {
        if let routeSource { return routeSource }
        switch decision {
        case .forward(let device, _, _), .broadcast(let device):
            return deviceAddresses[device]?.first { $0.family == family }
        case .local: return destination
        case .unroutable: return nil
        }
    }

    /// The bridge port each part of a journey's packets leaves by: by the next hop's MAC
    /// (neighbour table) in the forwarding database; nil for the part with no entry (flooded).
    func bridgePorts(_ journey: Journey, bridge: String, excluding inPort: String?) -> [(Journey, String?)] {
        if let destination = journey.packet.destination {
            return [(journey, bridgePort(for: destination, bridge: bridge, excluding: inPort))]
        }
        let family = journey.packet.family
        let known = snapshot.neighbours.filter { $0.device == bridge && $0.address.family == family }
        var parts: [(Journey, String?)] = []
        for neighbour in known {
            let value = RuleSpace.value(of: neighbour.address)
            if let part = journey.narrowed(to: .where(.destination, .intervals(IntervalSet(value: value)), family: family)) {
                parts.append((part, bridgePort(for: neighbour.address, bridge: bridge, excluding: inPort)))
            }
        }
        let addresses = IntervalSet(intervals: known.map { neighbour in
            let value = RuleSpace.value(of: neighbour.address)
            return IntervalSet.Interval(value, value)
        })
        if let rest = journey.excluding(.where(.destination, .intervals(addresses), family: family)) { parts.append((rest, nil)) }
        return parts
    }

    /// Whether the last hook rewrote the packet's destination address, as br_netfilter and
    /// nf_nat's local output tell (br_nf_ipv4_daddr_was_changed, ip_route_me_harder): the
    /// addresses compared where both are known, else the hook's NAT (a class's destination is
    /// open, or conntrack restored a class's original destinations).
    func rewroteDestination(_ journey: Journey, before: Packet) -> Bool {
        if let address = before.destination, let after = journey.packet.destination { return address != after }
        guard case .nat(let rewrite)? = journey.events.last else { return false }
        return rewrite.end == .destination
    }

    /// Every possible journey of the packet from its origin. The host's addresses fill in
    /// what addrtype, MASQUERADE and REDIRECT need; a packet from a local process without
    /// a source gets the route's preferred source.
    /// `subject`: which packet of a flow this is ("reply", "answer"; nil for the request),
    /// which names its conditions; `environment`: what the walk starts with (a reply's
    /// connection mark as the request's walk changed it).
    public func run(_ packet: Packet, from origin: PacketOrigin, packets: PacketSpace? = nil,
                    about subject: String? = nil, environment: SymbolicEnvironment = SymbolicEnvironment())
        -> [PathOutcome] {
        var packet = packet
        packet.host = host
        packet.hookState.hook = nil
        // Not through a bridge port until a bridge says so (physdev: no bridge info).
        if packet.bridged == nil { packet.bridged = false }
        if packet.packetType == nil { packet.packetType = packetType(of: packet, from: origin) }
        var start = Journey(packet: packet, packets: packets)
        start.environment = environment
        start.environment.subject = subject
        return typed(start, from: origin).flatMap { journey -> [PathOutcome] in
            switch origin {
            case .local: return fromLocalProcess(journey)
            case .device(let name):
                if let port = snapshot.interface(named: name), let bridge = port.master,
                   snapshot.interface(named: bridge)?.isBridge == true {
                    return fromBridgePort(name, bridge: bridge, journey)
                }
                return fromDevice(name, journey)
            }
        }
    }

    /// A journey whose destination is open, split by the link-layer type its destinations
    /// give (see `packetType`), each part with its type.
    func typed(_ journey: Journey, from origin: PacketOrigin) -> [Journey] {
        guard journey.packet.packetType == nil, journey.packet.destination == nil else { return [journey] }
        let family = journey.packet.family
        guard let addressTypes else {
            // Without the local table every address is LOCAL or UNICAST: unicast.
            var unicast = journey
            unicast.packet.packetType = Self.linkType("UNICAST", from: origin)
            return [unicast]
        }
        return addressTypes.partition(family).compactMap { part -> Journey? in
            let addresses = PacketSpace.where(.destination, .intervals(part.addresses), family: family)
            guard var narrowed = journey.narrowed(to: addresses) else { return nil }
            narrowed.packet.packetType = Self.linkType(part.type, from: origin)
            return narrowed
        }
    }

    /// The link-layer type of a packet (the pkttype match): a received packet's by its
    /// destination (multicast, a broadcast address, else unicast, as br_netfilter also shows
    /// bridged frames); a local process's unicast packet is PACKET_HOST too.
    func packetType(of packet: Packet, from origin: PacketOrigin) -> String? {
        guard let destination = packet.destination else { return nil }
        let type = addressTypes?.type(of: destination) ?? (localAddresses.contains(destination) ? "LOCAL" : "UNICAST")
        return Self.linkType(type, from: origin)
    }

    /// The link-layer type of a packet to an address of this type (addrtype's name). A
    /// local process's packet is PACKET_HOST whatever its destination: the socket's skb
    /// keeps the type it was allocated with (observed on this machine: `-m pkttype` in
    /// OUTPUT and POSTROUTING counts broadcast and multicast datagrams as unicast).
    static func linkType(_ addressType: String, from origin: PacketOrigin) -> String? {
        if origin == .local { return "unicast" }
        switch addressType {
        case "MULTICAST": return "multicast"
        case "BROADCAST": return "broadcast"
        default: return "unicast"
        }
    }

    /// The source address a local process's packet gets when it names none (see
    /// `preferredSource`), the same for one destination as for a class of them.
    public func defaultSource(toward destination: IPAddress) -> IPAddress? {
        let value = RuleSpace.value(of: destination)
        let routes = destination.family == .ipv6 ? routes6 : routes4
        guard let part = routes.first(where: { $0.destinations.contains(value) }) else { return nil }
        return preferredSource(destination, part.decision, part.source, family: destination.family)
    }

    var forwardingEnabled: Bool { snapshot.sysctl("net.ipv4.ip_forward", default: 1) != 0 }
    var bridgeCallsIptables: Bool { snapshot.sysctl("net.bridge.bridge-nf-call-iptables", default: 1) != 0 }

    /// Runs the tables of a hook and continues each accepted outcome with `next`.
    func hook(_ hook: Hook, _ journey: Journey, in inDevice: String?, out outDevice: String?,
              next: (Journey) -> [PathOutcome]) -> [PathOutcome] {
        var packet = journey.packet
        // The devices the path gives this hook ("" is none).
        packet.hookState.inInterface = inDevice ?? ""
        packet.hookState.outInterface = outDevice ?? ""
        let evaluator = packet.family == .ipv6 ? evaluator6 : evaluator
        let results = evaluator.walk(hook: hook, packet: packet, packets: journey.packets, environment: journey.environment,
                                     probability: journey.probability)
        let entering = TraceHeader(packet, in: inDevice, out: outDevice)
        return results.flatMap { result -> [PathOutcome] in
            var continued = journey
            continued.packet = result.packet
            continued.packets = result.packets
            continued.environment = result.environment
            let leaving = TraceHeader(result.packet, in: inDevice, out: outDevice)
            let headers = HookHeaders(entering: entering, leaving: leaving)
            continued.events.append(.hook(hook, inDevice: inDevice, outDevice: outDevice, steps: result.steps,
                                          verdict: result.verdict, headers: headers))
            if let rewrite = NATRewrite.done(at: hook, steps: result.steps, before: packet, after: result.packet) {
                continued.events.append(.nat(rewrite))
            }
            continued.probability = result.probability
            switch result.verdict {
            case .accept?:
                return next(continued)
            case .drop?:
                // A drop with a reason is the evaluator's (a jump stack exhausted), not a rule's.
                let caveat = result.undetermined.map { " (\($0))" } ?? ""
                let reason = PacketFate.dropped("at \(hook.rawValue): \(Self.decidingEntry(result.steps))\(caveat)")
                guard let type = result.steps.last?.effect?.answer else {
                    return continued.end(reason)
                }
                let parts = type == "tcp-reset" ? answerParts(continued)
                    : answerParts(continued).flatMap(byLocalDestination).flatMap(bySourceRoute)
                return parts.flatMap { part -> [PathOutcome] in
                    var ended = part.end(reason)
                    let packet = part.packet
                    // icmp_send: from the destination when it is the host's, else from the
                    // address toward the source.
                    let local = packet.destination.map(localAddresses.contains) ?? Self.allLocal(part, localAddresses)
                    ended[0].answerFromDestination = local
                    let errorSource = local ? packet.destination
                        : packet.source.flatMap(defaultSource(toward:)) ?? sourceTowardRoute(of: part)
                    let answer = Answers.rejection(of: packet, with: type, source: errorSource, ttl: defaultTTL)
                    ended[0].answer = Self.answered(answer, part)
                    if type == "tcp-reset", let port = packet.physdevIn {
                        // nf_send_reset: for a bridged packet the reset is built with the
                        // original MACs and queued on the bridge port it came in by, with
                        // no hook on the way (observed: no TRACE line at all).
                        ended[0].answerDirectDevice = port
                    }
                    return ended
                }
            case let verdict?:
                return continued.end(.undetermined("\(verdict.rawValue) at \(hook.rawValue)"))
            case nil:
                return continued.end(.undetermined(result.undetermined ?? "at \(hook.rawValue)"))
            }
        }
    }

    /// A packet delivered to a local process: with the host's listening sockets known, a
    /// TCP segment or UDP datagram for a closed port is answered with a reset or a port
    /// unreachable (tcp_v4_send_reset, __udp4_lib_rcv). A class whose protocol, destination
    /// or port is open splits into the packets no socket takes (per protocol) and the others.
    func deliver(_ journey: Journey, device: String) -> [PathOutcome] {
        guard let listeners = snapshot.listeners else { return journey.end(.delivered(device: device)) }
        let family = journey.packet.family
        var outcomes: [PathOutcome] = []
        var rest: Journey? = journey
        for proto in [IPProtocol.tcp, IPProtocol.udp] {
            guard let current = rest else { break }
            // The packets of the protocol no socket takes, as they are now (after NAT) ...
            let taken = listeners.compactMap { $0.packets(protocol: proto, family: family) }
            let all = PacketSpace.where(.protocol, .intervals(IntervalSet(value: UInt128(proto))), family: family)
            let open = PacketSpace(family: family, cubes: taken.flatMap(\.cubes))
            guard let closed = all.subtracting(open) else { continue }
            // ... and as they arrived.
            let arrived = current.environment.view(closed.specialized(by: current.packet), beforeConntrack: false,
                                                   ruleText: "no socket listens")
            guard let refused = current.narrowed(to: arrived) else { continue }
            rest = current.excluding(arrived)
            for part in answerParts(refused) {
                var ended = part.end(.delivered(device: device))
                let packet = part.packet
                let port = packet.destinationPort.map(String.init) ?? "?"
                let name = proto == IPProtocol.tcp ? "tcp" : "udp"
                ended[0].events.append(.note("no socket listens on \(name) port \(port)"))
                // tcp_v4_send_reset reflects the segment's TOS; icmp_send sets its own.
                ended[0].answerFromDestination = true
                ended[0].answer = Self.answered(proto == IPProtocol.tcp
                    ? Answers.reset(of: packet, state: .established, ttl: defaultTTL, tos: packet.tos)
                    : Answers.portUnreachable(of: packet, ttl: defaultTTL), part)
                outcomes += ended
            }
        }
        if let rest { outcomes += rest.end(.delivered(device: device)) }
        return outcomes
    }

    /// A refused journey's class split so that every packet of a part gets the same answer:
    /// by whether conntrack left it untracked (its answer then belongs to no connection) and,
    /// for TCP, by the ACK bit (a reset answers a segment with ACK with RST, others with
    /// RST,ACK).
    func answerParts(_ journey: Journey) -> [Journey] {
        let family = journey.packet.family
        var parts = [journey]
        func split(_ applies: (Journey) -> Bool, _ space: PacketSpace) {
            parts = parts.flatMap { part -> [Journey] in
                guard applies(part) else { return [part] }
                return [part.narrowed(to: space), part.excluding(space)].compactMap { $0 }
            }
        }
        let untracked = ConntrackStateValue.untracked.rawValue
        split({ $0.packet.conntrack.state == nil && $0.environment.rewrites[.state] == nil },
              .where(.state, .intervals(IntervalSet(value: UInt128(untracked))), family: family))
        split({ $0.packet.protocol == IPProtocol.tcp && $0.packet.tcpFlags == nil },
              .where(.tcpFlags, .ternary(TernarySet(value: 0x10, mask: 0x10)), family: family))
        return parts
    }

    /// A journey whose destinations are open (and not rewritten) split into the host's own
    /// destinations and the others.
    func byLocalDestination(_ journey: Journey) -> [Journey] {
        guard journey.packet.destination == nil, journey.environment.rewrites[.destination] == nil else {
            return [journey]
        }
        let family = journey.packet.family
        let local = PacketSpace.where(.destination, .intervals(Self.addresses(localAddresses, family)), family: family)
        return [journey.narrowed(to: local), journey.excluding(local)].compactMap { $0 }
    }

    /// A journey whose sources are open (and not rewritten) split by the route toward them:
    /// an ICMP error for its packets leaves from that route's preferred source.
    func bySourceRoute(_ journey: Journey) -> [Journey] {
        guard journey.packet.source == nil, journey.environment.rewrites[.source] == nil,
              !(journey.packet.destination.map(localAddresses.contains)
                ?? Self.allLocal(journey, localAddresses)) else {
            return [journey]
        }
        let family = journey.packet.family
        return (family == .ipv6 ? routes6 : routes4).compactMap { part in
            journey.narrowed(to: .where(.source, .intervals(part.destinations), family: family))
        }
    }

    /// The source an ICMP error toward a journey's sources leaves from, when they all take
    /// one route (see `bySourceRoute`).
    func sourceTowardRoute(of journey: Journey) -> IPAddress? {
        let family = journey.packet.family
        guard journey.environment.rewrites[.source] == nil, let cubes = journey.packets?.cubes, !cubes.isEmpty else {
            return nil
        }
        let routes = family == .ipv6 ? routes6 : routes4
        let part = routes.first { part in cubes.allSatisfy { Flow.has($0, .source, .intervals(part.destinations)) } }
        return part.flatMap { preferredSource(nil, $0.decision, $0.source, family: family) }
    }

    /// Whether every destination of a journey's class is one of the host's addresses.
    static func allLocal(_ journey: Journey, _ localAddresses: Set<IPAddress>) -> Bool {
        guard journey.environment.rewrites[.destination] == nil, let cubes = journey.packets?.cubes,
              !cubes.isEmpty else { return false }
        let local = FieldSet.intervals(addresses(localAddresses, journey.packet.family))
        return cubes.allSatisfy { Flow.has($0, .destination, local) }
    }

    /// Addresses of a family as values of an address field.
    static func addresses(_ addresses: Set<IPAddress>, _ family: Family) -> IntervalSet {
        IntervalSet(intervals: addresses.filter { $0.family == family }.map { address in
            IntervalSet.Interval(RuleSpace.value(of: address), RuleSpace.value(of: address))
        })
    }

    /// An answer made for a part of `answerParts`: a reset for segments that all carry ACK
    /// is a plain RST.
    static func answered(_ answer: Packet, _ part: Journey) -> Packet {
        var answer = answer
        if answer.protocol == IPProtocol.tcp, part.packet.tcpFlags == nil, let cubes = part.packets?.cubes,
           cubes.allSatisfy({ Flow.has($0, .tcpFlags, .ternary(TernarySet(value: 0x10, mask: 0x10))) }) {
            answer.tcpFlags = 0x04
        }
        return answer
    }

    /// Runs an ebtables chain at a bridge hook (nothing when the snapshot has no ebtables
    /// rules for it) and continues each accepted outcome with `next`.
    func bridgeHook(_ table: String, _ chain: String, _ journey: Journey, devices: BridgeDevices,
                    next: (Journey) -> [PathOutcome]) -> [PathOutcome] {
        guard let ebTable = snapshot.ebtables?.table(named: table), ebTable.chain(named: chain) != nil else { return next(journey) }
        return EbtablesWalker.walk(ebTable, chain: chain, packet: journey.packet, devices: devices, packets: journey.packets,
                                   environment: journey.environment).flatMap { result -> [PathOutcome] in
            var continued = journey
            continued.packet = result.packet
            continued.packets = result.packets
            continued.environment = result.environment
            continued.events.append(.bridge(table: table, chain: chain, devices: devices, logLines: result.logLines, steps: result.steps,
                                            verdict: result.verdict))

            switch result.verdict {
            case .accept?: return next(continued)
            case .drop?: return continued.end(.dropped("at ebtables \(table) \(chain)"))
            default: return continued.end(.undetermined(result.steps.last?.description ?? "ebtables \(table) \(chain)"))
            }
        }
    }

    /// The MAC address an IP address has on a device, from the neighbour table.
    func mac(of address: IPAddress?, on device: String) -> MACAddress? {
        guard let address else { return nil }
        return snapshot.neighbours.first { $0.address == address && $0.device == device }?.mac
    }

    static func decidingEntry(_ steps: [TraceStep]) -> String {
        guard let last = steps.last else { return "a verdict" }
        if case .policy = last.kind { return "\(last.table)/\(last.chain) policy" }
        return "\(last.table)/\(last.chain) rule \(last.number)" + (last.effect.map { " (\($0))" } ?? "")
    }

    /// A packet received on a device that is not a bridge port (or on a bridge after the
    /// bridge passed it up): PREROUTING, the routing decision, then INPUT or FORWARD.
    func fromDevice(_ device: String, _ journey: Journey) -> [PathOutcome] {
        hook(.prerouting, journey, in: device, out: nil) { afterPrerouting in
            routeReceived(afterPrerouting, in: device)
        }
    }

    /// The routing decision for a received packet and what follows it.
    func routeReceived(_ journey: Journey, in device: String) -> [PathOutcome] {
        let (routable, martians) = withoutMartians(journey, in: device)
        guard let journey = routable else { return martians }
        let parts = routes(journey)
        if parts.isEmpty { return journey.end(.undetermined("the destination was rewritten in a way the route cannot follow")) }
        return martians + parts.flatMap { part, decision in routeReceived(part, in: device, decision: decision) }
    }

    /// ip_route_input_slow: an IPv4 packet received on a device other than loopback for an
    /// address in 127.0.0.0/8, or from one, is a martian: dropped by the routing decision
    /// (after PREROUTING, so after its DNAT), unless route_localnet is 1 for the device (or
    /// for all). Returns the rest of the journey (nil: nothing is left) and the martians' ends.
    func withoutMartians(_ journey: Journey, in device: String) -> (Journey?, [PathOutcome]) {
        guard journey.packet.family == .ipv4, !(snapshot.interface(named: device)?.isLoopback ?? (device == "lo")),
              snapshot.sysctls["net.ipv4.conf.all.route_localnet"] != "1",
              snapshot.sysctls["net.ipv4.conf.\(device).route_localnet"] != "1" else { return (journey, []) }
        let loopback = FieldSet.intervals(IntervalSet(0x7F00_0000, 0x7FFF_FFFF))
        var rest: Journey? = journey
        var ends: [PathOutcome] = []
        for (field, what) in [(PacketField.destination, "destination"), (.source, "source")] {
            guard let current = rest else { break }
            let now = PacketSpace.where(field, loopback, family: .ipv4).specialized(by: current.packet)
            let arrived = current.environment.view(now, beforeConntrack: false, ruleText: "a loopback \(what)")
            guard var martian = current.narrowed(to: arrived) else { continue }
            rest = current.excluding(arrived)
            let reason = "martian \(what): 127.0.0.0/8 received on \(device), whose route_localnet is 0"
            martian.events.append(.note("the routing decision drops it: " + reason))
            ends += martian.end(.dropped(reason))
        }
        return (rest, ends)
    }

    func routeReceived(_ journey: Journey, in device: String, decision: RoutingDecision) -> [PathOutcome] {
        var journey = journey
        journey.events.append(.routing(decision))
        switch decision {
        case .local, .broadcast:
            return hook(.input, journey, in: device, out: nil) { delivered in deliver(delivered, device: device) }
        case .forward(let outDevice, _, _):
            guard forwardingEnabled else { return journey.end(.dropped("net.ipv4.ip_forward is 0: not forwarded")) }
            // ip_forward / ip6_forward: the TTL (hop limit) is decremented before FORWARD;
            // at 1 the packet is dropped with a time exceeded error (observed: TTL=63 in
            // the FORWARD lines of a packet logged with TTL=64 in PREROUTING).
            if let ttl = journey.packet.ttl {
                guard ttl > 1 else { return journey.end(.dropped("TTL \(ttl) expires here: ICMP time exceeded")) }
                journey.packet.ttl = ttl - 1
            }
            // ip_output: POSTROUTING gets skb->dev as its input device, which for a forwarded
            // packet is still the device it came in by (-i matches there; IN= in the log).
            return hook(.forward, journey, in: device, out: outDevice) { forwarded in
                hook(.postrouting, forwarded, in: device, out: outDevice) { sent in egress(sent, device: outDevice) }
            }
        case .unroutable(let reason):
            return journey.end(.dropped(reason))
        }
    }

    /// Leaving by a device: out of a bridge, the port the bridge's forwarding database has
    /// for the next hop's MAC address.
    func egress(_ journey: Journey, device: String) -> [PathOutcome] {
        guard snapshot.interface(named: device)?.isBridge == true else { return journey.end(.sent(device: device), exit: device) }
        return bridgePorts(journey, bridge: device, excluding: nil).flatMap { part, port in egress(part, bridge: device, port: port) }
    }

    func egress(_ journey: Journey, bridge device: String, port: String?) -> [PathOutcome] {
        var journey = journey
        // The frame the host sends: from the bridge's MAC to the destination's (a bridge's
        // routes here are on-link), through ebtables' OUTPUT and POSTROUTING.
        journey.packet.sourceMAC = snapshot.interface(named: device)?.mac
        journey.packet.destinationMAC = mac(of: journey.packet.destination, on: device)
        let destination = journey.packet.destination.map(\.description) ?? "these destinations"
        if let port {
            journey.events.append(.bridging(.out(bridge: device, port: port)))
            return bridgeOutput(journey, port: port, bridge: device) { sent in sent.end(.sent(device: port), exit: port) }
        }
        let ports = snapshot.interfaces.filter { $0.master == device }.map(\.name)
        journey.events.append(.bridging(.floodedOut(bridge: device, destination: destination, ports: ports)))
        return flood(journey, ports: ports[...], bridge: device)
    }

    /// ebtables' nat OUTPUT, filter OUTPUT and nat POSTROUTING for a frame the host sends
    /// out of a bridge port.
    func bridgeOutput(_ journey: Journey, port: String, bridge: String, next: (Journey) -> [PathOutcome]) -> [PathOutcome] {
        let devices = BridgeDevices(inPort: nil, outPort: port, bridge: bridge)
        let order = snapshot.ebtables?.isNFTables == true ? ["filter", "nat"] : ["nat", "filter"]
        return bridgeHook(order[0], "OUTPUT", journey, devices: devices) { first in
            bridgeHook(order[1], "OUTPUT", first, devices: devices) { second in
                bridgeHook("nat", "POSTROUTING", second, devices: devices, next: next)
            }
        }
    }

    /// A flooded frame: a copy out of each port in turn.
    func flood(_ journey: Journey, ports: ArraySlice<String>, bridge: String) -> [PathOutcome] {
        guard let port = ports.first else { return journey.end(.sent(device: bridge), exit: bridge) }
        return bridgeOutput(journey, port: port, bridge: bridge) { sent in flood(sent, ports: ports.dropFirst(), bridge: bridge) }
    }

    /// The bridge port behind which an IP address is: its MAC from the neighbour table,
    /// then the port from the forwarding database.
    func bridgePort(for address: IPAddress, bridge: String, excluding inPort: String?) -> String? {
        guard let mac = snapshot.neighbours.first(where: { $0.address == address && $0.device == bridge })?.mac else { return nil }
        return snapshot.forwardingEntries.first { $0.mac == mac && $0.bridge == bridge && $0.port != inPort }?.port
    }

    /// A frame received on a bridge port. Addressed to the host (its destination is local
    /// or routed elsewhere), it goes up to IP on the bridge device; otherwise the bridge
    /// forwards it between ports, and br_netfilter runs the iptables hooks on it with
    /// `-i`/`-o` the bridge and physdev the ports.
    func fromBridgePort(_ port: String, bridge: String, _ journey: Journey) -> [PathOutcome] {
        let parts = routes(journey)
        if parts.isEmpty { return journey.end(.undetermined("the destination is unknown: bridged or routed cannot be decided")) }
        return parts.flatMap { part, decision -> [PathOutcome] in
            var bridged = false
            if case .forward(let device, let gateway, _) = decision, device == bridge, gateway == nil { bridged = true }
            guard bridged else { return fromBridgePort(port, bridge: bridge, part, bridged: false, outPort: nil) }
            return bridgePorts(part, bridge: bridge, excluding: port).flatMap { piece, outPort in
                fromBridgePort(port, bridge: bridge, piece, bridged: true, outPort: outPort)
            }
        }
    }

    func fromBridgePort(_ port: String, bridge: String, _ journey: Journey, bridged: Bool, outPort: String?) -> [PathOutcome] {
        var journey = journey
        journey.packet.physdevIn = port
        journey.packet.sourceMAC = journey.packet.sourceMAC ?? mac(of: journey.packet.source, on: bridge)
        journey.packet.destinationMAC = bridged ? mac(of: journey.packet.destination, on: bridge) : snapshot.interface(named: bridge)?.mac
        let incoming = BridgeDevices(inPort: port, outPort: nil, bridge: bridge)
        return bridgeHook("broute", "BROUTING", journey, devices: incoming) { brouted in
            bridgeHook("nat", "PREROUTING", brouted, devices: incoming) { natted in
                bridged ? bridgeForward(natted, port: port, bridge: bridge, outPort: outPort)
                        : bridgeUp(natted, port: port, bridge: bridge)
            }
        }
    }

    /// A frame for the host: br_netfilter's PREROUTING with the port known, ebtables'
    /// filter INPUT, then the IP stack on the bridge device.
    func bridgeUp(_ journey: Journey, port: String, bridge: String) -> [PathOutcome] {
        var journey = journey
        journey.packet.bridged = false
        journey.events.append(.bridging(.up(bridge: bridge, from: port)))
        let incoming = BridgeDevices(inPort: port, outPort: nil, bridge: bridge)
        guard bridgeCallsIptables else {
            return bridgeHook("filter", "INPUT", journey, devices: incoming) { up in fromDevice(bridge, up) }
        }
        let arriving = journey.packet
        return hook(.prerouting, journey, in: bridge, out: nil) { afterPrerouting in
            let up = { (journey: Journey) in
                bridgeHook("filter", "INPUT", journey, devices: incoming) { up in routeReceived(up, in: bridge) }
            }
            guard rewroteDestination(afterPrerouting, before: arriving) else { return up(afterPrerouting) }
            return bridgedAfterDNAT(afterPrerouting, port: port, bridge: bridge, up: up)
        }
    }

    /// br_nf_pre_routing_finish: a frame from a bridge port whose destination PREROUTING's
    /// DNAT changed (or conntrack's undoing of a SNAT, for a reply) is routed again; when the
    /// new route leaves by the same bridge, the frame stays bridged ("bridged DNAT") toward
    /// the new destination's port, and a port equal to the one it came in by means the bridge
    /// drops it. The rest goes `up` to IP. Open destinations are split by route and port
    /// (`routes`, `bridgePorts`: one part for a given destination).
    func bridgedAfterDNAT(_ journey: Journey, port: String, bridge: String,
                          up: (Journey) -> [PathOutcome]) -> [PathOutcome] {
        let parts = routes(journey)
        // Destinations the path cannot follow (rewritten in a way it cannot resolve) go up.
        guard !parts.isEmpty else { return up(journey) }
        return parts.flatMap { part, decision -> [PathOutcome] in
            guard case .forward(let device, _, _) = decision, device == bridge else { return up(part) }
            return bridgePorts(part, bridge: bridge, excluding: nil).flatMap { byPort, outPort in
                bridged(byPort, port: port, bridge: bridge, outPort: outPort)
            }
        }
    }

    /// A frame kept on the bridge after DNAT, toward `outPort` (nil: flooded).
    private func bridged(_ journey: Journey, port: String, bridge: String, outPort: String?) -> [PathOutcome] {
        var journey = journey
        let shown = journey.packet.destination.map(\.description) ?? "these destinations"
        journey.events.append(.bridging(.keptOnBridge(bridge: bridge, destination: shown)))
        journey.packet.bridged = true
        journey.packet.destinationMAC = mac(of: journey.packet.destination, on: bridge)
        if let outPort, outPort == port {
            return journey.end(.dropped("the bridge does not send a frame back out of the port it came in by (\(port))"))
        }
        return bridgeOnward(journey, port: port, bridge: bridge, outPort: outPort)
    }

    /// A frame the bridge forwards between its ports: with br_netfilter, iptables
    /// PREROUTING, FORWARD and POSTROUTING see it with `-i`/`-o` the bridge and physdev the
    /// ports, each after ebtables' chain of the same bridge hook.
    func bridgeForward(_ journey: Journey, port: String, bridge: String, outPort: String?) -> [PathOutcome] {
        var journey = journey
        let shown = journey.packet.destination.map(\.description) ?? "these destinations"
        journey.packet.bridged = true
        // The out port is set by br_nf_forward_ip: PREROUTING does not know it yet.
        journey.packet.physdevOut = nil
        journey.events.append(.bridging(outPort.map { .forwarded(bridge: bridge, from: port, to: $0) }
                                        ?? .flooded(bridge: bridge, from: port, destination: shown)))
        let through = BridgeDevices(inPort: port, outPort: outPort, bridge: bridge)
        let outgoing = BridgeDevices(inPort: nil, outPort: outPort, bridge: bridge)
        let exit = outPort ?? bridge
        guard bridgeCallsIptables else {
            journey.events.append(.note("net.bridge.bridge-nf-call-iptables is 0: iptables does not see bridged packets"))
            return bridgeHook("filter", "FORWARD", journey, devices: through) { forwarded in
                bridgeHook("nat", "POSTROUTING", forwarded, devices: outgoing) { sent in sent.end(.sent(device: exit), exit: exit) }
            }
        }
        let arriving = journey.packet
        return hook(.prerouting, journey, in: bridge, out: nil) { afterPrerouting in
            if rewroteDestination(afterPrerouting, before: arriving) {
                return bridgedAfterDNAT(afterPrerouting, port: port, bridge: bridge) { elsewhere in
                    // DNAT in PREROUTING to elsewhere: br_netfilter routes the packet instead.
                    var rerouted = elsewhere
                    rerouted.packet.bridged = false
                    rerouted.packet.physdevOut = nil
                    let incoming = BridgeDevices(inPort: port, outPort: nil, bridge: bridge)
                    return bridgeHook("filter", "INPUT", rerouted, devices: incoming) { up in
                        routeReceived(up, in: bridge)
                    }
                }
            }
            return bridgeOnward(afterPrerouting, port: port, bridge: bridge, outPort: outPort)
        }
    }

    /// A bridged frame after PREROUTING: ebtables' filter FORWARD, iptables FORWARD (the out
    /// port now known), ebtables' nat POSTROUTING, iptables POSTROUTING, out of the port.
    func bridgeOnward(_ journey: Journey, port: String, bridge: String, outPort: String?) -> [PathOutcome] {
        var journey = journey
        journey.packet.physdevOut = outPort
        let through = BridgeDevices(inPort: port, outPort: outPort, bridge: bridge)
        let outgoing = BridgeDevices(inPort: nil, outPort: outPort, bridge: bridge)
        let exit = outPort ?? bridge
        return bridgeHook("filter", "FORWARD", journey, devices: through) { ebForwarded in
            hook(.forward, ebForwarded, in: bridge, out: bridge) { forwarded in
                bridgeHook("nat", "POSTROUTING", forwarded, devices: outgoing) { ebSent in
                    hook(.postrouting, ebSent, in: nil, out: bridge) { sent in sent.end(.sent(device: exit), exit: exit) }
                }
            }
        }
    }

    /// A packet sent by a local process: the routing decision, OUTPUT, a new decision if
    /// OUTPUT's DNAT changed the destination, POSTROUTING; a packet for the host itself then
    /// comes back in on `lo`.
    func fromLocalProcess(_ journey: Journey) -> [PathOutcome] {
        let parts = routesWithSources(journey)
        if parts.isEmpty { return journey.end(.undetermined("the destination is unknown, so is the route")) }
        return parts.flatMap { part, decision, source in fromLocalProcess(part, decision: decision, source: source) }
    }

    /// `source`: what the route gives a socket that chose none (the route's `src`, the
    /// out device's address, a local destination itself).
    func fromLocalProcess(_ journey: Journey, decision: RoutingDecision, source: IPAddress?) -> [PathOutcome] {
        var journey = journey
        journey.events.append(.routing(decision))
        let outDevice: String
        switch decision {
        case .local, .broadcast: outDevice = "lo"
        case .forward(let device, _, _): outDevice = device
        case .unroutable(let reason): return journey.end(.dropped(reason))
        }
        if journey.packet.source == nil, journey.packets?.cubes.allSatisfy({ $0[.source] == nil }) ?? true {
            journey.packet.source = source
            if journey.packet.conntrack.tuple?.source == nil { journey.packet.conntrack.tuple?.source = source }
            journey.entered = journey.packet
        }
        let arriving = journey.packet
        return hook(.output, journey, in: nil, out: outDevice) { afterOutput in
            var afterOutput = afterOutput
            var device = outDevice
            if rewroteDestination(afterOutput, before: arriving), let rewritten = afterOutput.packet.destination {
                let again = snapshot.route(to: rewritten)
                afterOutput.events.append(.routing(again))
                switch again {
                case .local, .broadcast: device = "lo"
                case .forward(let next, _, _): device = next
                case .unroutable(let reason): return afterOutput.end(.dropped(reason))
                }
            }
            return hook(.postrouting, afterOutput, in: nil, out: device) { sent in
                guard device == "lo" else { return egress(sent, device: device) }
                // Looped back, the packet keeps its connection (and its nf_trace bit):
                // conntrack at PREROUTING sees it was already seen.
                var sent = sent
                sent.packet.conntrack.attached = true
                return hook(.prerouting, sent, in: "lo", out: nil) { looped in
                    hook(.input, looped, in: "lo", out: nil) { delivered in deliver(delivered, device: "lo") }
                }
            }
        }
    }
}
