/// The packets a description stands for: one packet with the fields given one value (and
/// every field the set algebra does not model), and the sets given for the others
/// (prefixes, ranges, lists, `!`). A field not given is any value the hook allows.
public struct DescribedPackets: Sendable, Hashable {
    /// The fields given one value; the others open (nil, or in `packet.open`).
    public var packet: Packet
    /// The constraints of the fields given as sets; nil when every given field has one value.
    public var packets: PacketSpace?
    /// The fields of the algebra the description gave (one value or a set).
    public var given: Set<PacketField>

    public init(packet: Packet, packets: PacketSpace? = nil, given: Set<PacketField> = []) {
        self.packet = packet
        self.packets = packets
        self.given = given
    }

    /// Whether the description is one packet in every field the algebra models.
    public var isOnePacket: Bool { packets == nil && !packet.hasOpenFields }

    /// A mark not given is 0: what a packet has when it reaches the host from a device or
    /// leaves a socket without SO_MARK (a fresh skb).
    public mutating func assumeUnmarked() {
        guard !given.contains(.mark) else { return }
        packet.mark = 0
        packet.open.remove(.mark)
    }

    /// Not given, the packet is not a later fragment: where connection tracking is in use,
    /// nf_defrag reassembles fragments before any table sees them (priority -400, at
    /// PREROUTING and OUTPUT), so rules never meet one.
    public mutating func assumeReassembled() {
        guard !given.contains(.fragment) else { return }
        packet.isFragment = false
        packet.open.remove(.fragment)
    }
}

/// One packet option as written: its name as declared (`-s`, `--dport`), its value, and
/// whether `!` preceded it.
public struct DescribedOption: Sendable, Hashable {
    public var name: String
    public var value: String
    public var negated: Bool
    /// Where the option was written (a column of a one-line description), 0 when unknown.
    public var column: Int

    public init(_ name: String, _ value: String = "", negated: Bool = false, column: Int = 0) {
        self.name = name
        self.value = value
        self.negated = negated
        self.column = column
    }
}

extension PacketDescription {
    /// The options a packet description takes, with iptables' spellings.
    public static let optionNames: [String] = [
        "-p", "-s", "-d", "--sport", "--dport", "-i", "-o", "--ctstate", "--mark", "--syn", "--tcp-flags", "--icmp-type",
        "-f", "--length", "--ttl", "--tos", "--connmark", "--pkt-type", "--mac-source", "--uid-owner", "--gid-owner",
        "--physdev-in", "--physdev-out", "--physdev-is-bridged", "--routed", "--local-address",
    ]

    /// The packets options describe. Each option takes what the iptables match of the same
    /// name takes: addresses with prefixes or masks and comma lists, ports with ranges
    /// (`1:1024`), lists and service names, protocol and ICMP type names, interfaces with
    /// `+`, state lists, marks with masks; `!` takes the complement. `family` is the rules'
    /// family when the addresses do not tell. Contradictions (`-p icmp --dport 80`, `--syn`
    /// with udp) and mixed families are errors that say so.
    public static func describe(options: [DescribedOption], family defaultFamily: Family = .ipv4)
        throws(ParseError) -> DescribedPackets {
        var reader = PacketOptionReader(options: options, defaultFamily: defaultFamily)
        return try reader.read()
    }
}

/// Reads packet options into the packets they describe (see `PacketDescription.describe`).
struct PacketOptionReader {
    typealias ParseError = PacketDescription.ParseError
    let options: [DescribedOption]
    let family: Family
    var packet: Packet
    var cube = PacketCube()
    var given: Set<PacketField> = []

    init(options: [DescribedOption], defaultFamily: Family) {
        self.options = options
        var family = defaultFamily
        for option in options where ["-s", "-d", "--local-address"].contains(option.name) {
            family = option.value.contains(":") ? .ipv6 : .ipv4
            break
        }
        self.family = family
        packet = Packet(family: family)
        // Not given, the mark and whether the packet is a later fragment are open too (see
        // `DescribedPackets.assumeUnmarked` and `assumeReassembled`).
        packet.open = family == .ipv4 ? [.mark, .fragment] : [.mark]
    }

    func fail(_ message: String, _ option: DescribedOption) -> ParseError {
        ParseError(message: message, column: max(option.column, 1))
    }

