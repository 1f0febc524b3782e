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
            decideOnFirstFragments(packet) {
                guard let setting = call.settings.first, case .ports(let ranges) = setting.value else { return true }
                return multiportHit(call.spec.options[setting.option].name, ranges, packet).map { $0 != setting.negated }
            }
        },
        space: { call, family in onFirstFragments(multiportSpace(call, family), family) },
        listing: .multiport, groups: [.exactlyOne("sports", "dports", "ports")])

    /// `--sports/--dports/--ports` for a first fragment.
    static func multiportOutcome(_ call: ExtensionCall, _ packet: Packet) -> MatchOutcome {
        guard let setting = call.settings.first, case .ports(let ranges) = setting.value else { return .matches }
        let name = call.spec.options[setting.option].name
        guard let hit = multiportHit(name, ranges, packet) else {
            return .unknown("--\(name): the packet's ports were not given")
        }
        let list = { ranges.map(\.description).joined(separator: ",") }
        return MatchOutcome.check(hit, "port not in \(list())").negated(setting.negated, "port in \(list())")
    }

    /// Whether a port the option reads (`sports` the source, `dports` the destination,
    /// `ports` either) is in the ranges; nil when a port it reads was not given.
    static func multiportHit(_ name: String, _ ranges: [PortRange], _ packet: Packet) -> Bool? {
        let readsSource = name != "dports", readsDestination = name != "sports"
        if readsSource && packet.sourcePort == nil || readsDestination && packet.destinationPort == nil { return nil }
        return ranges.contains { range in
            (readsSource && packet.sourcePort.map(range.contains) == true)
                || (readsDestination && packet.destinationPort.map(range.contains) == true)
        }
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
