/// The compact one-line form of a class of packets, which `PacketDescription.describe`
/// reads back: `tcp * -> 10.0.2.15:8080 in eth0`, `tcp !10.0.0.0/8:* -> 10.0.2.15:8080`,
/// `udp 172.17.0.0/16:* -> *:53,5353 ctstate NEW`. `*` is any value; a set is a comma list
/// of values, networks and LOW-HIGH ranges, or of the values left out, each with `!`.
extension PacketDescription {
    /// The packets a described packet (its given fields) and a class (the sets of its open
    /// fields) stand for together.
    public static func format(_ packet: Packet, class cube: PacketCube?) -> String {
        let family = packet.family
        let cube = cube ?? PacketCube()
        var words: [String] = []
        let protocols: IntervalSet? = packet.protocol.map { IntervalSet(value: UInt128($0)) } ?? cube.intervals(.protocol)
        words.append(protocols.map { PacketClassText.numberText($0, maximum: 255) {
            IPProtocol.saveName(for: UInt8(truncatingIfNeeded: $0), family: family) ?? String($0)
        } } ?? "all")
        let hasPorts = protocols.map { set in ExtensionSpec.natPortProtocols.contains { set.contains(UInt128($0)) } } ?? false
        let laterFragment = !packet.open.contains(.fragment) && packet.isFragment
        func endpoint(_ address: IPAddress?, _ addressField: PacketField, _ port: UInt16?, _ portField: PacketField) -> String {
            var text = address?.description ?? cube.intervals(addressField, family: family).map { addressText($0, family: family) }
                ?? "*"
            guard hasPorts, !laterFragment else { return text }
            let ports = port.map(String.init) ?? cube.intervals(portField).map {
                PacketClassText.numberText($0, maximum: 65535) { String($0) }
            } ?? "*"
            if ports == "*" { return text }
            if family == .ipv6 && text != "*" { text = "[\(text)]" }
            return text + ":" + ports
        }
        words.append(endpoint(packet.source, .source, packet.sourcePort, .sourcePort))
        words.append("->")
        words.append(endpoint(packet.destination, .destination, packet.destinationPort, .destinationPort))
        let some = IntervalSet(UInt128(1) << 120, PacketField.inInterface.maximum(family))
        for (name, given, field) in [("in", packet.hookState.inInterface, PacketField.inInterface),
                                     ("out", packet.hookState.outInterface, .outInterface)] {
            if let given, !given.isEmpty {
                words += [name, given]
            } else if given == nil, let set = cube.intervals(field), set != some {
                words += [name, PacketClassText.interfaceText(set, domain: .intervals(some))]
            }
        }
        if let state = packet.conntrack.state {
            words += ["ctstate", state.rawValue]
        } else if let states = cube.intervals(.state), !states.isFull(.state) {
            words += ["ctstate", ConntrackStateValue.text(of: states)]
        }
        let isTCP = protocols.map { $0.contains(UInt128(IPProtocol.tcp)) } ?? true
        if isTCP, !laterFragment {
            if let flags = packet.tcpFlags {
                words += ["flags", flagNames(flags)]
            } else if case .ternary(let set)? = cube[.tcpFlags], !set.complement.isEmpty {
                if set == TernarySet(value: 0x02, mask: 0x17) {
                    words.append("syn")
                } else {
                    words += ["flags", set.patterns.map(PacketClassText.flagText).joined(separator: ",")]
                }
            }
        }
        let icmp: UInt128 = family == .ipv4 ? UInt128(IPProtocol.icmp) : UInt128(IPProtocol.icmpv6)
        if protocols?.contains(icmp) ?? false, !laterFragment {
            if let type = packet.icmpType, let code = packet.icmpCode {
                words += ["type", "\(type)/\(code)"]
            } else if let types = cube.intervals(.icmp), !types.isFull(.icmp) {
                words += ["type", PacketClassText.icmpText(types)]
            }
        }
        if laterFragment { words.append("fragment") }
        for (name, field) in [("mark", PacketField.mark), ("connmark", .connmark)] {
            let fixed: UInt32? = field == .mark ? (packet.open.contains(.mark) ? nil : packet.mark) : packet.conntrack.mark
            if let fixed {
                if fixed != 0 || field == .connmark { words += [name, "0x" + String(fixed, radix: 16)] }
            } else if case .ternary(let set)? = cube[field], !set.complement.isEmpty {
                words += [name, set.patterns.map { pattern in
                    pattern.mask == 0xFFFF_FFFF ? "0x" + String(pattern.value, radix: 16)
                        : "0x\(String(pattern.value, radix: 16))/0x\(String(pattern.mask, radix: 16))"
                }.joined(separator: ",")]
            }
        }
        if let length = packet.length { words += ["length", String(length)] }
        if let ttl = packet.ttl { words += ["ttl", String(ttl)] }
        if let tos = packet.tos { words += ["tos", "0x" + String(tos, radix: 16)] }
        if let type = packet.packetType {
            words += ["pkttype", type]
        } else if let types = cube.intervals(.packetType), !types.isFull(.packetType) {
            words += ["pkttype", PacketTypeValue.text(of: types)]
        }
        if let mac = packet.sourceMAC { words += ["mac", mac.description] }
        if let port = packet.physdevIn { words += ["physdev-in", port] }
        if let port = packet.physdevOut { words += ["physdev-out", port] }
        if let uid = packet.uid { words += ["uid", String(uid)] }
        if let gid = packet.gid { words += ["gid", String(gid)] }
        return words.joined(separator: " ")
    }

