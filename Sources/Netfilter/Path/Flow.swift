// net/netfilter/nf_conntrack_core.c (a reply belongs to the connection: ESTABLISHED,
// direction REPLY), nf_nat_core.c (a reply's addresses are rewritten back by the binding).

/// One packet of a simulated exchange and every journey it can take.
public struct FlowPacket: Sendable {
    public enum Direction: String, Sendable { case request, reply }

    public var direction: Direction
    /// The packet as it entered (before NAT), and where.
    public var packet: Packet
    public var origin: PacketOrigin
    public var outcomes: [PathOutcome]
    /// For a reply (or the host's answer): the index of the request's outcome it answers.
    public var answering: Int? = nil
    /// The packets this packet stands for (in its own direction's terms): for the request,
    /// the sets the description gave; for a reply, the request outcome's class turned
    /// around. nil: every packet `packet` describes.
    public var packets: PacketSpace? = nil
    /// For a packet going back: the fields of it that stand for the request's turned around
    /// (all four addresses and ports for a reply or a reset, the destination alone for an
    /// ICMP error, which comes from the host).
    public var answeringFields: Set<PacketField> = []
    /// For what goes back instead of a reply (a refusal: a reset, an ICMP error), what it is.
    public var refusal: String? = nil
}

/// What the far end's reply carries that the request does not decide: the answering
/// host's TTL, and the TOS and length its application's reply has. nil is unknown.
public struct ReplyShape: Sendable, Hashable {
    public var ttl: UInt8?
    public var tos: UInt8?
    public var length: UInt16?

    public init(ttl: UInt8? = nil, tos: UInt8? = nil, length: UInt16? = nil) {
        self.ttl = ttl
        self.tos = tos
        self.length = length
    }
}

