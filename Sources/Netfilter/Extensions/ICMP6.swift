// libip6t_icmp6.c / net/ipv6/netfilter/ip6_tables.c (icmp6_match): ICMPv6 type and code.

extension ExtensionSpec {
    static let icmpv6TypeNames: [String: (UInt8, UInt8, UInt8)] = [
        "destination-unreachable": (1, 0, 255), "no-route": (1, 0, 0), "communication-prohibited": (1, 1, 1),
        "beyond-scope": (1, 2, 2), "address-unreachable": (1, 3, 3), "port-unreachable": (1, 4, 4),
        "failed-policy": (1, 5, 5), "reject-route": (1, 6, 6),
        "packet-too-big": (2, 0, 255),
        "time-exceeded": (3, 0, 255), "ttl-exceeded": (3, 0, 255), "ttl-zero-during-transit": (3, 0, 0),
        "ttl-zero-during-reassembly": (3, 1, 1),
        "parameter-problem": (4, 0, 255), "bad-header": (4, 0, 0), "unknown-header-type": (4, 1, 1),
        "unknown-option": (4, 2, 2),
        "echo-request": (128, 0, 255), "ping": (128, 0, 255), "echo-reply": (129, 0, 255), "pong": (129, 0, 255),
        "mld-listener-query": (130, 0, 255), "mld-listener-report": (131, 0, 255),
        "mld-listener-done": (132, 0, 255), "mld-listener-reduction": (132, 0, 255),
        "router-solicitation": (133, 0, 255), "router-advertisement": (134, 0, 255),
        "neighbour-solicitation": (135, 0, 255), "neighbor-solicitation": (135, 0, 255),
        "neighbour-advertisement": (136, 0, 255), "neighbor-advertisement": (136, 0, 255),
        "redirect": (137, 0, 255),
    ]

    /// `-m icmp6 [!] --icmpv6-type TYPE[/CODE]` (IPv6, needs `-p icmpv6`).
    public static let icmp6 = ExtensionSpec(
        "icmp6", kind: .match, families: .ipv6,
        options: [OptionSpec("icmpv6-type", icmpTypeValue(names: icmpv6TypeNames, anyType: nil), negatable: true, required: true)],
        protocols: [IPProtocol.icmpv6],
        evaluate: { call, packet in onFirstFragments(packet) { icmp6Outcome(call, packet) } },
        space: { call, family in onFirstFragments(icmpSpace(call, family, anyType: nil), family) },
        listing: .icmp6)

    /// `--icmpv6-type` for a first fragment.
    static func icmp6Outcome(_ call: ExtensionCall, _ packet: Packet) -> MatchOutcome {
        guard let setting = call.setting("icmpv6-type"), case .tuple(let parts) = setting.value, parts.count == 2,
              case .number(let type) = parts[0], case .range(let low, let high) = parts[1] else { return .matches }
        guard let actualType = packet.icmpType else { return .unknown("--icmpv6-type \(type): the packet's ICMPv6 type was not given") }
        let code = UInt64(packet.icmpCode ?? 0)
        return MatchOutcome.check(UInt64(actualType) == type && code >= low && code <= high, "ICMPv6 type \(actualType) is not \(type)")
            .negated(setting.negated, "ICMPv6 type \(actualType)")
    }
}

// libip6t_icmp6.c icmp6_print: ` ipv6-icmp` then `type N[ code C| codes A-B]` glued
// (`ipv6-icmptype 1 code 0`) with -n, or ` [!]NAME` without it.
extension ListingForm {
    static let icmp6 = ListingForm(leads: ["ipv6-icmp"]) { reader in
        readICMPType(&reader, word: "ipv6-icmp", option: "icmpv6-type", names: ExtensionSpec.icmpv6TypeNames)
    }
}
