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
        if request.conntrackState == nil, packets?.cubes.allSatisfy({ $0[.state] == nil }) ?? true {
            request.conntrackState = .new
        }
        if origin == .local, request.source == nil, packets?.cubes.allSatisfy({ $0[.source] == nil }) ?? true,
           let destination = request.destination {
            request.source = path.defaultSource(toward: destination)
        }
        if request.conntrackState == .new {
            // A new connection: its mark starts at 0, its tuple is the request's. A TCP
            // connection's first packet is a SYN.
            if request.connmark == nil { request.connmark = 0 }
            if request.connection == nil { request.connection = Connection(of: request) }
            if request.tcpFlags == nil, request.protocol == IPProtocol.tcp || request.protocol == nil,
               packets?.cubes.allSatisfy({ $0[.tcpFlags] == nil }) ?? true {
                request.tcpFlags = 0x02
            }
        }
        let outcomes = path.run(request, from: origin, packets: packets)
        var flowPackets = [FlowPacket(direction: .request, packet: request, origin: origin, outcomes: outcomes, packets: packets)]
        for (position, outcome) in outcomes.enumerated() {
            if var answer = outcome.answer {
                // The answer belongs to the connection: conntrack undoes its NAT on it as on
                // a reply (for an ICMP error, nf_nat_icmp_reply_translation, outer header too).
                if answer.conntrackState != .invalid {
                    answer.bindingRewrite = binding(of: outcome.entered ?? request, after: outcome.packet)
                }
                let error = answer.protocol != request.protocol || answer.protocol != IPProtocol.tcp
                let answerPackets = outcome.packets?.turnedAround(moving: error ? [.source] : Self.endpoints)
                // The host refused: its error or reset is a locally generated packet.
                if let device = outcome.answerDirectDevice {
                    let direct = PathOutcome(events: [.note("sent straight out of \(device), meeting no hook (nf_send_reset for a bridged packet)")],
                                             fate: .sent(device: device), packet: answer, packets: answerPackets, exitDevice: device)
                    flowPackets.append(FlowPacket(direction: .reply, packet: answer, origin: .local, outcomes: [direct], answering: position,
                                                  packets: answerPackets, answeringFields: error ? [.destination] : Self.endpoints,
                                                  refusal: Answers.name(of: answer)))
                } else {
                    flowPackets.append(FlowPacket(direction: .reply, packet: answer, origin: .local,
                                                  outcomes: path.run(answer, from: .local, packets: answerPackets), answering: position,
                                                  packets: answerPackets, answeringFields: error ? [.destination] : Self.endpoints,
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
            var reply = self.reply(to: outcome.entered ?? request, after: outcome.packet, shape: answerer)
            var replyPackets = outcome.packets?.turnedAround()
            var replyFields = Self.endpoints
            var refused: String?
            if case .sent = outcome.fate, !peerListens {
                guard var refusal = refusal(of: outcome.packet, ttl: shape.ttl) else { continue }
                refusal.bindingRewrite = reply.bindingRewrite
                refusal.connection = reply.connection
                if refusal.protocol != IPProtocol.tcp {
                    replyPackets = outcome.packets?.turnedAround(moving: [.source])
                    replyFields = [.destination]
                }
                refused = Answers.name(of: refusal)
                reply = refusal
            }
            flowPackets.append(FlowPacket(direction: .reply, packet: reply, origin: replyOrigin,
                                          outcomes: path.run(reply, from: replyOrigin, packets: replyPackets), answering: position,
                                          packets: replyPackets, answeringFields: replyFields, refusal: refused))
        }
        return flowPackets
    }

    /// The fields a reply turns around.
    static let endpoints: Set<PacketField> = [.source, .destination, .sourcePort, .destinationPort]

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
    public static func reply(to request: Packet, after sent: Packet, shape: ReplyShape = ReplyShape()) -> Packet {
        var reply = Answers.backward(sent)
        reply.protocol = request.protocol
        reply.conntrackState = .established
        reply.connmark = sent.connmark
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
        } else if request.conntrackState == .new, request.protocol == IPProtocol.tcp {
            // The answer to a connection's first segment (a SYN, whatever else its flags): SYN-ACK.
            reply.tcpFlags = 0x12
        }
        if sent.conntrackState == .untracked {
            // The request made no connection: conntrack sees the reply as a first packet.
            // A UDP datagram starts a new connection; a SYN-ACK or an echo reply cannot
            // (tcp_new, icmp_new): INVALID. No NAT is undone.
            if reply.protocol == IPProtocol.udp {
                reply.conntrackState = .new
                reply.connmark = 0
                reply.connection = Connection(of: reply)
            } else {
                reply.conntrackState = .invalid
                reply.connmark = nil
                reply.connection = nil
            }
            return reply
        }
        let binding = self.binding(of: request, after: sent)
        reply.bindingRewrite = binding
        if var connection = request.connection {
            connection.isReply = true
            connection.sourceNAT = binding?.destination != nil
            connection.destinationNAT = binding?.source != nil
            reply.connection = connection
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