/// A request and the reply to it, as conntrack sees them: the reply enters where the
/// request left, with the request's addresses swapped after NAT, is ESTABLISHED, skips the
/// nat tables, and gets the NAT bindings undone.
public enum Flow {
    /// `peerListens`: whether the far end of a request the host sends on answers (false:
    /// a TCP SYN gets a reset, a UDP datagram a port unreachable, a ping nothing).
    /// `shape`: the far end's reply fields (when the host itself answers, its TTL is the
    /// snapshot's net.ipv4.ip_default_ttl).
    public static func run(_ path: HostPath, request: Packet, packets: PacketSpace? = nil, from origin: PacketOrigin,
                           peerListens: Bool = true, shape: ReplyShape = ReplyShape()) -> [FlowPacket] {
        var request = request
        if request.conntrack.state == nil, packets?.cubes.allSatisfy({ $0[.state] == nil }) ?? true {
            request.conntrack.state = .new
        }
        if origin == .local, request.source == nil, packets?.cubes.allSatisfy({ $0[.source] == nil }) ?? true,
           let destination = request.destination {
            request.source = path.defaultSource(toward: destination)
        }
        startsConnection(&request, packets: packets)
        var outcomes: [PathOutcome]
        let new = PacketSpace.where(.state, .intervals(IntervalSet(value: UInt128(ConntrackStateValue.new.rawValue))),
                                    family: request.family)
        if request.conntrack.state == nil, let packets, case let first = packets.intersection(new), !first.isEmpty,
           let others = packets.subtracting(new) {
            // The states given include NEW: those requests start a connection (its tuple,
            // mark and SYN as for a NEW request), the others do not.
            var starting = request
            starting.conntrack.state = .new
            startsConnection(&starting, packets: first)
            outcomes = path.run(starting, from: origin, packets: first).map { outcome in
                var outcome = outcome
                if outcome.entered == nil { outcome.entered = starting }
                return outcome
            }
            if !others.isEmpty {
                var rest = request
                rest.pin(from: others, environment: SymbolicEnvironment())
                outcomes += path.run(rest, from: origin, packets: others)
            }
        } else {
            outcomes = path.run(request, from: origin, packets: packets)
        }
        outcomes = outcomes.flatMap { partsForReply($0, request: request) }
        var flowPackets = [FlowPacket(direction: .request, packet: request, origin: origin, outcomes: outcomes, packets: packets)]
        for (position, outcome) in outcomes.enumerated() {
            if var answer = outcome.answer {
                // The answer belongs to the connection: conntrack undoes its NAT on it as on
                // a reply (for an ICMP error, nf_nat_icmp_reply_translation, outer header too).
                if answer.conntrack.state != .invalid {
                    answer.conntrack.binding = binding(of: (outcome.entered ?? request).arrived(as: outcome.packets),
                                                    after: outcome.packet)
                }
                let error = answer.protocol != request.protocol || answer.protocol != IPProtocol.tcp
                // An error answers the source (and comes from the destination when it is the
                // host's); a reset swaps both ends.
                let kept = Self.keptFields
                // With its source given (or the request's destination), the request's destination
                // and ports go along too, tags on fields the error gives.
                let swapsBoth = !error || outcome.answerFromDestination || answer.source != nil
                let moving: Set<PacketField> = swapsBoth ? Self.endpoints : [.source]
                let answering: Set<PacketField> = swapsBoth ? Self.endpoints : [.destination]
                let answerPackets = outcome.packets?.turnedAround(moving: moving.union(kept))
                let answeringFields = answering.union(kept)
                if answer.conntrack.tuple?.isReply == true { answer.conntrack.tuple?.answeringFields = answeringFields }
                // The host refused: its error or reset is a locally generated packet.
                if let device = outcome.answerDirectDevice {
                    let direct = PathOutcome(events: [.sentDirectly(device: device)],
                                             fate: .sent(device: device), packet: answer, packets: answerPackets, exitDevice: device)
                    flowPackets.append(FlowPacket(direction: .reply, packet: answer, origin: .local, outcomes: [direct], answering: position,
                                                  packets: answerPackets, answeringFields: answeringFields,
                                                  refusal: Answers.name(of: answer)))
                } else {
                    flowPackets.append(FlowPacket(direction: .reply, packet: answer, origin: .local,
                                                  outcomes: path.run(answer, from: .local, packets: answerPackets,
                                                                     about: "answer",
                                                                     environment: Self.environment(after: outcome)),
                                                  answering: position,
                                                  packets: answerPackets, answeringFields: answeringFields,
                                                  refusal: Answers.name(of: answer)))
                }
                continue
            }
            let replyOrigin: PacketOrigin
            var answerer = shape
            switch outcome.fate {
            case .delivered:
                replyOrigin = .local
                answerer.ttl = path.defaultTTL
            case .sent(let device): replyOrigin = .device(outcome.exitDevice ?? device)
            case .dropped, .undetermined: continue
            }
            let replying = outcome.entered ?? request
            var reply = self.reply(to: replying, after: outcome.packet, shape: answerer,
                                   arrived: replying.arrived(as: outcome.packets))
            if replying.tcpFlags == nil, replying.protocol == IPProtocol.tcp,
               let cubes = outcome.packets?.cubes, cubes.allSatisfy({ Self.has($0, .tcpFlags, Self.syn) }) {
                // Every request of the class is a SYN: each is answered with a SYN-ACK.
                reply.tcpFlags = 0x12
            }
            var replyFields = Self.replyFields
            var replyPackets = outcome.packets?.turnedAround(moving: replyFields)
            var refused: String?
            if case .sent = outcome.fate, !peerListens {
                guard var refusal = refusal(of: outcome.packet, ttl: shape.ttl) else { continue }
                refusal.conntrack.binding = reply.conntrack.binding
                refusal.conntrack.tuple = reply.conntrack.tuple
                if refusal.protocol != IPProtocol.tcp {
                    replyPackets = outcome.packets?.turnedAround(moving: Self.keptFields.union([.source]))
                    replyFields = Self.keptFields.union([.destination])
                }
                refused = Answers.name(of: refusal)
                reply = refusal
            }
            if reply.conntrack.tuple?.isReply == true { reply.conntrack.tuple?.answeringFields = replyFields }
            flowPackets.append(FlowPacket(direction: .reply, packet: reply, origin: replyOrigin,
                                          outcomes: path.run(reply, from: replyOrigin, packets: replyPackets,
                                                             about: "reply",
                                                             environment: Self.environment(after: outcome)),
                                          answering: position,
                                          packets: replyPackets, answeringFields: replyFields, refusal: refused))
        }
        return flowPackets
    }

