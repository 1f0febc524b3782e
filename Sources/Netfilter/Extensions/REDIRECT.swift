// libxt_REDIRECT.c / net/netfilter/xt_REDIRECT.c: DNAT to the host itself.

extension ExtensionSpec {
    /// `-j REDIRECT [--to-ports P[-P]] [--random]`, nat PREROUTING and OUTPUT.
    public static let redirect = ExtensionSpec(
        "REDIRECT", kind: .target,
        options: [
            OptionSpec("to-ports", natPorts),
            OptionSpec("random", .flag),
        ],
        tables: ["nat"], hooks: [.prerouting, .output],
        finalize: { call, context in
            if call.has("to-ports") && !natPortProtocols.contains(context.requiredProtocol ?? 0) {
                context.error("--to-ports needs -p tcp, udp, sctp, dccp or udplite")
            }
        },
        apply: { call, packet in
            // nf_nat_redirect_ipv4/ipv6: locally generated packets go to the loopback
            // address; others to the in device's primary address (unknown without the
            // host's device addresses).
            packet.destination = packet.host.redirectDestination(hook: packet.hookState.hook,
                                                                 inDevice: packet.hookState.inInterface,
                                                                 family: packet.family)
            rewritePorts(call.setting("to-ports")?.value, port: \.destinationPort, in: &packet)
            return .verdict(.accept)
        }, usesConntrack: true,
        traits: .endsWalk, nat: .destination, natRewrites: { call, hook, family in
            guard hook == .output else {
                return [(.destination, .opaque(SymbolicAction.text(of: call)))] + portRewrites(call, .destinationPort)
            }
            let loopback: IPAddress = family == .ipv6 ? .v6(IPv6Address(high: 0, low: 1))
                                                      : .v4(IPv4Address(127, 0, 0, 1))
            return [(.destination, .value(RuleSpace.value(of: loopback)))] + portRewrites(call, .destinationPort)
        }, listing: .redirect)
}

// libxt_REDIRECT.c REDIRECT_print: `redir ports P[-P] [random]`.
extension ListingForm {
    static let redirect = ListingForm.keywords([
        ListingKeyword("redir ports", "to-ports"), ListingKeyword("random", "random", values: 0),
    ])
}
