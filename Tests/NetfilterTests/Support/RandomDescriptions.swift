@testable import Netfilter

/// Random partial packet descriptions (some fields one value, some sets, the rest open) and
/// concrete packets inside them, their values drawn near those the rules and the host use so
/// that rules match: the inputs of the packet-class property tests.
struct RandomDescriptions {
    /// Whether a device is there: never (the hook has none), always (a name), or either.
    enum DeviceDomain: String {
        case none, some, any
    }

    let family = Family.ipv4
    /// Values the rules and the host use, per field (the algebra's encoding), with their
    /// neighbours.
    private(set) var near: [PacketField: [UInt128]] = [:]
    /// Device names the rules and the host use, and names near their patterns.
    private(set) var devices: [String] = []

    init(rulesets: [Ruleset], addresses: [IPAddress] = [], networks: [Network] = [],
         devices hostDevices: [String] = []) {
        let defaults: [PacketField: [UInt128]] = [
            .protocol: [6, 6, 17, 1, 47, 132],
            .sourcePort: [22, 80, 443, 53, 8080, 0, 65535, 50000, 3128, 1024],
            .destinationPort: [22, 80, 443, 53, 8080, 0, 65535, 50000, 3128, 5353],
            .icmp: [0x0800, 0x0000, 0x0303, 0x0300, 0x0B00, 0x0501, 0x0301],
            .state: (0..<UInt128(ConntrackStateValue.allCases.count)).map { $0 },
            .fragment: [0, 0, 0, 1],
            .mark: [0, 1, 2, 3, 0x101, 0xFF, 0x4000, 0xFFFF_FFFF],
            .connmark: [0, 1, 2, 3, 0x4000],
            .tcpFlags: [0x02, 0x12, 0x10, 0x11, 0x04, 0x00, 0x18, 0x03, 0x14],
        ]
        near = defaults
        for text in ["10.1.2.3", "10.1.9.9", "192.168.0.7", "192.168.0.99", "172.17.0.2", "8.8.8.8", "127.0.0.1",
                     "200.1.1.1", "10.9.9.9", "203.0.113.5", "0.0.0.0", "255.255.255.255"] {
            guard let address = IPv4Address(text) else { continue }
            near[.source, default: []].append(UInt128(address.value))
            near[.destination, default: []].append(UInt128(address.value))
        }
        for address in addresses where address.family == family {
            near[.source, default: []].append(RuleSpace.value(of: address))
            near[.destination, default: []].append(RuleSpace.value(of: address))
        }
        for network in networks {
            guard let set = RuleSpace.addresses(network) else { continue }
            add(.source, .intervals(set))
            add(.destination, .intervals(set))
        }
        var names = ["eth0", "eth1", "ethx", "docker0", "br-abc", "lo", "wlan0", "veth1", "vethc1", "x0"]
        for ruleset in rulesets {
            names += SemanticDiff.interfaceNames(ruleset)
            for table in ruleset.tables {
                for chain in table.chains {
                    for rule in chain.rules { harvest(rule) }
                }
            }
        }
        names += hostDevices
        var seen = Set<String>()
        for name in names {
            let stem = name.hasSuffix("+") ? String(name.dropLast()) : name
            for candidate in [stem, stem + "0", stem + "1", stem + "x"] where !candidate.isEmpty
                && candidate.utf8.count <= InterfaceName.maximumLength && seen.insert(candidate).inserted {
                devices.append(candidate)
            }
        }
        for field in Array(near.keys) { near[field] = Array(Set(near[field] ?? [])).sorted() }
    }

    /// The values a rule's header and matches (and its NAT target) use.
    private mutating func harvest(_ rule: Rule) {
        for cube in RuleSpace.matching(rule, family: family).cubes.prefix(40) {
            for constraint in cube.constraints where ![.inInterface, .outInterface].contains(constraint.field) {
                add(constraint.field, constraint.set)
            }
        }
        if case .extension(let call) = rule.target {
            for (field, rewrite) in SymbolicAction.natRewrites(call, hook: nil, family: family) {
                if case .value(let value) = rewrite { near[field, default: []].append(value) }
            }
        }
    }