    mutating func read() throws(ParseError) -> DescribedPackets {
        var seen: [String: DescribedOption] = [:]
        for option in options {
            if let earlier = seen[option.name], option.name != "--local-address" {
                throw fail("\(option.name) is given twice (\(earlier.value.isEmpty ? option.name : earlier.value) and "
                           + "\(option.value.isEmpty ? option.name : option.value))", option)
            }
            seen[option.name] = option
            try read(option)
        }
        try checkCombinations(seen)
        var packets: PacketSpace?
        if !cube.constraints.isEmpty {
            // Fields given one value go to the packet; the sets stay a class of packets.
            packet.pin(from: PacketSpace(family: family, cubes: [cube]), environment: SymbolicEnvironment())
            var sets = PacketCube()
            for constraint in cube.constraints where packet.givenValue(of: constraint.field) == nil {
                sets.restrict(constraint.field, to: constraint.set)
            }
            if !sets.constraints.isEmpty { packets = PacketSpace(family: family, cubes: [sets]) }
        }
        return DescribedPackets(packet: packet, packets: packets, given: given)
    }

    /// Restricts a field to a set (its complement with `!`).
    mutating func restrict(_ field: PacketField, _ set: FieldSet, _ option: DescribedOption) throws(ParseError) {
        let chosen = option.negated ? field.full(family).subtracting(set) : set
        if chosen.isEmpty { throw fail("\(option.name) \(option.negated ? "! " : "")\(option.value) leaves no value", option) }
        cube.restrict(field, to: chosen)
        given.insert(field)
    }

    mutating func read(_ option: DescribedOption) throws(ParseError) {
        let value = option.value
        switch option.name {
        case "-p":
            var any = false
            let protocols = try items(option, whole: IntervalSet(0, 255)) { item throws(ParseError) in
                guard let number = IPProtocol.number(for: item.lowercased()) else {
                    throw fail("unknown protocol '\(item)' (tcp, udp, icmp, ... or a number)", option)
                }
                if number == 0 { any = true }
                return number == 0 ? IntervalSet(0, 255) : IntervalSet(value: UInt128(number))
            }
            if any && !option.negated && protocols.isExactly(0, 255) { return }
            try restrict(.protocol, .intervals(protocols), option)
        case "-s", "-d":
            try restrict(option.name == "-s" ? .source : .destination, .intervals(try addresses(option)), option)
        case "--sport", "--dport":
            try restrict(option.name == "--sport" ? .sourcePort : .destinationPort, .intervals(try ports(option)), option)
        case "-i", "-o":
            let names = try items(option, whole: IntervalSet(0, PacketField.inInterface.maximum(family))) { item throws(ParseError) in
                guard !item.isEmpty, item.utf8.count <= InterfaceName.maximumLength + (item.hasSuffix("+") ? 1 : 0) else {
                    throw fail("invalid interface name '\(item)'", option)
                }
                return item == "none" ? IntervalSet(value: 0) : InterfaceName(String(item)).encodedRange
            }
            try restrict(option.name == "-i" ? .inInterface : .outInterface, .intervals(names), option)
        case "--ctstate":
            var values: [IntervalSet.Interval] = []
            for name in value.uppercased().split(separator: ",", omittingEmptySubsequences: false) {
                guard let state = ConntrackStateValue(name: String(name)) else {
                    throw fail("unknown conntrack state '\(name)' (NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED)", option)
                }
                values.append(IntervalSet.Interval(UInt128(state.rawValue), UInt128(state.rawValue)))
            }
            try restrict(.state, .intervals(IntervalSet(intervals: values)), option)
        case "--pkt-type":
            var values: [IntervalSet.Interval] = []
            for name in value.lowercased().split(separator: ",", omittingEmptySubsequences: false) {
                guard let type = PacketTypeValue(name: String(name)) else {
                    let names = PacketTypeValue.allCases.map(\.name).joined(separator: ", ")
                    throw fail("invalid packet type '\(name)' (\(names))", option)
                }
                values.append(IntervalSet.Interval(UInt128(type.rawValue), UInt128(type.rawValue)))
            }
            try restrict(.packetType, .intervals(IntervalSet(intervals: values)), option)
        case "--mark", "--connmark":
            let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let mark = parseUnsigned(String(parts[0])), mark <= UInt64(UInt32.max),
                  let mask = parts.count > 1 ? parseUnsigned(String(parts[1])) : UInt64(UInt32.max),
                  mask <= UInt64(UInt32.max) else {
                throw fail("invalid \(option.name.dropFirst(2)) '\(value)' (VALUE or VALUE/MASK)", option)
            }
            try restrict(option.name == "--mark" ? .mark : .connmark, .ternary(TernarySet(value: mark, mask: mask)), option)
        case "--syn":
            // iptables' --syn: SYN set, FIN, RST and ACK clear.
            try restrict(.tcpFlags, .ternary(TernarySet(value: 0x02, mask: 0x17)), option)
        case "--tcp-flags":
            guard let bits = PacketDescription.tcpFlagBits(value) else {
                throw fail("unknown TCP flag in '\(value)' (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, or NONE)", option)
            }
            try restrict(.tcpFlags, .ternary(TernarySet(value: UInt64(bits), mask: 0xFF)), option)
        case "--icmp-type":
            try restrict(.icmp, .intervals(try icmpTypes(option)), option)
        case "-f":
            packet.isFragment = !option.negated
            packet.open.remove(.fragment)
            given.insert(.fragment)
        default:
            try readSingle(option)
        }
    }

