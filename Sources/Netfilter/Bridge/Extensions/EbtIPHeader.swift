// What ebt_ip.c and ebt_ip6.c share: the header fields they test, in the kernel's order
// (the TOS or traffic class byte, the addresses under their masks, the protocol), and,
// only when the protocol is given, the ports or the ICMP type and code of the transport
// header. ebt_ip reads no transport header of a later fragment (`frag_off & IP_OFFSET`);
// ebt_ip6 finds the protocol with ipv6_skip_exthdr, which stops at a later fragment's
// fragment header, so there the protocol reads as 44.

/// The options libebt_ip.c and libebt_ip6.c share, under their prefix (`--ip`, `--ip6`).
extension EbtablesModule {
    static func addressOptions(_ prefix: String, _ address: EbtablesValue, class name: String) -> [EbtablesOption] {
        [EbtablesOption([prefix + "-src", prefix + "-source"], module: "", address),
         EbtablesOption([prefix + "-dst", prefix + "-destination"], module: "", address),
         EbtablesOption([name], module: "", .hex(max: byteLimit)),
         EbtablesOption([prefix + "-proto", prefix + "-protocol"], module: "", .ipProtocol),
         EbtablesOption([prefix + "-sport", prefix + "-source-port"], module: "", .portRange),
         EbtablesOption([prefix + "-dport", prefix + "-destination-port"], module: "", .portRange),
         EbtablesOption([prefix + "-icmp-type"], module: "", .text(maxLength: 64))]
    }

    /// ebt_ip_mt_check / ebt_ip6_mt_check: ports need a protocol that has them, the ICMP
    /// type ICMP (ICMPv6).
    static func addressProblems(_ options: EbtablesOptions, prefix: String, icmp: UInt8) -> [Problem] {
        let proto = options[prefix + "-proto"]
        let number = proto.flatMap { $0.negated ? nil : IPProtocol.number(for: $0.values.first ?? "") }
        var problems: [Problem] = []
        for option in options.written {
            let name = option.option.name.dropFirst(prefix.count + 1)
            if name == "sport" || name == "dport", !ExtensionSpec.portProtocols.contains(number ?? 0) {
                problems.append(("\(option.option.name) needs \(prefix)-proto tcp, udp, udplite, sctp or dccp", option))
            } else if name == "icmp-type", number != icmp {
                let name = icmp == IPProtocol.icmp ? "icmp" : "ipv6-icmp"
                problems.append(("\(option.option.name) needs \(prefix)-proto \(name)", option))
            }
        }
        return problems
    }
}

/// An ICMP (ICMPv6) type range and code range (`--ip-icmp-type 3/0:3`, or a name).
struct EbtICMPTypes: Sendable, Hashable {
    var types: ClosedRange<UInt8>
    var codes: ClosedRange<UInt8>

    /// libebt_ip.c ebt_parse_icmp: a name, or `TYPE[:TYPE][/CODE[:CODE]]`.
    init?(_ text: String, names: [String: (UInt8, UInt8, UInt8)]) {
        if text != "any", let named = names.first(where: { $0.key.lowercased() == text.lowercased() })?.value {
            (types, codes) = (named.0...named.0, named.1...named.2)
            return
        }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let types = Self.range(parts[0]), let codes = parts.count > 1 ? Self.range(parts[1]) : 0...255 else {
            return nil
        }
        (self.types, self.codes) = (types, codes)
    }

    private static func range(_ text: String) -> ClosedRange<UInt8>? {
        EbtablesValue.range(text, max: 0xFF, decimal: true).map { UInt8($0.0)...UInt8($0.1) }
    }

    /// The values of the icmp field (type × 256 + code) these are.
    var values: IntervalSet {
        types.reduce(IntervalSet()) { set, type in
            set.union(IntervalSet(UInt128(type) << 8 | UInt128(codes.lowerBound),
                                  UInt128(type) << 8 | UInt128(codes.upperBound)))
        }
    }
}

/// The options of an ip or ip6 match, typed: its header conditions.
struct EbtIPHeader: EbtablesExtension {
    /// `--ip` or `--ip6`, and the name of the TOS (traffic class) option.
    var prefix: String
    var classOption: String
    var family: Family
    var tos: Negatable<UInt8>?
    var source: Negatable<Network>?
    var destination: Negatable<Network>?
    var proto: Negatable<UInt8>?
    var sourcePorts: Negatable<PortRange>?
    var destinationPorts: Negatable<PortRange>?
    var icmp: Negatable<EbtICMPTypes>?
    /// `--ip-icmp-type` text that names no type verdict knows, and `--ip-igmp-type`: what
    /// verdict's packets do not describe, conditions.
    var undescribed: [String] = []