    private mutating func add(_ field: PacketField, _ set: FieldSet) {
        let maximum = field.maximum(family)
        switch set {
        case .intervals(let intervals):
            for interval in intervals.intervals.prefix(8) {
                var values = [interval.lower, interval.upper, interval.lower + (interval.upper - interval.lower) / 2]
                if interval.lower > 0 { values.append(interval.lower - 1) }
                if interval.upper < maximum { values.append(interval.upper + 1) }
                near[field, default: []] += values
            }
        case .ternary(let ternary):
            let width: UInt64 = field == .tcpFlags ? 0xFF : 0xFFFF_FFFF
            for pattern in ternary.patterns.prefix(8) {
                let lowest = pattern.mask & (~pattern.mask &+ 1)
                let values = [pattern.value, pattern.value | (~pattern.mask & width), pattern.value ^ lowest]
                near[field, default: []] += values.map { UInt128($0 & width) }
            }
        }
    }

    // MARK: - Descriptions

    /// Random packet options: each field left open, given one value, or given a set (prefixes,
    /// lists, ranges, `!`, `eth+`, marks with masks). The devices only where `input` and
    /// `output` allow them (nil: not at all, for a host path that decides them).
    func options(_ random: inout RandomRulesets, input: DeviceDomain?, output: DeviceDomain?) -> [DescribedOption] {
        var options: [DescribedOption] = []
        func add(_ name: String, _ value: String = "", negated: Bool = false) {
            options.append(DescribedOption(name, value, negated: negated))
        }
        var proto: String?
        if random.chance(45) {
            let chosen = random.pick(["tcp", "tcp", "udp", "icmp", "47", "all"])
            proto = chosen
            add("-p", chosen, negated: chosen != "all" && random.chance(15))
        }
        for name in ["-s", "-d"] where random.chance(35) {
            add(name, addressText(&random, field: name == "-s" ? .source : .destination), negated: random.chance(20))
        }
        if proto != "icmp" && proto != "47" {
            for name in ["--sport", "--dport"] where random.chance(name == "--sport" ? 15 : 30) {
                add(name, portText(&random, field: name == "--sport" ? .sourcePort : .destinationPort),
                    negated: random.chance(20))
            }
        }
        for (name, domain) in [("-i", input), ("-o", output)] {
            guard let domain, domain != .none, random.chance(40) else { continue }
            add(name, deviceText(&random, allowsNone: domain == .any), negated: random.chance(25))
        }
        if random.chance(35) {
            let states = ConntrackStateValue.allCases.map(\.name)
            let count = Int.random(in: 1...3, using: &random.generator)
            let chosen = Set((0..<count).map { _ in random.pick(states) })
            add("--ctstate", states.filter(chosen.contains).joined(separator: ","), negated: random.chance(15))
        }
        let marks = ["0x0", "0x1", "0x1/0x1", "0x2/0xff", "0x101/0xfff", "0x4000/0x4000", "0x0/0x1", "0x2/0x2", "3"]
        if random.chance(25) { add("--mark", random.pick(marks), negated: random.chance(20)) }
        if random.chance(20) { add("--connmark", random.pick(marks), negated: random.chance(20)) }
        if proto == nil || proto == "tcp" {
            if random.chance(10) {
                add("--syn", negated: random.chance(20))
            } else if random.chance(10) {
                add("--tcp-flags", random.pick(["SYN", "SYN,ACK", "ACK", "RST", "FIN,ACK", "PSH,ACK"]))
            }
        }
        if (proto == nil || proto == "icmp") && random.chance(15) {
            add("--icmp-type", random.pick(["echo-request", "8", "0", "3/3", "3", "echo-reply", "11", "3/0:3"]),
                negated: random.chance(15))
        }
        if random.chance(10) { add("-f", negated: random.chance(50)) }
        if random.chance(10) { add("--length", random.pick(["28", "40", "60", "100", "1500"])) }
        if random.chance(10) { add("--ttl", random.pick(["1", "63", "64", "255"])) }
        if random.chance(10) { add("--tos", random.pick(["0", "2", "0x10"])) }
        return options
    }