    /// The options the set algebra does not model: one value each.
    mutating func readSingle(_ option: DescribedOption) throws(ParseError) {
        let value = option.value
        if option.negated { throw fail("\(option.name) takes one value, without '!'", option) }
        func number(_ limit: UInt64, _ what: String) throws(ParseError) -> UInt64 {
            guard let number = parseUnsigned(value), number <= limit else {
                throw fail("invalid \(what) '\(value)' (0 to \(limit))", option)
            }
            return number
        }
        switch option.name {
        case "--length": packet.length = UInt16(try number(65535, "length"))
        case "--ttl": packet.ttl = UInt8(try number(255, "TTL"))
        case "--tos": packet.tos = UInt8(try number(255, "TOS"))
        case "--uid-owner": packet.uid = UInt32(try number(UInt64(UInt32.max), "user id"))
        case "--gid-owner": packet.gid = UInt32(try number(UInt64(UInt32.max), "group id"))
        case "--mac-source":
            guard let mac = MACAddress(parsing: Array(value.utf8)) else { throw fail("invalid MAC address '\(value)'", option) }
            packet.sourceMAC = mac
        case "--physdev-in":
            packet.physdevIn = value
            packet.bridged = true
        case "--physdev-out":
            packet.physdevOut = value
            packet.bridged = true
        case "--physdev-is-bridged":
            packet.bridged = true
        case "--routed":
            packet.bridged = false
        case "--local-address":
            guard let address = IPAddress(parsing: Array(value.utf8), family: family) else {
                throw fail("invalid address '\(value)' for --local-address", option)
            }
            packet.host.localAddresses = (packet.host.localAddresses ?? []).union([address])
        default:
            throw fail("unknown packet option '\(option.name)'", option)
        }
    }

    /// A comma list of items, each a set; items written `!ITEM` are left out: without a plain
    /// item, of every value (`!10.0.0.0/8,!192.168.0.0/16`), else of the plain ones.
    func items(_ option: DescribedOption, whole: IntervalSet,
               _ item: (Substring) throws(ParseError) -> IntervalSet) throws(ParseError) -> IntervalSet {
        var included = IntervalSet()
        var excluded = IntervalSet()
        var plain = false
        for text in option.value.split(separator: ",", omittingEmptySubsequences: false) {
            if text.hasPrefix("!") {
                excluded = excluded.union(try item(text.dropFirst()))
            } else {
                plain = true
                included = included.union(try item(text))
            }
        }
        return (plain ? included : whole).subtracting(excluded)
    }

    /// `ADDR[/LEN|/MASK]` or `ADDR-ADDR` of the packet's family, in a comma list.
    func addresses(_ option: DescribedOption) throws(ParseError) -> IntervalSet {
        try items(option, whole: IntervalSet(0, PacketField.source.maximum(family))) { item throws(ParseError) in
            try addressItem(item, option)
        }
    }

    func addressItem(_ item: Substring, _ option: DescribedOption) throws(ParseError) -> IntervalSet {
        if let dash = item.firstIndex(of: "-") {
            let ends = [item[..<dash], item[item.index(after: dash)...]]
            var values: [UInt128] = []
            for end in ends {
                let set = try addressItem(end, option)
                guard set.count == 1, let value = set.first else {
                    throw fail("invalid address range '\(item)' for \(option.name) (ADDR-ADDR)", option)
                }
                values.append(value)
            }
            guard values[0] <= values[1] else { throw fail("the address range \(item) is empty", option) }
            return IntervalSet(values[0], values[1])
        }
        let itemFamily: Family = item.contains(":") ? .ipv6 : .ipv4
        guard itemFamily == family else {
            throw fail("mixed families: \(option.name) \(item) is \(itemFamily == .ipv6 ? "IPv6" : "IPv4"), "
                       + "the packet \(family == .ipv6 ? "IPv6" : "IPv4")", option)
        }
        guard let network = Network(parsing: Array(item.utf8), family: family) else {
            throw fail("invalid \(option.name == "-s" ? "source" : "destination") address '\(item)' (ADDR, ADDR/LEN or ADDR/MASK)",
                       option)
        }
        guard let set = RuleSpace.addresses(network) else {
            throw fail("\(item): a mask with holes is not a range of addresses", option)
        }
        return set
    }

