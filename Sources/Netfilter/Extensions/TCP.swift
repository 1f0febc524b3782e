// libxt_tcp / xt_tcpudp.c: ports, flags and options of TCP segments.

extension ExtensionSpec {
    /// The TCP flag names in the order iptables prints them.
    static let tcpFlagNames = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"]

    /// `--tcp-flags MASK COMP`: the flags examined and those that must be set, as the
    /// kernel's flag bits (a value under a mask).
    static let tcpFlagList = ValueType(arity: .two, parse: { arguments, _ throws(ValueError) in
        func flags(_ text: String) throws(ValueError) -> UInt64 {
            var names = Set<String>()
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let upper = part.uppercased()
                switch upper {
                case "ALL": names.formUnion(tcpFlagNames)
                case "NONE": break
                default:
                    guard tcpFlagNames.contains(upper) else { throw ValueError("unknown TCP flag \"\(part)\"") }
                    names.insert(upper)
                }
            }
            return KeywordSet(names, in: tcpFlagNames).bits
        }
        return .masked(value: try flags(arguments[1]), mask: try flags(arguments[0]))
    }, print: { value, writer in
        guard case .masked(let compare, let mask) = value else { return }
        for bits in [mask, compare] {
            writer.word(bits == 0 ? "NONE" : KeywordSet(bits: bits).text(in: tcpFlagNames))
        }
    })

    /// `-m tcp` (also loaded by `-p tcp`).
    public static let tcp = ExtensionSpec(
        "tcp", kind: .match,
        options: [
            OptionSpec("sport", aliases: ["source-port", "source-ports"], .portRange, negatable: true),
            OptionSpec("dport", aliases: ["destination-port", "destination-ports"], .portRange, negatable: true),
            OptionSpec("tcp-flags", tcpFlagList, negatable: true),
            OptionSpec("syn", .flag, negatable: true),
            OptionSpec("tcp-option", .number(1...255, name: "TCP option"), negatable: true),
        ],
        protocols: [IPProtocol.tcp],
        finalize: { call, context in
            tcpFinalize(&call, &context)
        },
        printer: { call, writer in printPortsDestinationFirstIfOld(call, &writer) },
        evaluate: { call, packet in evaluatePorts(call, packet) },
        decide: { call, packet in decidePorts(call, packet) },
        space: { call, family in portsSpace(call, family) }, listing: .tcp,
        groups: [.atMostOne("syn", "tcp-flags")])

    /// xt_tcpudp.c (tcp_mt, udp_mt, icmp_match), xt_multiport.c, xt_sctp.c, xt_dccp.c and
    /// ip6t_icmp6's icmp6_match all begin with `if (par->fragoff != 0) return false`: a second
    /// or later fragment has no transport header, so the match fails, negated options or not
    /// (tcp_mt also drops a fragment at offset 1).
    static func onFirstFragments(_ packet: Packet, _ evaluate: () -> MatchOutcome) -> MatchOutcome {
        if packet.open.contains(.fragment) {
            // Decided where the rest fails; otherwise whether it is a later fragment decides.
            let rest = evaluate()
            if case .fails = rest { return rest }
            return .unknown("whether the packet is a later fragment (no transport header) was not given")
        }
        return packet.isFragment ? .fails("a later fragment carries no transport header") : evaluate()
    }

    /// `onFirstFragments` for `decide`: a later fragment fails; whether the packet is one not
    /// given leaves it to `evaluate`.
    static func decideOnFirstFragments(_ packet: Packet, _ decide: () -> Bool?) -> Bool? {
        if packet.open.contains(.fragment) { return nil }
        return packet.isFragment ? false : decide()
    }

    /// The packets of a transport-header match: never later fragments.
    static func onFirstFragments(_ space: PacketSpace?, _ family: Family) -> PacketSpace? {
        space?.intersection(.where(.fragment, .intervals(IntervalSet(value: 0)), family: family))
    }

    /// Ports of tcp, udp, sctp and dccp, and TCP flags (xt_tcpudp.c tcp_mt / udp_mt).
    static func evaluatePorts(_ call: ExtensionCall, _ packet: Packet) -> MatchOutcome {
        onFirstFragments(packet) { evaluatePortOptions(call, packet) }
    }

    static func evaluatePortOptions(_ call: ExtensionCall, _ packet: Packet) -> MatchOutcome {
        call.spec.evaluateAll(call, packet) { setting, name in
            switch (name, setting.value) {
            case ("sport", .ports(let ranges)), ("dport", .ports(let ranges)):
                guard let range = ranges.first else { return .matches }
                guard let port = name == "sport" ? packet.sourcePort : packet.destinationPort else {
                    return .unknown("--\(name) \(range): the packet's port was not given")
                }
                return MatchOutcome.check(range.contains(port), "\(name) \(port) not in \(range)")
                    .negated(setting.negated, "\(name) \(port) in \(range)")
            case ("tcp-flags", .masked(let compare, let mask)):
                guard let flags = packet.tcpFlags else { return .unknown("--tcp-flags: the packet's TCP flags were not given") }
                let names = { KeywordSet(bits: compare).text(in: tcpFlagNames) }
                return MatchOutcome.check(UInt64(flags) & mask == compare, "TCP flags do not match \(names())")
                    .negated(setting.negated, "TCP flags match \(names())")
            default:
                return .unknown("--\(name) is not modelled yet")
            }
        }
    }

    /// `evaluatePorts` without its reasons, for tcp and udp: nil where it would not be
    /// decided (an open field, an option it does not model, a fragment not given).
    static func decidePorts(_ call: ExtensionCall, _ packet: Packet) -> Bool? {
        decideOnFirstFragments(packet) { decidePortOptions(call, packet) }
    }

    static func decidePortOptions(_ call: ExtensionCall, _ packet: Packet) -> Bool? {
        for setting in call.settings {
            switch setting.value {
            case .ports(let ranges):
                guard let range = ranges.first else { continue }
                let source = call.spec.options[setting.option].name == "sport"
                guard let port = source ? packet.sourcePort : packet.destinationPort else { return nil }
                if range.contains(port) == setting.negated { return false }
            case .masked(let compare, let mask):
                guard let flags = packet.tcpFlags else { return nil }
                if (UInt64(flags) & mask == compare) == setting.negated { return false }
            default:
                return nil
            }
        }
        return true
    }

    /// The packets of a tcp/udp/sctp/dccp call: port ranges and TCP flags as fields;
    /// other options (chunk types, TCP options) are not expressible.
    static func portsSpace(_ call: ExtensionCall, _ family: Family) -> PacketSpace? {
        onFirstFragments(portOptionsSpace(call, family), family)
    }

    static func portOptionsSpace(_ call: ExtensionCall, _ family: Family) -> PacketSpace? {
        call.spec.spaceOfAll(call, family) { setting, name in
            switch (name, setting.value) {
            case ("sport", .ports(let ranges)), ("dport", .ports(let ranges)):
                guard let range = ranges.first else { return .all(family) }
                return .where(name == "sport" ? .sourcePort : .destinationPort,
                              .intervals(IntervalSet(UInt128(range.first), UInt128(range.last))), family: family)
            case ("tcp-flags", .masked(let compare, let mask)):
                return .where(.tcpFlags, .ternary(TernarySet(value: compare, mask: mask)), family: family)
            default:
                return nil
            }
        }
    }

    /// iptables 1.2 printed `--dport` before `--sport`.
    static func printPortsDestinationFirstIfOld(_ call: ExtensionCall, _ writer: inout SaveWriter) {
        let spec = call.spec
        var settings = call.settings
        if writer.style <= .v1_2, let sport = settings.firstIndex(where: { spec.options[$0.option].name == "sport" }),
           let dport = settings.firstIndex(where: { spec.options[$0.option].name == "dport" }) {
            settings.swapAt(sport, dport)
        }
        for setting in settings { spec.printSetting(setting, to: &writer) }
    }

    static func tcpFinalize(_ call: inout ExtensionCall, _ context: inout FinalizeContext) {
        // --syn is shorthand for --tcp-flags FIN,SYN,RST,ACK SYN.
        if let syn = call.setting("syn") {
            call.remove("syn")
            let mask = KeywordSet(["FIN", "SYN", "RST", "ACK"], in: tcpFlagNames).bits
            call.set("tcp-flags", .masked(value: KeywordSet(["SYN"], in: tcpFlagNames).bits, mask: mask),
                     negated: syn.negated)
        }
        dropFullPortRange(&call, "sport")
        dropFullPortRange(&call, "dport")
    }

    /// A port option covering 0:65535 without `!` matches everything; iptables omits it.
    static func dropFullPortRange(_ call: inout ExtensionCall, _ name: String) {
        if let setting = call.setting(name), !setting.negated, setting.value == .ports([.all]) {
            call.remove(name)
        }
    }
}

