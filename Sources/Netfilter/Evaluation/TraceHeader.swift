// net/netfilter/nf_log_syslog.c (nf_log_dump_packet_common, dump_ipv4_packet,
// dump_ipv6_packet): what a TRACE line says of the packet besides `table:chain:type:num`.

/// The fields of a packet the kernel logs with a TRACE line that verdict models: the hook's
/// devices, the bridge ports, the addresses, the protocol with its ports or ICMP type and
/// code, and the mark. nil is a field a class of packets leaves open.
public struct TraceHeader: Sendable, Hashable {
    public var family: Family
    /// The hook's input and output devices; "" is none (the kernel prints `IN=`).
    public var inDevice: String
    public var outDevice: String
    /// The bridge ports of a packet that came through a bridge (br_netfilter's physindev and
    /// physoutdev); the kernel prints them only where they differ from IN and OUT.
    public var physIn: String?
    public var physOut: String?
    public var source: IPAddress?
    public var destination: IPAddress?
    public var `protocol`: UInt8?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    public var icmpType: UInt8?
    public var icmpCode: UInt8?
    public var mark: UInt32?

    /// The header of `packet` at a hook whose devices are `inDevice` and `outDevice`.
    public init(_ packet: Packet, in inDevice: String?, out outDevice: String?) {
        family = packet.family
        self.inDevice = inDevice ?? ""
        self.outDevice = outDevice ?? ""
        physIn = packet.physdevIn
        physOut = packet.physdevOut
        source = packet.source
        destination = packet.destination
        `protocol` = packet.protocol
        sourcePort = packet.sourcePort
        destinationPort = packet.destinationPort
        icmpType = packet.icmpType
        icmpCode = packet.icmpCode
        mark = packet.open.contains(.mark) ? nil : packet.mark
    }

    /// This header with the addresses and ports of `other` (the packet after NAT).
    public func rewritten(by other: TraceHeader) -> TraceHeader {
        var header = self
        header.source = other.source
        header.destination = other.destination
        header.sourcePort = other.sourcePort
        header.destinationPort = other.destinationPort
        return header
    }

    /// Whether the protocol's header has ports the kernel logs (SPT= DPT=).
    public var hasPorts: Bool {
        `protocol` == IPProtocol.tcp || `protocol` == IPProtocol.udp || `protocol` == IPProtocol.udplite
    }

    /// Whether the protocol is ICMP of the family (TYPE= CODE=).
    public var isICMP: Bool {
        `protocol` == (family == .ipv6 ? IPProtocol.icmpv6 : IPProtocol.icmp)
    }

    /// The kernel's name for the protocol after `PROTO=`: TCP, UDP, UDPLITE, ICMP (ICMPv6 for
    /// IPv6), ESP, AH, else the number; nil when open.
    public var protocolName: String? {
        guard let number = `protocol` else { return nil }
        switch number {
        case IPProtocol.tcp: return "TCP"
        case IPProtocol.udp: return "UDP"
        case IPProtocol.udplite: return "UDPLITE"
        case IPProtocol.icmp where family == .ipv4: return "ICMP"
        case IPProtocol.icmpv6 where family == .ipv6: return "ICMPv6"
        case IPProtocol.esp: return "ESP"
        case IPProtocol.ah: return "AH"
        default: return String(number)
        }
    }

    /// The fields as the kernel prints them, in its order and spelling:
    /// `IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=50000 DPT=22 MARK=0x1`. Open
    /// fields print as `?`; fields verdict does not model (MAC, LEN, TOS, TTL, ID, flags,
    /// sequence numbers, an ICMP echo's ID and SEQ) are left out.
    public var fields: String {
        var words = ["IN=\(inDevice)", "OUT=\(outDevice)"]
        if let physIn, physIn != inDevice { words.append("PHYSIN=\(physIn)") }
        if let physOut, physOut != outDevice { words.append("PHYSOUT=\(physOut)") }
        words.append("SRC=" + (source.map(Self.logged) ?? "?"))
        words.append("DST=" + (destination.map(Self.logged) ?? "?"))
        words.append("PROTO=" + (protocolName ?? "?"))
        if hasPorts {
            words.append("SPT=" + (sourcePort.map(String.init) ?? "?"))
            words.append("DPT=" + (destinationPort.map(String.init) ?? "?"))
        } else if isICMP {
            words.append("TYPE=" + (icmpType.map(String.init) ?? "?"))
            words.append("CODE=" + (icmpCode.map(String.init) ?? "?"))
        }
        switch mark {
        case 0?: break
        case let value?: words.append("MARK=0x" + String(value, radix: 16))
        case nil: words.append("MARK=?")
        }
        return words.joined(separator: " ")
    }

    /// An address as the log prints it: IPv4 dotted, IPv6 as eight groups of four hex
    /// digits (`%pI6`, not compressed).
    static func logged(_ address: IPAddress) -> String {
        guard case .v6(let v6) = address else { return address.description }
        return v6.groups.map { String(hex: $0, width: 4) }.joined(separator: ":")
    }
}