    /// `PORT`, `PORT:PORT` (either end may be left out, as iptables allows), service names,
    /// in a comma list.
    func ports(_ option: DescribedOption) throws(ParseError) -> IntervalSet {
        func port(_ text: Substring, _ fallback: UInt16) throws(ParseError) -> UInt16 {
            if text.isEmpty { return fallback }
            if let number = UInt16(text) { return number }
            if let named = ServiceNames.port(for: String(text)) { return named }
            throw fail("invalid port '\(text)' for \(option.name) (a number, a service name, or a range LOW:HIGH)", option)
        }
        return try items(option, whole: IntervalSet(0, 65535)) { item throws(ParseError) in
            let ends = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let low = try port(ends[0], 0)
            let high = ends.count > 1 ? try port(ends[1], 65535) : low
            guard low <= high else { throw fail("the port range \(item) is empty (\(low) is above \(high))", option) }
            return IntervalSet(UInt128(low), UInt128(high))
        }
    }

    /// An ICMP (or ICMPv6) type by iptables' name, `TYPE`, `TYPE/CODE` or `TYPE/CODE:CODE`,
    /// as values of the icmp field (type × 256 + code).
    func icmpTypes(_ option: DescribedOption) throws(ParseError) -> IntervalSet {
        let names = family == .ipv4 ? ExtensionSpec.icmpTypeNames : ExtensionSpec.icmpv6TypeNames
        let text = option.value
        if let named = names[text] ?? names.first(where: { $0.key.lowercased() == text.lowercased() })?.value {
            if named.0 == 255 && text.lowercased() == "any" { return IntervalSet(0, 65535) }
            return IntervalSet(UInt128(named.0) << 8 | UInt128(named.1), UInt128(named.0) << 8 | UInt128(named.2))
        }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let type = UInt8(parts[0]) else {
            throw fail("unknown ICMP\(family == .ipv6 ? "v6" : "") type '\(text)' (a name such as echo-request, "
                       + "TYPE or TYPE/CODE)", option)
        }
        var low: UInt8 = 0, high: UInt8 = 255
        if parts.count > 1 {
            let codes = parts[1].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = UInt8(codes[0]), let last = codes.count > 1 ? UInt8(codes[1]) : first, first <= last else {
                throw fail("invalid ICMP code in '\(text)' (CODE or CODE:CODE)", option)
            }
            (low, high) = (first, last)
        }
        return IntervalSet(UInt128(type) << 8 | UInt128(low), UInt128(type) << 8 | UInt128(high))
    }

    /// Options that need a protocol: ports need one with ports, TCP flags tcp, an ICMP type
    /// icmp. Without `-p` the protocol is narrowed to those; with one that cannot carry
    /// them, the description says nothing real.
    mutating func checkCombinations(_ seen: [String: DescribedOption]) throws(ParseError) {
        let icmp = family == .ipv4 ? IPProtocol.icmp : IPProtocol.icmpv6
        let portProtocols = IntervalSet(intervals: ExtensionSpec.natPortProtocols.map {
            IntervalSet.Interval(UInt128($0), UInt128($0))
        })
        var needs: [(option: DescribedOption, protocols: IntervalSet, names: String)] = []
        for name in ["--sport", "--dport"] {
            if let option = seen[name] { needs.append((option, portProtocols, "tcp, udp, sctp, dccp or udplite")) }
        }
        for name in ["--syn", "--tcp-flags"] {
            if let option = seen[name] { needs.append((option, IntervalSet(value: UInt128(IPProtocol.tcp)), "tcp")) }
        }
        if let option = seen["--icmp-type"] {
            needs.append((option, IntervalSet(value: UInt128(icmp)), family == .ipv4 ? "icmp" : "icmpv6"))
        }
        for need in needs {
            let current: IntervalSet
            if case .intervals(let set)? = cube[.protocol] { current = set } else { current = IntervalSet(0, 255) }
            let narrowed = current.intersection(need.protocols)
            if narrowed.isEmpty {
                let named = seen["-p"].map { "-p \($0.negated ? "! " : "")\($0.value)" } ?? "the protocol"
                throw fail("\(need.option.name) needs -p \(need.names), not \(named)", need.option)
            }
            cube.restrict(.protocol, to: .intervals(narrowed))
            given.insert(.protocol)
        }
        let transport = ["--sport", "--dport", "--syn", "--tcp-flags", "--icmp-type"].filter { seen[$0] != nil }
        if let fragment = seen["-f"], !fragment.negated, let name = transport.first {
            throw fail("a later fragment (-f) has no transport header: \(name) does not go with it", fragment)
        }
        if !transport.isEmpty {
            // Packets with ports, flags or an ICMP type carry their transport header: no later
            // fragment does.
            packet.isFragment = false
            packet.open.remove(.fragment)
            given.insert(.fragment)
        }
        if let fragment = seen["-f"], family == .ipv6 {
            throw fail("-f is for IPv4 (ip6tables has the frag match instead)", fragment)
        }
    }
}