// libxt_tcp.c tcp_print: `tcp [spt:[!]P|spts:[!]P:P] [dpt:...|dpts:...] [option=[!]N]
// [flags:[!]MASK/COMP]`, flags in hex with -n (`0x17/0x02`), by name without. Before
// iptables 1.4.11 the words ended with a blank instead of starting with one, so `flags:`
// came glued to the port (`tcp dpt:22flags: 0x17/0x02`) or to the name (`tcpflags:`).
extension ListingForm {
    static let tcp = ListingForm(leads: ["tcp"]) { reader in
        guard reader.cursor.takePrefix("tcp"), reader.cursor.atWordEnd || reader.cursor.peekGlued("flags:") else { return false }
        while readPortItem(&reader, sport: "sport", dport: "dport") || readTCPItem(&reader) {}
        return true
    }

    /// One `spt:`, `spts:`, `dpt:` or `dpts:` item of tcp, udp, sctp and dccp (print_ports).
    static func readPortItem(_ reader: inout ListingReader, sport: String, dport: String) -> Bool {
        let column = reader.cursor.columnAfterBlanks
        let option: String
        if reader.cursor.takePrefix("spts:") || reader.cursor.takePrefix("spt:") {
            option = sport
        } else if reader.cursor.takePrefix("dpts:") || reader.cursor.takePrefix("dpt:") {
            option = dport
        } else {
            return false
        }
        let negated = reader.cursor.take("!")
        guard let (value, valueColumn) = reader.cursor.gluedWord(stoppingBefore: "flags:") else {
            reader.fail("a port item without its port", column: column)
            return true
        }
        reader.option(option, [reader.port(value, column: valueColumn)], negated: negated, column: column)
        return true
    }

