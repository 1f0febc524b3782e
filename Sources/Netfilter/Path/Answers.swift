// net/ipv4/netfilter/nf_reject_ipv4.c (nf_send_reset, nf_send_unreach), net/ipv4/icmp.c
// (icmp_send: the error's source), net/netfilter/nf_conntrack_core.c (nf_conntrack_attach:
// an error or reset the host sends for a connection is RELATED to it),
// net/ipv4/tcp_ipv4.c (tcp_v4_send_reset: a SYN to a closed port gets RST,ACK).

/// The packets a host or a peer sends back when a request is refused: REJECT's ICMP error
/// or TCP reset, a closed port's reset or port unreachable.
public enum Answers {
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
    public static func rejection(of packet: Packet, with type: String, source errorSource: IPAddress?) -> Packet {
        if type == "tcp-reset" { return reset(of: packet, state: .related) }
        var answer = Packet(family: packet.family)
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
        answer.conntrackState = .related
        return answer
    }

    /// A TCP reset answering `packet`: addresses and ports swapped, RST with ACK when the
    /// refused segment had no ACK.
    public static func reset(of packet: Packet, state: ConntrackState) -> Packet {
        var answer = backward(packet)
        answer.protocol = IPProtocol.tcp
        answer.tcpFlags = (packet.tcpFlags ?? 0) & 0x10 != 0 ? 0x04 : 0x14
        answer.conntrackState = state
        return answer
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
    public static func portUnreachable(of packet: Packet) -> Packet {
        rejection(of: packet, with: packet.family == .ipv6 ? "icmp6-port-unreachable" : "icmp-port-unreachable", source: packet.destination)
    }
}
