// libxt_pkttype.c / net/netfilter/xt_pkttype.c: link-layer packet type.

extension ExtensionSpec {
    /// `-m pkttype [!] --pkt-type unicast|broadcast|multicast|host|otherhost|outgoing|loopback`.
    public static let pkttype = ExtensionSpec(
        "pkttype", kind: .match,
        options: [OptionSpec("pkt-type", .keyword([
            "unicast": "unicast", "broadcast": "broadcast", "multicast": "multicast",
            "host": "unicast", "otherhost": "otherhost", "outgoing": "outgoing", "loopback": "loopback",
        ], caseInsensitive: true), negatable: true, required: true)],
        evaluate: { call, packet in
            guard let setting = call.setting("pkt-type"), case .word(let wanted) = setting.value else { return .matches }
            guard let actual = packet.packetType else { return .unknown("--pkt-type \(wanted): the packet type was not given") }
            return MatchOutcome.check(actual == wanted, "packet type \(actual) is not \(wanted)")
                .negated(setting.negated, "packet type \(wanted)")
        },
        space: { call, family in
            // outgoing and loopback: no packet at a hook has them as xt_pkttype reads them.
            guard let setting = call.setting("pkt-type"), case .word(let wanted) = setting.value else { return nil }
            let types = PacketTypeValue.values(named: wanted)
            let chosen = setting.negated ? IntervalSet(0, PacketField.packetType.maximum(family)).subtracting(types) : types
            return .where(.packetType, .intervals(chosen), family: family)
        }, listing: .pkttype)
}

// libxt_pkttype.c pkttype_print: `PKTTYPE = TYPE` or `PKTTYPE != TYPE`.
extension ListingForm {
    static let pkttype = ListingForm(leads: ["PKTTYPE"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("PKTTYPE") else { return false }
        let negated = reader.cursor.takeWord("!=")
        guard negated || reader.cursor.takeWord("="), let (type, _) = reader.cursor.word() else {
            reader.fail("PKTTYPE without '= TYPE'", column: column)
            return true
        }
        reader.option("pkt-type", [type], negated: negated, column: column)
        return true
    }
}
