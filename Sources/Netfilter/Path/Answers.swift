// net/ipv4/netfilter/nf_reject_ipv4.c (nf_send_reset, nf_send_unreach), net/ipv4/icmp.c
// (icmp_send: the error's source), net/netfilter/nf_conntrack_core.c (nf_conntrack_attach:
// an error or reset the host sends for a connection is RELATED to it),
// net/ipv4/tcp_ipv4.c (tcp_v4_send_reset: a SYN to a closed port gets RST,ACK).

/// The packets a host or a peer sends back when a request is refused: REJECT's ICMP error
/// or TCP reset, a closed port's reset or port unreachable.
public enum Answers {
    /// What an answer is, in words: `a TCP reset`, `ICMP port unreachable`.
    public static func name(of answer: Packet) -> String {
        if answer.protocol == IPProtocol.tcp { return "a TCP reset" }
        let codes = answer.family == .ipv6 ? unreachableCodes6 : unreachableCodes
        let code = answer.icmpCode.flatMap { code in codes.first { $0.value == code }?.key }
        return code.map { "ICMP \($0.replacingOccurrences(of: "icmp6-", with: "").replacingOccurrences(of: "icmp-", with: ""))" }
            ?? "an ICMP error"
    }

    /// ICMP destination unreachable (type 3) codes by `--reject-with` name.
    static let unreachableCodes: [String: UInt8] = [
        "icmp-net-unreachable": 0, "icmp-host-unreachable": 1, "icmp-proto-unreachable": 2, "icmp-port-unreachable": 3,
        "icmp-net-prohibited": 9, "icmp-host-prohibited": 10, "icmp-admin-prohibited": 13,
    ]
    /// ICMPv6 destination unreachable (type 1) codes by `--reject-with` name
    /// (net/ipv6/netfilter/ip6t_REJECT.c).
    static let unreachableCodes6: [String: UInt8] = [
        "icmp6-no-route": 0, "icmp6-adm-prohibited": 1, "icmp6-addr-unreachable": 3, "icmp6-port-unreachable": 4,
        "icmp6-policy-fail": 5, "icmp6-reject-route": 6,
    ]

    /// What REJECT sends for `packet` (as it was when rejected), from the host: a TCP reset
    /// from the rejected destination, or an ICMP error from the host's address toward the
    /// source; RELATED to the connection either way.
    /// `ttl`: the host's default TTL, which the answer leaves with.
    /// `byRejectTarget`: made by REJECT (its answers reach the raw table with the
    /// connection attached), not by the stack for a closed port or by a peer.
    public static func rejection(of packet: Packet, with type: String, source errorSource: IPAddress?, ttl: UInt8? = nil,
                                 byRejectTarget: Bool = true) -> Packet {
        if type == "tcp-reset" {
            // nf_send_reset: TOS 0, the route's TTL, the connection attached (nf_ct_attach),
            // so even the raw table sees it RELATED.
            return reset(of: packet, state: .related, ttl: ttl, tos: 0, attached: true)
        }
        var answer = Packet(family: packet.family)
        related(&answer, to: packet)
        answer.ttl = ttl
        if packet.family == .ipv4 {
            // __icmp_send: TOS is the offending packet's TOS bits with precedence "internetwork
            // control"; the error quotes the offending packet up to 576 bytes in all.
            answer.tos = packet.tos.map { 0xC0 | ($0 & 0x1E) }
            answer.length = packet.length.map { 28 + min($0, 548) }
        }
        answer.source = errorSource
        answer.destination = packet.source
        if packet.family == .ipv6 {
            answer.protocol = IPProtocol.icmpv6
            answer.icmpType = 1
            answer.icmpCode = unreachableCodes6[type] ?? 4
        } else {
            answer.protocol = IPProtocol.icmp
            answer.icmpType = 3
            answer.icmpCode = unreachableCodes[type] ?? 3
        }
        answer.conntrack.state = .related
        // Observed (Scripts/kernel-conformance): REJECT's error is RELATED already in the raw
        // table, the stack's error for a closed port is not (INVALID there, as any packet
        // conntrack has not seen yet).
        answer.conntrack.attached = byRejectTarget
        return withoutConnection(answer, for: packet)
    }

    /// An answer to an untracked packet belongs to no connection: conntrack finds none for
    /// it and, as a first packet, it is INVALID (a reset, an ICMP error). One REJECT made
    /// stays attached all the same: nf_ct_attach gives it RELATED with no connection (the
    /// untracked packet's _nfct is not 0), which the state match sees as INVALID and which
    /// NOTRACK and CT --notrack leave alone (xt_CT.c: the packet has an _nfct already;
    /// observed: a `-m state --state INVALID` rule after `-j NOTRACK` in raw OUTPUT matches).
    static func withoutConnection(_ answer: Packet, for packet: Packet) -> Packet {
        guard packet.conntrack.state == .untracked else { return answer }
        var answer = answer
        answer.conntrack.state = .invalid
        answer.conntrack.tuple = nil
        return answer
    }

    /// A TCP reset answering `packet`: addresses and ports swapped, RST with ACK when the
    /// refused segment had no ACK.
    /// `tos`: what the reset carries (nf_send_reset: 0; tcp_v4_send_reset: the segment's).
    /// `attached`: made with its connection attached (nf_send_reset's nf_ct_attach).
    public static func reset(of packet: Packet, state: ConntrackState, ttl: UInt8? = nil, tos: UInt8? = nil,
                             attached: Bool = false) -> Packet {
        var answer = backward(packet)
        related(&answer, to: packet)
        answer.protocol = IPProtocol.tcp
        answer.tcpFlags = (packet.tcpFlags ?? 0) & 0x10 != 0 ? 0x04 : 0x14
        answer.conntrack.state = state
        answer.ttl = ttl
        answer.tos = tos
        answer.length = packet.family == .ipv4 ? 40 : 60
        answer.conntrack.attached = attached
        return withoutConnection(answer, for: packet)
    }

    /// An answer belongs to the offending packet's connection, going the other way: its
    /// mark, its tuple, its NAT.
    static func related(_ answer: inout Packet, to packet: Packet) {
        answer.conntrack.mark = packet.conntrack.mark
        // The same connection: the NAT it has decided is decided for the answer too.
        answer.conntrack.destinationNATDecided = packet.conntrack.destinationNATDecided
        answer.conntrack.sourceNATDecided = packet.conntrack.sourceNATDecided
        guard var connection = packet.conntrack.tuple else { return }
        if !connection.isReply, let nat = ExtensionSpec.natStatus(packet) {
            connection.sourceNAT = nat.source
            connection.destinationNAT = nat.destination
        }
        connection.isReply.toggle()
        answer.conntrack.tuple = connection
    }

    /// A new packet going back the way `packet` came: its addresses and ports swapped.
    static func backward(_ packet: Packet) -> Packet {
        var answer = Packet(family: packet.family)
        answer.source = packet.destination
        answer.destination = packet.source
        answer.sourcePort = packet.destinationPort
        answer.destinationPort = packet.sourcePort
        return answer
    }

    /// ICMP port unreachable for a UDP datagram to a closed port, from its destination.
    public static func portUnreachable(of packet: Packet, ttl: UInt8? = nil) -> Packet {
        rejection(of: packet, with: packet.family == .ipv6 ? "icmp6-port-unreachable" : "icmp-port-unreachable", source: packet.destination,
                  ttl: ttl, byRejectTarget: false)
    }
}