    /// A new connection: its mark starts at 0, its tuple is the request's. A TCP
    /// connection's first packet is a SYN. (What the description gives is kept.)
    static func startsConnection(_ request: inout Packet, packets: PacketSpace?) {
        guard request.conntrack.state == .new else { return }
        if request.conntrack.mark == nil, packets?.cubes.allSatisfy({ $0[.connmark] == nil }) ?? true { request.conntrack.mark = 0 }
        if request.conntrack.tuple == nil { request.conntrack.tuple = Connection(of: request) }
        if request.tcpFlags == nil, request.protocol == IPProtocol.tcp || request.protocol == nil,
           packets?.cubes.allSatisfy({ $0[.tcpFlags] == nil }) ?? true {
            request.tcpFlags = 0x02
        }
    }

    /// The fields a reply turns around.
    static let endpoints: Set<PacketField> = [.source, .destination, .sourcePort, .destinationPort]

    /// The SYN bit set, as values of the TCP flags field.
    static let syn = FieldSet.ternary(TernarySet(value: 0x02, mask: 0x02))

    /// The fields of a reply's class that stand for the request's: the endpoints turned
    /// around, the others kept in place (see `keptFields`).
    static let replyFields = endpoints.union(keptFields)

    /// The fields of a request's class a packet going back (a reply, a reset, an ICMP error)
    /// keeps in place: those it has the request's value of (the protocol; the ICMP type and
    /// TCP flags, which a reply repeats unless it answers an echo request or a SYN; the
    /// connection's mark, as the request's walk left it: see `environment(after:)`), and
    /// those the packet going back gives itself (its state, mark, devices), where the
    /// request's set stays as a tag. With every field kept, the classes going back are
    /// turned around to the very request class they answer, never to another part of the
    /// same outcome.
    static let keptFields = Set(PacketField.allCases).subtracting(endpoints)

    /// What a packet going back starts its walk with: the connection's mark as the request's
    /// walk changed it (CONNMARK on a mark the class leaves open), read through that change
    /// from the request's class, so that a rule testing it splits the requests it answers.
    static func environment(after outcome: PathOutcome) -> SymbolicEnvironment {
        var environment = SymbolicEnvironment()
        environment.rewrites[.connmark] = outcome.environment.rewrites[.connmark]
        return environment
    }

    /// Whether a class's values of a field are all in a set.
    static func has(_ cube: PacketCube, _ field: PacketField, _ set: FieldSet) -> Bool {
        guard let values = cube[field] else { return false }
        return values.subtracting(set).isEmpty
    }