    /// tcp's `option=N` and `flags:MASK/COMP`.
    private static func readTCPItem(_ reader: inout ListingReader) -> Bool {
        let column = reader.cursor.columnAfterBlanks
        if reader.cursor.takePrefix("option=") {
            let negated = reader.cursor.take("!")
            guard let (value, _) = reader.cursor.gluedWord() else {
                reader.fail("option= without its number", column: column)
                return true
            }
            reader.option("tcp-option", [value], negated: negated, column: column)
            return true
        }
        guard reader.cursor.takePrefix("flags:") else { return false }
        let negated = reader.cursor.takeNegation()
        guard let (value, valueColumn) = reader.cursor.word() else {
            reader.fail("flags: without its mask and comparison", column: column)
            return true
        }
        let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let mask = tcpFlagNames(parts[0]), let comparison = tcpFlagNames(parts[1]) else {
            reader.fail("invalid TCP flags '\(value)' (expected MASK/COMP, e.g. 0x17/0x02)", column: valueColumn)
            return true
        }
        reader.option("tcp-flags", [mask, comparison], negated: negated, column: column)
        return true
    }

    /// `0x17` or `FIN,SYN,RST,ACK` (or `NONE`) as the flag names --tcp-flags takes.
    static func tcpFlagNames(_ text: String) -> String? {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { return text.isEmpty ? nil : text }
        guard let bits = UInt8(text.dropFirst(2), radix: 16) else { return nil }
        let names = ExtensionSpec.tcpFlagNames.enumerated().filter { bits & (1 << UInt8($0.offset)) != 0 }.map(\.element)
        return names.isEmpty ? "NONE" : names.joined(separator: ",")
    }
}