    /// A class's conditions in words: `when [-m recent ...] unless [...]`.
    public static func conditionText(_ cube: PacketCube?) -> String {
        (cube?.conditions ?? []).map(conditionWords).joined(separator: " ")
    }

    /// One condition in words, with the truth the class requires: `when [-m recent ...]`,
    /// `unless [...]`.
    public static func conditionWords(_ condition: (text: String, holds: Bool)) -> String {
        (condition.holds ? "when [" : "unless [") + condition.text + "]"
    }

    /// A class of a packet's description in the compact form, with its conditions:
    /// `tcp 10.0.2.0/24 -> 10.0.2.15:8080 when [...]`.
    public static func classText(_ packet: Packet, class cube: PacketCube?) -> String {
        let conditions = conditionText(cube)
        return format(packet, class: cube) + (conditions.isEmpty ? "" : " " + conditions)
    }

    static func flagNames(_ flags: UInt8) -> String {
        let names = ExtensionSpec.tcpFlagNames.enumerated().filter { flags & (1 << UInt8($0.offset)) != 0 }.map(\.element)
        return names.isEmpty ? "NONE" : names.joined(separator: ",")
    }

    /// Addresses as networks, LOW-HIGH ranges, or the ones left out each with `!`.
    static func addressText(_ set: IntervalSet, family: Family) -> String {
        let maximum = PacketField.source.maximum(family)
        if set.isExactly(0, maximum) { return "*" }
        return PacketClassText.members(addressList(set, family: family),
                                       outside: addressList(set.complement(within: 0, maximum), family: family))
    }

    /// Addresses as a list of networks, and LOW-HIGH for a range that takes more than two.
    public static func addressList(_ set: IntervalSet, family: Family) -> [String] {
        set.intervals.flatMap { interval -> [String] in
            let networks = PacketClassText.networks(interval.lower, interval.upper, family: family)
            if networks.count <= 2 { return networks }
            return ["\(RuleSpace.address(interval.lower, family: family))-\(RuleSpace.address(interval.upper, family: family))"]
        }
    }
}

extension PacketCube {
    /// The interval set of a field, when the class constrains it (not to every value).
    func intervals(_ field: PacketField, family: Family = .ipv4) -> IntervalSet? {
        if case .intervals(let set)? = self[field], !set.isExactly(0, field.maximum(family)) { return set }
        return nil
    }
}
