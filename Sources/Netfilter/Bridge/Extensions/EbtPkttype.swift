// libebt_pkttype.c / net/bridge/netfilter/ebt_pkttype.c: skb->pkt_type, which the port's
// eth_type_trans set from the destination MAC (broadcast, multicast; otherwise host when it
// is the port's address, otherhost when not) and br_handle_frame made host where the
// destination is the bridge's own address. verdict's packet type `unicast` is PACKET_HOST.

extension EbtablesModule {
    /// `[!] --pkttype-type host|broadcast|multicast|otherhost|outgoing|loopback|fastroute|N`.
    static let pkttype = EbtablesModule("pkttype", .match, options: [
        EbtablesOption(["--pkttype-type"], module: "", .word(EbtPkttype.names, orNumberUpTo: byteLimit)),
    ], read: EbtPkttype.init)
}

/// The pkttype match's option, typed.
struct EbtPkttype: EbtablesExtension {
    /// The classes by their number (PACKET_HOST 0 ... PACKET_FASTROUTE 6).
    static let names = ["host", "broadcast", "multicast", "otherhost", "outgoing", "loopback", "fastroute"]

    var type: Negatable<UInt8>?

    init(_ options: EbtablesOptions) {
        type = options.value("--pkttype-type") { text in
            Self.names.firstIndex { $0.caseInsensitiveCompare(text) == .orderedSame }.map(UInt8.init)
                ?? EbtablesValue.number(text).flatMap(UInt8.init(exactly:))
        }
    }

    /// The class as verdict's packets name it (`unicast` for host).
    static func packetTypeName(_ number: UInt8) -> String {
        number == 0 ? "unicast" : Int(number) < names.count ? names[Int(number)] : "type \(number)"
    }

    /// The packet's class: given, or read off a broadcast or multicast destination MAC
    /// (eth_type_trans); nil where it depends on whose address a unicast MAC is.
    static func packetType(of packet: Packet) -> String? {
        if let given = packet.packetType { return given }
        guard let mac = packet.destinationMAC?.value else { return nil }
        if mac == 0xFFFF_FFFF_FFFF { return "broadcast" }
        return mac & 0x0100_0000_0000 != 0 ? "multicast" : nil
    }

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        guard let type else { return .matches }
        let wanted = Self.packetTypeName(type.value)
        guard let actual = Self.packetType(of: packet) else {
            // The packet type field: PACKET_OUTGOING and above are no frame's at a bridge hook.
            let types = PacketTypeValue.values(named: wanted)
            var open = EbtablesOpenConditions(packet.family)
            open.restrict(.packetType, .intervals(types), negated: type.negated)
            return open.result
        }
        return type.passes(actual == wanted) ? .matches : .fails("--pkttype-type: packet type \(actual)")
    }
}