    /// A request outcome split so that every request of a part gets one kind of reply: by
    /// protocol (the reply has the request's), by echo request or not (an echo request is
    /// answered with an echo reply that repeats its TOS and length), by the SYN bit (a SYN
    /// is answered with a SYN-ACK), and by whether the request was left untracked (its reply
    /// then starts a connection or is INVALID). Outcomes that get no reply stay whole.
    static func partsForReply(_ outcome: PathOutcome, request: Packet) -> [PathOutcome] {
        guard outcome.answer == nil else { return [outcome] }
        switch outcome.fate {
        case .delivered, .sent: break
        case .dropped, .undetermined: return [outcome]
        }
        let family = request.family
        let icmp = family == .ipv4 ? IPProtocol.icmp : IPProtocol.icmpv6
        let echo: UInt128 = family == .ipv4 ? 8 : 128
        func values(_ field: PacketField, _ set: FieldSet) -> PacketSpace { .where(field, set, family: family) }
        var parts = [outcome]
        /// Splits the parts `applies` picks by the pieces (which cover every packet); `mark`
        /// gives the first piece's requests what they all have.
        func split(_ applies: (PathOutcome, Packet) -> Bool, _ pieces: [PacketSpace],
                   mark: ((inout Packet) -> Void)? = nil) {
            parts = parts.flatMap { part -> [PathOutcome] in
                let entered = part.entered ?? request
                guard applies(part, entered) else { return [part] }
                return pieces.enumerated().compactMap { index, piece -> PathOutcome? in
                    let narrowed = (part.packets ?? .all(family)).intersection(piece)
                    guard !narrowed.isEmpty else { return nil }
                    var result = part
                    result.packets = narrowed
                    result.packet.pin(from: narrowed, environment: part.environment)
                    var pinned = entered
                    pinned.pin(from: narrowed, environment: SymbolicEnvironment())
                    if index == 0 { mark?(&pinned) }
                    result.entered = pinned
                    return result
                }
            }
        }
        let protocols = [IPProtocol.tcp, IPProtocol.udp, icmp].map {
            values(.protocol, .intervals(IntervalSet(value: UInt128($0))))
        }
        let listed = PacketSpace(family: family, cubes: protocols.flatMap(\.cubes))
        if let others = PacketSpace.all(family).subtracting(listed) {
            split({ _, entered in entered.protocol == nil }, protocols + [others])
        }
        let echoes = values(.icmp, .intervals(IntervalSet(echo << 8, echo << 8 | 0xFF)))
        if let others = echoes.complement {
            split({ _, entered in entered.protocol == icmp && entered.icmpType == nil }, [echoes, others]) { entered in
                entered.icmpType = UInt8(echo)
            }
        }
        split({ _, entered in entered.protocol == IPProtocol.tcp && entered.tcpFlags == nil },
              [values(.tcpFlags, syn), values(.tcpFlags, .ternary(TernarySet(value: 0, mask: 0x02)))])
        let untracked = values(.state, .intervals(IntervalSet(value: UInt128(ConntrackStateValue.untracked.rawValue))))
        if let others = untracked.complement {
            split({ part, _ in part.packet.conntrack.state == nil && part.environment.rewrites[.state] == nil },
                  [untracked, others])
        }
        return parts
    }

    /// What a peer that does not listen sends back: a reset (ESTABLISHED, the reply
    /// direction) for TCP, a port unreachable (RELATED) for UDP, nothing for the rest.
    static func refusal(of sent: Packet, ttl: UInt8?) -> Packet? {
        switch sent.protocol {
        case IPProtocol.tcp?: return Answers.reset(of: sent, state: .established, ttl: ttl, tos: sent.tos)
        case IPProtocol.udp?: return Answers.portUnreachable(of: sent, ttl: ttl)
        default: return nil
        }
    }

