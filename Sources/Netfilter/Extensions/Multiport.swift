// libxt_multiport.c (revision 1) / net/netfilter/xt_multiport.c: up to 15 ports or ranges.

extension ExtensionSpec {
    /// `-m multiport [!] --sports|--dports|--ports LIST`, with -p tcp, udp, udplite, dccp or sctp.
    public static let multiport = ExtensionSpec(
        "multiport", kind: .match,
        options: [
            OptionSpec("sports", aliases: ["source-ports"], .portList, negatable: true),
            OptionSpec("dports", aliases: ["destination-ports"], .portList, negatable: true),
            OptionSpec("ports", .portList, negatable: true),
        ],
        protocols: [IPProtocol.tcp, IPProtocol.udp, IPProtocol.udplite, IPProtocol.dccp, IPProtocol.sctp],
        evaluate: { call, packet in onFirstFragments(packet) { multiportOutcome(call, packet) } },
        decide: { call, packet in
            if packet.open.contains(.fragment) { return nil }
            if packet.isFragment { return false }
            guard let setting = call.settings.first, case .ports(let ranges) = setting.value else { return true }
            let name = call.spec.options[setting.option].name
            let source = name == "dports" ? 0 : packet.sourcePort.map(Int.init) ?? -1
            let destination = name == "sports" ? 0 : packet.destinationPort.map(Int.init) ?? -1
            guard source >= 0, destination >= 0 else { return nil }
            let hit = ranges.contains { range in
                (name != "dports" && range.contains(UInt16(source)))
                    || (name != "sports" && range.contains(UInt16(destination)))
            }
            return hit != setting.negated
        },
        space: { call, family in onFirstFragments(multiportSpace(call, family), family) },
        listing: .multiport, groups: [.exactlyOne("sports", "dports", "ports")])

    /// `--sports/--dports/--ports` for a first fragment.
    static func multiportOutcome(_ call: ExtensionCall, _ packet: Packet) -> MatchOutcome {
        guard let setting = call.settings.first, case .ports(let ranges) = setting.value else { return .matches }
        let name = call.spec.options[setting.option].name
        let candidates: [UInt16?] = name == "sports" ? [packet.sourcePort] : name == "dports" ? [packet.destinationPort]
            : [packet.sourcePort, packet.destinationPort]
        if candidates.contains(where: { $0 == nil }) { return .unknown("--\(name): the packet's ports were not given") }
        let hit = candidates.compactMap { $0 }.contains { port in ranges.contains { $0.contains(port) } }
        let list = ranges.map(\.description).joined(separator: ",")
        return MatchOutcome.check(hit, "port not in \(list)").negated(setting.negated, "port in \(list)")
    }

    static func multiportSpace(_ call: ExtensionCall, _ family: Family) -> PacketSpace? {
        call.spec.spaceOfAll(call, family) { setting, name in
            guard case .ports(let ranges) = setting.value else { return nil }
            let ports = IntervalSet(intervals: ranges.map { IntervalSet.Interval(UInt128($0.first), UInt128($0.last)) })
            let fields: [PacketField] = name == "sports" ? [.sourcePort] : name == "dports" ? [.destinationPort]
                : [.sourcePort, .destinationPort]
            var space = PacketSpace.none(family)
            for field in fields {
                guard let union = space.union(.where(field, .intervals(ports), family: family)) else { return nil }
                space = union
            }
            return space
        }
    }
}

// libxt_multiport.c __multiport_print_v1: `multiport sports|dports|ports [ !]P,P:P,...`
// (names without -n).
extension ListingForm {
    static let multiport = ListingForm(leads: ["multiport"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("multiport") else { return false }
        guard let (kind, _) = reader.cursor.word(), ["sports", "dports", "ports"].contains(kind) else {
            reader.fail("multiport without sports, dports or ports", column: column)
            return true
        }
        let negated = reader.cursor.takeNegation()
        guard let (list, listColumn) = reader.cursor.word() else {
            reader.fail("multiport \(kind) without its ports", column: column)
            return true
        }
        let ports = list.split(separator: ",", omittingEmptySubsequences: false)
            .map { reader.port(String($0), column: listColumn) }.joined(separator: ",")
        reader.option(kind, [ports], negated: negated, column: column)
        return true
    }
}