    init(_ options: EbtablesOptions, prefix: String, classOption: String, family: Family,
         icmpNames: [String: (UInt8, UInt8, UInt8)]) {
        (self.prefix, self.classOption, self.family) = (prefix, classOption, family)
        tos = options.value(classOption) { EbtablesValue.hex($0).flatMap(UInt8.init(exactly:)) }
        source = options.value(prefix + "-src") { Network(parsing: Array($0.utf8), family: family) }
        destination = options.value(prefix + "-dst") { Network(parsing: Array($0.utf8), family: family) }
        proto = options.value(prefix + "-proto") { IPProtocol.number(for: $0) }
        func ports(_ name: String) -> Negatable<PortRange>? {
            options.value(prefix + name) { text in
                EbtablesValue.range(text, max: 0xFFFF, decimal: true).map { PortRange(UInt16($0.0), UInt16($0.1)) }
            }
        }
        sourcePorts = ports("-sport")
        destinationPorts = ports("-dport")
        icmp = options.value(prefix + "-icmp-type") { EbtICMPTypes($0, names: icmpNames) }
        if icmp == nil, let text = options.text(prefix + "-icmp-type") { undescribed.append(text) }
        if let text = options.text(prefix + "-igmp-type") { undescribed.append(text + " (the IGMP type)") }
    }

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        let name = family == .ipv4 ? "IPv4" : "IPv6"
        guard packet.family == family else { return .fails("\(prefix)-*: the frame is not \(name)") }
        var open = EbtablesOpenConditions(family)
        if let tos {
            if let actual = packet.tos {
                if !tos.passes(actual == tos.value) {
                    return .fails("\(classOption): TOS 0x\(String(actual, radix: 16))")
                }
            } else {
                open.condition("\(place) \(tos.negated ? "! " : "")\(classOption) 0x\(String(tos.value, radix: 16))")
            }
        }
        for (option, condition, address, field) in [("-src", source, packet.source, PacketField.source),
                                                    ("-dst", destination, packet.destination, .destination)] {
            guard let condition else { continue }
            guard let address else {
                if let addresses = RuleSpace.addresses(condition.value) {
                    open.restrict(field, .intervals(addresses), negated: condition.negated)
                } else {
                    open.condition("\(place) \(prefix)\(option) \(condition.value)")
                }
                continue
            }
            if !condition.passes(condition.value.contains(address)) {
                return .fails("\(prefix)\(option) \(condition.value): \(address)")
            }
        }
        guard let proto else { return open.result }
        if let failure = checkProtocol(proto, packet, place: place, &open) { return .fails(failure) }
        if sourcePorts == nil, destinationPorts == nil, icmp == nil, undescribed.isEmpty { return open.result }
        if family == .ipv4 {
            // ebt_ip: a later fragment has no transport header to read.
            if packet.open.contains(.fragment) {
                open.restrict(.fragment, .intervals(IntervalSet(value: 0)), negated: false)
            } else if packet.isFragment {
                return .fails("\(prefix)-proto: a later fragment carries no transport header")
            }
        }
        for (option, condition, port, field) in [("-sport", sourcePorts, packet.sourcePort, PacketField.sourcePort),
                                                 ("-dport", destinationPorts, packet.destinationPort,
                                                  .destinationPort)] {
            guard let condition else { continue }
            guard let port else {
                let ports = IntervalSet(UInt128(condition.value.first), UInt128(condition.value.last))
                open.restrict(field, .intervals(ports), negated: condition.negated)
                continue
            }
            if !condition.passes(condition.value.contains(port)) { return .fails("\(prefix)\(option): port \(port)") }
        }
        if let icmp {
            let (types, codes) = (icmp.value.types, icmp.value.codes)
            // Without the code, the type decides where every code is in or the type is not.
            if let type = packet.icmpType,
               let code = packet.icmpCode ?? (codes == 0...255 || !types.contains(type) ? 0 : nil) {
                if !icmp.passes(types.contains(type) && codes.contains(code)) {
                    let code = packet.icmpCode.map { " code \($0)" } ?? ""
                    return .fails("\(prefix)-icmp-type: ICMP type \(type)\(code)")
                }
            } else {
                open.restrict(.icmp, .intervals(icmp.value.values), negated: icmp.negated)
            }
        }
        for text in undescribed { open.condition("\(place) \(text)") }
        return open.result
    }

    /// The protocol the match reads (ebt_ip6: 44 for a later fragment), against `proto`.
    private func checkProtocol(_ proto: Negatable<UInt8>, _ packet: Packet, place: String,
                               _ open: inout EbtablesOpenConditions) -> String? {
        let fragmentHeader: UInt8 = 44
        if family == .ipv6, packet.isFragment, !packet.open.contains(.fragment) {
            return proto.passes(fragmentHeader == proto.value) ? nil : "\(prefix)-proto \(proto.value): "
                + "a later fragment's protocol reads as its fragment header (44)"
        }
        var first = EbtablesOpenConditions(family)
        if let actual = packet.protocol {
            if !proto.passes(actual == proto.value) {
                guard family == .ipv6, packet.open.contains(.fragment) else {
                    return "\(prefix)-proto \(proto.value): protocol \(actual)"
                }
                first.restrict(.none(family))
            }
        } else {
            first.restrict(.protocol, .intervals(IntervalSet(value: UInt128(proto.value))), negated: proto.negated)
        }
        guard family == .ipv6, packet.open.contains(.fragment) else {
            if let space = first.space { open.restrict(space) }
            return nil
        }
        // The first fragments by their protocol, the later ones all or none.
        first.restrict(.fragment, .intervals(IntervalSet(value: 0)), negated: false)
        let firstSpace = first.space ?? .all(family)
        guard proto.passes(fragmentHeader == proto.value) else {
            open.restrict(firstSpace)
            return nil
        }
        let later = PacketSpace.where(.fragment, .intervals(IntervalSet(value: 1)), family: family)
        open.restrict(firstSpace.union(later) ?? .condition("\(place) \(prefix)-proto \(proto.value)", family: family))
        return nil
    }
}