    /// The reply to a request that left as `sent`: addresses and ports swapped, ICMP echo
    /// answered, TCP SYN answered with SYN-ACK, ESTABLISHED, and the NAT bindings to undo.
    /// An echo reply repeats the request's TOS and length; other replies take `shape`'s.
    /// `arrived`: the request with the values its class pins (what the NAT bindings compare
    /// with what left; by default the request).
    public static func reply(to request: Packet, after sent: Packet, shape: ReplyShape = ReplyShape(),
                             arrived: Packet? = nil) -> Packet {
        var reply = Answers.backward(sent)
        reply.protocol = request.protocol
        reply.conntrack.state = .established
        reply.conntrack.mark = sent.conntrack.mark
        reply.ttl = shape.ttl
        reply.tos = shape.tos
        reply.length = shape.length
        if request.protocol == IPProtocol.icmp, request.icmpType == 8 {
            reply.icmpType = 0
            reply.icmpCode = 0
            reply.tos = sent.tos
            reply.length = sent.length
        } else if request.protocol == IPProtocol.icmpv6, request.icmpType == 128 {
            reply.icmpType = 129
            reply.icmpCode = 0
            reply.length = sent.length
        } else {
            reply.icmpType = request.icmpType
            reply.icmpCode = request.icmpCode
        }
        if let flags = request.tcpFlags {
            reply.tcpFlags = flags & 0x02 != 0 ? 0x12 : flags
        } else if request.conntrack.state == .new, request.protocol == IPProtocol.tcp {
            // The answer to a connection's first segment (a SYN, whatever else its flags): SYN-ACK.
            reply.tcpFlags = 0x12
        }
        if sent.conntrack.state == .untracked {
            // The request made no connection: conntrack sees the reply as a first packet.
            // A UDP datagram starts a new connection; a SYN-ACK or an echo reply cannot
            // (tcp_new, icmp_new): INVALID. No NAT is undone.
            if reply.protocol == IPProtocol.udp {
                reply.conntrack.state = .new
                reply.conntrack.mark = 0
                reply.conntrack.tuple = Connection(of: reply)
            } else {
                reply.conntrack.state = .invalid
                reply.conntrack.mark = nil
                reply.conntrack.tuple = nil
            }
            return reply
        }
        let binding = self.binding(of: arrived ?? request, after: sent)
        reply.conntrack.binding = binding
        if var connection = request.conntrack.tuple {
            connection.isReply = true
            connection.sourceNAT = binding?.destination != nil
            connection.destinationNAT = binding?.source != nil
            reply.conntrack.tuple = connection
        }
        return reply
    }

    /// What conntrack undoes on the packets going back for a request that left as `sent`
    /// (replies, and the answers the host sends for it); nil when no NAT changed it.
    static func binding(of request: Packet, after sent: Packet) -> BindingRewrite? {
        var binding = BindingRewrite()
        if sent.source != request.source || sent.sourcePort != request.sourcePort {
            // SNAT / MASQUERADE: the reply's destination goes back to the original source.
            binding.destination = Endpoint(address: request.source, port: request.sourcePort)
        }
        if sent.destination != request.destination || sent.destinationPort != request.destinationPort {
            // DNAT / REDIRECT: the reply's source goes back to the original destination.
            binding.source = Endpoint(address: request.destination, port: request.destinationPort)
        }
        return binding.destination != nil || binding.source != nil ? binding : nil
    }
}

extension PacketSpace {
    /// A class of packets turned around for the packets going back (or a class going back,
    /// turned around to the packets it answers): the constraints of the `moving` addresses
    /// and ports move to the other side (an ICMP error answers the source alone), the
    /// conditions stay; what belongs to one way (devices, state, flags, marks) is left to
    /// that way's packet.
    public func turnedAround(moving: Set<PacketField> = [.source, .destination, .sourcePort, .destinationPort])
        -> PacketSpace {
        let moves: [(PacketField, PacketField)] = [(.source, .destination), (.destination, .source),
                                                   (.sourcePort, .destinationPort), (.destinationPort, .sourcePort)]
            .filter { moving.contains($0.0) }
            // Fields the packets going back share with the packets they answer stay in place.
            + moving.filter { !Flow.endpoints.contains($0) }.sorted().map { ($0, $0) }
        return PacketSpace(family: family, cubes: cubes.map { cube in
            var turned = PacketCube()
            // A field NAT rewrote on the way out keeps the original's constraint: the packet
            // going back has the rewritten value until conntrack undoes the NAT, then this.
            for (from, to) in moves {
                if let set = cube[from] { turned.restrict(to, to: set) }
            }
            for condition in cube.conditions { turned.require(condition.text, condition.holds) }
            return turned
        })
    }
}
