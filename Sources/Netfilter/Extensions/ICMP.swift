// libipt_icmp.c / net/netfilter/xt_tcpudp.c (icmp_match): ICMP type and code ranges.

extension ExtensionSpec {
    /// ICMP type names iptables knows: name → (type, lowest code, highest code).
    static let icmpTypeNames: [String: (UInt8, UInt8, UInt8)] = [
        "any": (255, 0, 255),
        "echo-reply": (0, 0, 255), "pong": (0, 0, 255),
        "destination-unreachable": (3, 0, 255),
        "network-unreachable": (3, 0, 0), "host-unreachable": (3, 1, 1), "protocol-unreachable": (3, 2, 2),
        "port-unreachable": (3, 3, 3), "fragmentation-needed": (3, 4, 4), "source-route-failed": (3, 5, 5),
        "network-unknown": (3, 6, 6), "host-unknown": (3, 7, 7), "network-prohibited": (3, 9, 9),
        "host-prohibited": (3, 10, 10), "TOS-network-unreachable": (3, 11, 11), "TOS-host-unreachable": (3, 12, 12),
        "communication-prohibited": (3, 13, 13), "host-precedence-violation": (3, 14, 14),
        "precedence-cutoff": (3, 15, 15),
        "source-quench": (4, 0, 255),
        "redirect": (5, 0, 255), "network-redirect": (5, 0, 0), "host-redirect": (5, 1, 1),
        "TOS-network-redirect": (5, 2, 2), "TOS-host-redirect": (5, 3, 3),
        "echo-request": (8, 0, 255), "ping": (8, 0, 255),
        "router-advertisement": (9, 0, 255), "router-solicitation": (10, 0, 255),
        "time-exceeded": (11, 0, 255), "ttl-exceeded": (11, 0, 255), "ttl-zero-during-transit": (11, 0, 0),
        "ttl-zero-during-reassembly": (11, 1, 1),
        "parameter-problem": (12, 0, 255), "ip-header-bad": (12, 0, 0), "required-option-missing": (12, 1, 1),
        "timestamp-request": (13, 0, 255), "timestamp-reply": (14, 0, 255),
        "address-mask-request": (17, 0, 255), "address-mask-reply": (18, 0, 255),
    ]

