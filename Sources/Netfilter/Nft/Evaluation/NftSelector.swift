// nftables' src/payload.c, meta.c, ct.c (the selectors and their data types) and the
// kernel's nft_payload.c, nft_meta.c, nft_ct.c (what each reads of the packet).

/// What the left side of an nft relation reads, as a field of the packet-class algebra:
/// the field, the value type its right side is written in, and what the selector itself
/// requires of the packet (nft adds these dependencies when it compiles the rule: `tcp dport`
/// reads only TCP packets, `ip saddr` only IPv4 ones).
struct NftSelector: Sendable, Hashable {
    /// How the right side's words are read.
    enum ValueKind: Sendable, Hashable {
        case address, port, `protocol`, icmpType, icmpCode, state, mark, interface, tcpFlags, packetType
    }

    var field: PacketField
    var kind: ValueKind
    /// The only family whose packets have the field (nil: both).
    var family: Family?
    /// The IP protocols whose packets have the field (nil: every packet).
    var protocols: [UInt8]?
    /// The ICMP family for `icmpType`/`icmpCode`: the names differ between ICMP and ICMPv6.
    var icmpv6 = false

    /// The transport protocols with ports (nft's `th`: TCP, UDP, UDP-Lite, SCTP, DCCP).
    static let portProtocols: [UInt8] = [IPProtocol.tcp, IPProtocol.udp, IPProtocol.udplite, IPProtocol.sctp,
                                         IPProtocol.dccp]

    /// The selector an expression is, nil for one the algebra does not model (the relation is
    /// then a named condition).
    init?(_ expression: NftExpression) {
        switch expression {
        case .payload(let proto, let name):
            guard let selector = Self.payload(proto, name) else { return nil }
            self = selector
        case .meta(let key, _):
            guard let selector = Self.meta(key) else { return nil }
            self = selector
        case .ct(nil, nil, let key):
            switch key {
            case "state": self.init(field: .state, kind: .state)
            case "mark": self.init(field: .connmark, kind: .mark)
            default: return nil
            }
        default:
            return nil
        }
    }

    init(field: PacketField, kind: ValueKind, family: Family? = nil, protocols: [UInt8]? = nil,
         icmpv6: Bool = false) {
        self.field = field
        self.kind = kind
        self.family = family
        self.protocols = protocols
        self.icmpv6 = icmpv6
    }

    private static func payload(_ proto: String, _ name: String) -> NftSelector? {
        switch (proto, name) {
        case ("ip", "saddr"): return NftSelector(field: .source, kind: .address, family: .ipv4)
        case ("ip", "daddr"): return NftSelector(field: .destination, kind: .address, family: .ipv4)
        case ("ip6", "saddr"): return NftSelector(field: .source, kind: .address, family: .ipv6)
        case ("ip6", "daddr"): return NftSelector(field: .destination, kind: .address, family: .ipv6)
        case ("ip", "protocol"): return NftSelector(field: .protocol, kind: .protocol, family: .ipv4)
        case ("icmp", "type"):
            return NftSelector(field: .icmp, kind: .icmpType, family: .ipv4, protocols: [IPProtocol.icmp])
        case ("icmp", "code"):
            return NftSelector(field: .icmp, kind: .icmpCode, family: .ipv4, protocols: [IPProtocol.icmp])
        case ("icmpv6", "type"):
            return NftSelector(field: .icmp, kind: .icmpType, family: .ipv6, protocols: [IPProtocol.icmpv6],
                               icmpv6: true)
        case ("icmpv6", "code"):
            return NftSelector(field: .icmp, kind: .icmpCode, family: .ipv6, protocols: [IPProtocol.icmpv6],
                               icmpv6: true)
        case ("tcp", "flags"): return NftSelector(field: .tcpFlags, kind: .tcpFlags, protocols: [IPProtocol.tcp])
        case (_, "sport"), (_, "dport"):
            let field: PacketField = name == "sport" ? .sourcePort : .destinationPort
            let protocols: [UInt8]
            switch proto {
            case "th": protocols = portProtocols
            case "tcp": protocols = [IPProtocol.tcp]
            case "udp": protocols = [IPProtocol.udp]
            case "udplite": protocols = [IPProtocol.udplite]
            case "sctp": protocols = [IPProtocol.sctp]
            case "dccp": protocols = [IPProtocol.dccp]
            default: return nil
            }
            return NftSelector(field: field, kind: .port, protocols: protocols)
        default:
            return nil
        }
    }

    private static func meta(_ key: String) -> NftSelector? {
        switch key {
        case "iifname", "iif": return NftSelector(field: .inInterface, kind: .interface)
        case "oifname", "oif": return NftSelector(field: .outInterface, kind: .interface)
        case "l4proto": return NftSelector(field: .protocol, kind: .protocol)
        case "mark": return NftSelector(field: .mark, kind: .mark)
        case "pkttype": return NftSelector(field: .packetType, kind: .packetType)
        default: return nil
        }
    }
}
