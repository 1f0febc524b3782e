/// The compact text of a class of packets, in the words of the packet form:
/// `tcp from 0.0.0.0/0 to 10.0.0.2 dport 22 in eth0 ctstate NEW`.
public enum PacketClassText {
    public static func describe(_ cube: PacketCube, family: Family, walk: DiffScope.Walk) -> String {
        var words: [String] = []
        let protocols = cube[.protocol]
        words.append(protocolText(protocols, family: family))
        words += ["from", addressText(cube[.source], family: family), "to", addressText(cube[.destination], family: family)]
        // Later fragments have no transport header: ports, ICMP types and flags mean nothing there.
        let onlyLaterFragments = cube[.fragment] == .intervals(IntervalSet(value: 1))
        let hasPorts = !onlyLaterFragments && (protocols.map { set in ExtensionSpec.natPortProtocols.contains { set.contains(UInt128($0)) } } ?? true)
        if hasPorts {
            for (field, name) in [(PacketField.sourcePort, "sport"), (.destinationPort, "dport")] {
                if let set = cube[field], case .intervals(let ports) = set, !ports.isFull(field) {
                    words += [name, numberText(ports, maximum: 65535) { String($0) }]
                }
            }
        }
        let icmp: UInt128 = family == .ipv4 ? 1 : 58
        if !onlyLaterFragments, let set = cube[.icmp], case .intervals(let values) = set, protocols?.contains(icmp) ?? true, !values.isFull(.icmp) {
            words += ["type", icmpText(values)]
        }
        if !onlyLaterFragments, let set = cube[.tcpFlags], case .ternary(let flags) = set, protocols?.contains(6) ?? true, !flags.complement.isEmpty {
            words += ["flags", flags.patterns.map(flagText).joined(separator: ",")]
        }
        let domain = DiffScope().entry(walk, family: family).cubes.first ?? PacketCube()
        for (field, name) in [(PacketField.inInterface, "in"), (.outInterface, "out")] {
            if let set = cube[field], case .intervals(let names) = set {
                if case .intervals(let whole)? = domain[field], names == whole { continue }
                words += [name, interfaceText(names, domain: domain[field])]
            }
        }
        if let set = cube[.packetType], case .intervals(let types) = set, !types.isFull(.packetType) {
            words += ["pkttype", PacketTypeValue.text(of: types)]
        }
        if let set = cube[.state], case .intervals(let states) = set, !states.isFull(.state) {
            words += ["ctstate", ConntrackStateValue.text(of: states)]
        }
        // A class with ports, an ICMP type or TCP flags is of first fragments anyway (later
        // fragments have no transport header); said only where nothing else implies it.
        let readsHeader = words.contains { ["sport", "dport", "type", "flags"].contains($0) }
        if family == .ipv4, let set = cube[.fragment], case .intervals(let values) = set, !values.isFull(.fragment),
           values.contains(1) || !readsHeader {
            words.append(values.contains(1) ? "fragment" : "unfragmented")
        }
        for (field, name) in [(PacketField.mark, "mark"), (.connmark, "connmark")] {
            if let set = cube[field], case .ternary(let marks) = set, !marks.complement.isEmpty {
                func list(_ set: TernarySet) -> [String] {
                    set.patterns.map { pattern in
                        pattern.mask == 0xFFFF_FFFF ? hex(pattern.value) : "\(hex(pattern.value))/\(hex(pattern.mask))"
                    }
                }
                words += [name, members(list(marks), outside: list(marks.complement))]
            }
        }
        for condition in cube.conditions {
            words += [condition.holds ? "when" : "unless", "[\(condition.text)]"]
        }
        return words.joined(separator: " ")
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    /// The members as a comma list, or each value left out with `!` when that is shorter.
    static func members(_ inside: [String], outside: [String]) -> String {
        outside.count < inside.count ? outside.map { "!" + $0 }.joined(separator: ",") : inside.joined(separator: ",")
    }

    static func protocolText(_ set: FieldSet?, family: Family) -> String {
        guard let set, case .intervals(let values) = set, !values.isFull(.protocol) else { return "all" }
        return numberText(values, maximum: 255) { IPProtocol.saveName(for: UInt8(truncatingIfNeeded: $0), family: family) ?? String($0) }
    }

    /// Values as a comma list of numbers and ranges, or the values left out, each with `!`,
    /// when that is shorter.
    static func numberText(_ set: IntervalSet, maximum: UInt128, name: (UInt128) -> String) -> String {
        func list(_ set: IntervalSet) -> [String] {
            set.intervals.map { $0.lower == $0.upper ? name($0.lower) : "\(name($0.lower))-\(name($0.upper))" }
        }
        return members(list(set), outside: list(set.complement(within: 0, maximum)))
    }

    static func icmpText(_ set: IntervalSet) -> String {
        set.intervals.map { interval in
            let type = interval.lower >> 8
            if interval.lower & 0xFF == 0, interval.upper == interval.lower | 0xFF { return String(type) }
            if interval.lower == interval.upper { return "\(type)/\(interval.lower & 0xFF)" }
            return "\(type)/\(interval.lower & 0xFF)-\(interval.upper >> 8)/\(interval.upper & 0xFF)"
        }.joined(separator: ",")
    }

    static func flagText(_ pattern: TernarySet.Pattern) -> String {
        func names(_ bits: UInt64) -> String {
            let chosen = ExtensionSpec.tcpFlagNames.enumerated().filter { bits & (1 << UInt64($0.offset)) != 0 }.map(\.element)
            return chosen.isEmpty ? "NONE" : chosen.joined(separator: ",")
        }
        return "\(names(pattern.value))/\(names(pattern.mask))"
    }

    /// Addresses as networks (`10.0.0.0/8`), ranges, or `!` and what is left out.
    public static func addressText(_ set: FieldSet?, family: Family) -> String {
        let maximum = PacketField.source.maximum(family)
        guard let set, case .intervals(let values) = set, !values.isExactly(0, maximum) else {
            return family == .ipv4 ? "0.0.0.0/0" : "::/0"
        }
        func list(_ set: IntervalSet) -> [String] {
            set.intervals.flatMap { interval -> [String] in
                let networks = networks(interval.lower, interval.upper, family: family)
                if networks.count <= 2 { return networks }
                return ["\(Witness.address(interval.lower, family))-\(Witness.address(interval.upper, family))"]
            }
        }
        return members(list(values), outside: list(values.complement(within: 0, maximum)))
    }

    /// The fewest networks that make up `lower...upper` exactly.
    static func networks(_ lower: UInt128, _ upper: UInt128, family: Family) -> [String] {
        let width = family == .ipv4 ? 32 : 128
        var result: [String] = []
        var start = lower
        while start <= upper && result.count < 8 {
            var size = 0
            while size < width {
                let next = size + 1
                let block: UInt128 = next >= 128 ? .max : (UInt128(1) << UInt128(next)) - 1
                if start & block != 0 { break }
                let (end, overflow) = start.addingReportingOverflow(block)
                if overflow || end > upper { break }
                size = next
            }
            let address = Witness.address(start, family)
            result.append(size == 0 ? address.description : "\(address)/\(width - size)")
            let block: UInt128 = size >= 128 ? .max : (UInt128(1) << UInt128(size)) - 1
            let (end, overflow) = start.addingReportingOverflow(block)
            if overflow || end == .max || end >= upper { break }
            start = end + 1
        }
        return result
    }

    /// Interface sets as names and `+` prefixes, or `!` and what is left out of the hook's
    /// devices.
    static func interfaceText(_ set: IntervalSet, domain: FieldSet?) -> String {
        func names(_ set: IntervalSet) -> [String] {
            set.intervals.map { interval in
                let low = InterfaceName.decode(interval.lower)
                if interval.lower == interval.upper { return low.isEmpty ? "none" : low }
                if InterfaceName.encode(low.utf8) == interval.lower, InterfaceName.encode(low.utf8, padding: 0xFF) == interval.upper {
                    return low + "+"
                }
                return "\(low.isEmpty ? "none" : low)..\(InterfaceName.decode(interval.upper))"
            }
        }
        var whole = IntervalSet(0, PacketField.inInterface.maximum(.ipv4))
        if case .intervals(let known)? = domain { whole = known }
        return members(names(set), outside: names(whole.subtracting(set)))
    }
}