    /// `TYPE`, `TYPE/CODE`, `TYPE/CODE:CODE` or a name; stored as `.tuple([type, codes])`.
    static func icmpTypeValue(names: [String: (UInt8, UInt8, UInt8)], anyType: UInt8?) -> ValueType {
        ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            let text = arguments[0]
            if let named = names[text] ?? names.first(where: { $0.key.lowercased() == text.lowercased() })?.value {
                return .tuple([.number(UInt64(named.0)), .range(UInt64(named.1), UInt64(named.2))])
            }
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let type = try parseNumber(String(parts[0]), in: 0...255, name: "ICMP type")
            var codes: (UInt64, UInt64) = (0, 255)
            if parts.count > 1 { codes = try parseRange(String(parts[1]), in: 0...255, name: "ICMP code") }
            return .tuple([.number(type), .range(codes.0, codes.1)])
        }, print: { value, writer in
            guard case .tuple(let parts) = value, parts.count == 2, case .number(let type) = parts[0],
                  case .range(let low, let high) = parts[1] else { return }
            if let anyType, type == UInt64(anyType), low == 0, high == 255 {
                writer.word("any")
            } else if low == 0 && high == 255 {
                writer.word(String(type))
            } else if low == high {
                writer.word("\(type)/\(low)")
            } else {
                writer.word("\(type)/\(low):\(high)")
            }
        })
    }

    /// `-m icmp [!] --icmp-type TYPE[/CODE]` (IPv4, needs `-p icmp`).
    public static let icmp = ExtensionSpec(
        "icmp", kind: .match, families: .ipv4,
        options: [OptionSpec("icmp-type", icmpTypeValue(names: icmpTypeNames, anyType: 255), negatable: true)],
        protocols: [IPProtocol.icmp],
        evaluate: { call, packet in onFirstFragments(packet) { icmpOutcome(call, packet) } },
        space: { call, family in onFirstFragments(icmpSpace(call, family, anyType: 255), family) },
        listing: .icmp)

    /// `--icmp-type` for a first fragment.
    static func icmpOutcome(_ call: ExtensionCall, _ packet: Packet) -> MatchOutcome {
        // xt_tcpudp.c icmp_type_code_match: type 255 with codes 0-255 is "any".
        guard let setting = call.setting("icmp-type"), case .tuple(let parts) = setting.value, parts.count == 2,
              case .number(let type) = parts[0], case .range(let low, let high) = parts[1] else { return .matches }
        if type == 255 { return MatchOutcome.check(true, "").negated(setting.negated, "any ICMP type") }
        guard let actualType = packet.icmpType else { return .unknown("--icmp-type \(type): the packet's ICMP type was not given") }
        let code = UInt64(packet.icmpCode ?? 0)
        if actualType == type && packet.icmpCode == nil && !(low == 0 && high == 255) {
            return .unknown("--icmp-type \(type)/\(low): the packet's ICMP code was not given")
        }
        return MatchOutcome.check(UInt64(actualType) == type && code >= low && code <= high, "ICMP type \(actualType) is not \(type)")
            .negated(setting.negated, "ICMP type \(actualType)")
    }

    /// `--icmp-type` / `--icmpv6-type` as values of the icmp field (type × 256 + code).
    static func icmpSpace(_ call: ExtensionCall, _ family: Family, anyType: UInt64?) -> PacketSpace? {
        call.spec.spaceOfAll(call, family) { setting, _ in
            guard case .tuple(let parts) = setting.value, parts.count == 2, case .number(let type) = parts[0],
                  case .range(let low, let high) = parts[1] else { return nil }
            if type == anyType { return .all(family) }
            return .where(.icmp, .intervals(IntervalSet(UInt128(type << 8 | low), UInt128(type << 8 | high))), family: family)
        }
    }
}

// libipt_icmp.c icmp_print: ` icmp` then print_icmptype's `type N[ code C| codes A-B]`
// (no blank before `type`: `icmptype 8 code 0`; ` !type` when negated) with -n, or
// ` [!]NAME` without it where iptables has a name for the type and code range.
extension ListingForm {
    static let icmp = ListingForm(leads: ["icmp"]) { reader in
        readICMPType(&reader, word: "icmp", option: "icmp-type", names: ExtensionSpec.icmpTypeNames)
    }

    /// The type of icmp and icmp6 (`type 3 code 1`, `codes 0-3`, or a name).
    static func readICMPType(_ reader: inout ListingReader, word: String, option: String,
                             names: [String: (UInt8, UInt8, UInt8)]) -> Bool {
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takePrefix(word) else { return false }
        var negated = reader.cursor.takeNegation()
        if reader.cursor.takePrefix("type") {
            guard let (type, _) = reader.cursor.word(), UInt8(type) != nil else {
                reader.fail("type without its number", column: column)
                return true
            }
            var value = type
            if reader.cursor.takeWord("code"), let (code, _) = reader.cursor.word() {
                value += "/" + code
            } else if reader.cursor.takeWord("codes"), let (codes, _) = reader.cursor.word() {
                value += "/" + codes.replacing("-", with: ":")
            }
            reader.option(option, [value], negated: negated, column: column)
            return true
        }
        guard var (name, _) = reader.cursor.word() else { return false }
        if name.hasPrefix("!") {
            negated = true
            name.removeFirst()
        }
        guard names[name] != nil || names.keys.contains(where: { $0.lowercased() == name.lowercased() }) else { return false }
        reader.option(option, [name], negated: negated, column: column)
        return true
    }
}