    /// A value from `near` of a field.
    private func nearValue(_ random: inout RandomRulesets, _ field: PacketField) -> UInt128 {
        let values = near[field] ?? []
        return values.isEmpty ? 0 : random.pick(values)
    }

    private func address(_ value: UInt128) -> String { RuleSpace.address(value, family: family).description }

    private func addressText(_ random: inout RandomRulesets, field: PacketField) -> String {
        func item() -> String {
            let value = nearValue(&random, field)
            switch Int.random(in: 0..<10, using: &random.generator) {
            case 0..<4: return address(value)
            case 4..<6: return random.pick(RandomRulesets.networks)
            case 6..<8:
                let length = random.pick([8, 16, 24, 28, 30])
                let mask = UInt128(UInt32.max << UInt32(32 - length))
                return address(value & mask) + "/\(length)"
            default:
                let other = nearValue(&random, field)
                return address(min(value, other)) + "-" + address(max(value, other))
            }
        }
        switch Int.random(in: 0..<10, using: &random.generator) {
        case 0..<7: return item()
        case 7..<9: return item() + "," + item()
        default: return item() + ",!" + item()
        }
    }

    private func portText(_ random: inout RandomRulesets, field: PacketField) -> String {
        let value = nearValue(&random, field)
        switch Int.random(in: 0..<10, using: &random.generator) {
        case 0..<5: return String(value)
        case 5..<7:
            let other = nearValue(&random, field)
            return "\(min(value, other)):\(max(value, other))"
        case 7..<9: return random.pick(["22,80,443", "80,8080", "1000:2000,53", "53,5353", "!22"])
        default: return "\(value):"
        }
    }

    private func deviceText(_ random: inout RandomRulesets, allowsNone: Bool) -> String {
        switch Int.random(in: 0..<20, using: &random.generator) {
        case 0..<10: return random.pick(devices)
        case 10..<15: return random.pick(["eth+", "br-+", "docker+", "veth+", "e+"])
        case 15..<18: return random.pick(devices) + "," + random.pick(devices)
        default: return allowsNone ? "none" : random.pick(devices)
        }
    }

    // MARK: - Packets inside a description

    /// A packet inside a description (`template`: the fields given one value; `set`: the sets
    /// given for others), every field the algebra models given a value (devices as the
    /// domains allow; nil domains leave them to the caller), `open` empty; nil when a device
    /// set has no name to give. Fields the template gives keep their values.
    func packet(_ random: inout RandomRulesets, template: Packet, set: PacketCube?, input: DeviceDomain?,
                output: DeviceDomain?) -> Packet? {
        var packet = template
        packet.open = []
        let cube = set ?? PacketCube()
        func value(_ field: PacketField) -> UInt128 { self.value(&random, field, cube[field]) }
        if packet.protocol == nil { packet.protocol = UInt8(truncatingIfNeeded: value(.protocol)) }
        if template.open.contains(.fragment) { packet.isFragment = value(.fragment) == 1 }
        let proto = packet.protocol ?? 0
        let icmp = family == .ipv4 ? IPProtocol.icmp : IPProtocol.icmpv6
        if packet.isFragment {
            // A later fragment carries no transport header.
            packet.sourcePort = nil
            packet.destinationPort = nil
            packet.tcpFlags = nil
            packet.icmpType = nil
            packet.icmpCode = nil
        } else {
            if ExtensionSpec.natPortProtocols.contains(proto) {
                if packet.sourcePort == nil { packet.sourcePort = UInt16(truncatingIfNeeded: value(.sourcePort)) }
                if packet.destinationPort == nil {
                    packet.destinationPort = UInt16(truncatingIfNeeded: value(.destinationPort))
                }
            } else {
                packet.sourcePort = nil
                packet.destinationPort = nil
            }
            if proto == IPProtocol.tcp {
                if packet.tcpFlags == nil { packet.tcpFlags = UInt8(truncatingIfNeeded: value(.tcpFlags)) }
            } else {
                packet.tcpFlags = nil
            }
            if proto == icmp {
                if packet.icmpCode == nil {
                    let both = value(.icmp)
                    packet.icmpType = UInt8(truncatingIfNeeded: both >> 8)
                    packet.icmpCode = UInt8(truncatingIfNeeded: both)
                }
            } else {
                packet.icmpType = nil
                packet.icmpCode = nil
            }
        }
        if packet.source == nil { packet.source = RuleSpace.address(value(.source), family: family) }
        if packet.destination == nil { packet.destination = RuleSpace.address(value(.destination), family: family) }
        if packet.conntrack.state == nil {
            let state = ConntrackStateValue(rawValue: Int(value(.state))) ?? .new
            packet.conntrack.state = ConntrackState(rawValue: state.name)
        }
        if template.open.contains(.mark) { packet.mark = UInt32(truncatingIfNeeded: value(.mark)) }
        if packet.conntrack.mark == nil { packet.conntrack.mark = UInt32(truncatingIfNeeded: value(.connmark)) }
        for (field, domain, keyPath) in [(PacketField.inInterface, input, \Packet.hookState.inInterface),
                                         (.outInterface, output, \Packet.hookState.outInterface)] {
            guard let domain, template[keyPath: keyPath] == nil else { continue }
            guard let name = device(&random, cube[field], domain: domain) else { return nil }
            packet[keyPath: keyPath] = name
        }
        return packet
    }

