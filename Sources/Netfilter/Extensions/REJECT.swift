// libipt_REJECT / libip6t_REJECT (ipt_REJECT.c, ip6t_REJECT.c): drop and answer with an error.

extension ExtensionSpec {
    /// `-j REJECT [--reject-with TYPE]` for IPv4; iptables-save always prints the type.
    public static let reject4 = ExtensionSpec(
        "REJECT", kind: .target, families: .ipv4,
        options: [OptionSpec("reject-with", .keyword([
            "icmp-net-unreachable": "icmp-net-unreachable", "net-unreach": "icmp-net-unreachable",
            "icmp-host-unreachable": "icmp-host-unreachable", "host-unreach": "icmp-host-unreachable",
            "icmp-proto-unreachable": "icmp-proto-unreachable", "proto-unreach": "icmp-proto-unreachable",
            "icmp-port-unreachable": "icmp-port-unreachable", "port-unreach": "icmp-port-unreachable",
            "icmp-net-prohibited": "icmp-net-prohibited", "net-prohib": "icmp-net-prohibited",
            "icmp-host-prohibited": "icmp-host-prohibited", "host-prohib": "icmp-host-prohibited",
            "tcp-reset": "tcp-reset", "tcp-rst": "tcp-reset",
            "icmp-admin-prohibited": "icmp-admin-prohibited", "admin-prohib": "icmp-admin-prohibited",
        ]))],
        hooks: [.input, .forward, .output],
        finalize: { call, context in
            if !call.has("reject-with") { call.set("reject-with", .word("icmp-port-unreachable")) }
            if call.setting("reject-with")?.value == .word("tcp-reset") && context.requiredProtocol != IPProtocol.tcp {
                context.error("--reject-with tcp-reset is only valid with -p tcp")
            }
        },
        apply: { _, _ in .verdict(.drop) },
        traits: [.endsWalk, .answersSender], answer: { answer(of: $0, otherwise: "icmp-port-unreachable") },
        listing: .reject4)

    /// `-j REJECT [--reject-with TYPE]` for IPv6.
    public static let reject6 = ExtensionSpec(
        "REJECT", kind: .target, families: .ipv6,
        options: [OptionSpec("reject-with", .keyword([
            "icmp6-no-route": "icmp6-no-route", "no-route": "icmp6-no-route",
            "icmp6-adm-prohibited": "icmp6-adm-prohibited", "adm-prohibited": "icmp6-adm-prohibited",
            "icmp6-addr-unreachable": "icmp6-addr-unreachable", "addr-unreach": "icmp6-addr-unreachable",
            "icmp6-port-unreachable": "icmp6-port-unreachable", "port-unreach": "icmp6-port-unreachable",
            "tcp-reset": "tcp-reset",
            "icmp6-policy-fail": "icmp6-policy-fail", "policy-fail": "icmp6-policy-fail",
            "icmp6-reject-route": "icmp6-reject-route", "reject-route": "icmp6-reject-route",
        ]))],
        hooks: [.input, .forward, .output],
        finalize: { call, context in
            if !call.has("reject-with") { call.set("reject-with", .word("icmp6-port-unreachable")) }
            if call.setting("reject-with")?.value == .word("tcp-reset") && context.requiredProtocol != IPProtocol.tcp {
                context.error("--reject-with tcp-reset is only valid with -p tcp")
            }
        },
        apply: { _, _ in .verdict(.drop) },
        traits: [.endsWalk, .answersSender], answer: { answer(of: $0, otherwise: "icmp6-port-unreachable") },
        listing: .reject6)

    /// The `--reject-with` type of a REJECT call (finalize always sets it; `otherwise` for
    /// a call built without it).
    static func answer(of call: ExtensionCall, otherwise: String) -> String {
        if case .word(let type)? = call.setting("reject-with")?.value { return type }
        return otherwise
    }
}

// libipt_REJECT.c / libip6t_REJECT.c REJECT_print: `reject-with TYPE`.
extension ListingForm {
    static let reject4 = ListingForm.keywords([ListingKeyword("reject-with", "reject-with")])
    static let reject6 = ListingForm.keywords([ListingKeyword("reject-with", "reject-with")])
}