    /// A value of a field in a set (nil: any value), near the rules' values most of the time.
    func value(_ random: inout RandomRulesets, _ field: PacketField, _ set: FieldSet?) -> UInt128 {
        let domain = set ?? field.full(family)
        let candidates = (near[field] ?? []).filter { domain.contains($0) }
        if !candidates.isEmpty && random.chance(80) { return random.pick(candidates) }
        switch domain {
        case .intervals(let intervals):
            guard !intervals.isEmpty else { return 0 }
            let interval = random.pick(intervals.intervals)
            switch Int.random(in: 0..<10, using: &random.generator) {
            case 0..<2: return interval.lower
            case 2..<4: return interval.upper
            default: return UInt128.random(in: interval.lower...interval.upper, using: &random.generator)
            }
        case .ternary(let ternary):
            guard !ternary.patterns.isEmpty else { return 0 }
            let width: UInt64 = field == .tcpFlags ? 0xFF : 0xFFFF_FFFF
            let pattern = random.pick(ternary.patterns)
            let free = ~pattern.mask & width
            let bits = random.chance(50) ? random.generator.next() : random.pick([0, 1, 2, 0x4000, UInt64.max])
            return UInt128(pattern.value | (bits & free))
        }
    }

    /// A device name in a set as the domain allows ("" for none).
    func device(_ random: inout RandomRulesets, _ set: FieldSet?, domain: DeviceDomain) -> String? {
        var names: [String]
        switch domain {
        case .none: names = [""]
        case .some: names = devices
        case .any: names = random.chance(20) ? [""] : devices
        }
        if let set { names = names.filter { set.contains(InterfaceName.encode($0.utf8)) } }
        if let name = names.isEmpty ? nil : random.pick(names) { return name }
        guard domain != .none else { return nil }
        // A name from the set itself (`! -i eth0,eth1`, `e+`).
        let some = FieldSet.intervals(IntervalSet(UInt128(1) << 120, PacketField.inInterface.maximum(family)))
        let allowed = (set ?? some).intersection(domain == .some ? some : (set ?? some))
        return Witness.interface(allowed, names: devices).flatMap { $0.isEmpty && domain == .some ? nil : $0 }
    }
}

extension RandomDescriptions.DeviceDomain {
    /// The input device's domain at a hook (nil: a chain walked alone, any).
    static func input(at hook: Hook?) -> Self {
        guard let hook else { return .any }
        if !hook.hasInputDevice { return .none }
        return hook.alwaysHasInputDevice ? .some : .any
    }

    /// The output device's domain at a hook.
    static func output(at hook: Hook?) -> Self {
        guard let hook else { return .any }
        return hook.hasOutputDevice ? .some : .none
    }
}
