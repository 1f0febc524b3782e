// libipt_MASQUERADE / nf_nat_masquerade.c: source NAT to the outgoing interface's address.

extension ExtensionSpec {
    /// `-j MASQUERADE [--to-ports P[-P]] [--random] [--random-fully]`, nat POSTROUTING only.
    public static let masquerade = ExtensionSpec(
        "MASQUERADE", kind: .target,
        options: [
            OptionSpec("to-ports", natPorts),
            OptionSpec("random", .flag),
            OptionSpec("random-fully", .flag),
        ],
        tables: ["nat"], hooks: [.postrouting],
        finalize: { call, context in
            if call.has("to-ports") && !natPortProtocols.contains(context.requiredProtocol ?? 0) {
                context.error("--to-ports needs -p tcp, udp, sctp, dccp or udplite")
            }
        },
        apply: { call, packet in
            // nf_nat_masquerade_ipv4: inet_select_addr on the out device (`SourceSelection`);
            // unknown without the host's device addresses.
            packet.source = packet.host.masqueradeSource(outOf: packet.hookState.outInterface,
                                                         toward: packet.destination, family: packet.family)
            rewritePorts(call.setting("to-ports")?.value, port: \.sourcePort, in: &packet)
            return .verdict(.accept)
        }, usesConntrack: true,
        traits: .endsWalk, nat: .masquerade, natRewrites: { call, _, _ in
            [(.source, .opaque(SymbolicAction.text(of: call)))] + portRewrites(call, .sourcePort)
        }, listing: .masquerade)

    /// Sets a port to the first of a `--to-ports` range.
    static func rewritePorts(_ value: OptionValue?, port: WritableKeyPath<Packet, UInt16?>, in packet: inout Packet) {
        if let first = firstPort(value), packet[keyPath: port] != nil { packet[keyPath: port] = first }
    }

    /// The protocols whose ports NAT targets can rewrite.
    static let natPortProtocols: [UInt8] = [IPProtocol.tcp, IPProtocol.udp, IPProtocol.sctp, IPProtocol.dccp, IPProtocol.udplite]

    /// `PORT` or `PORT-PORT`, as NAT targets take ports.
    /// A whole service name is one port (`ftp-data`); otherwise both ends are numbers.
    static let natPorts = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        if let port = ServiceNames.port(for: arguments[0]) { return .ports([PortRange(port)]) }
        let parts = arguments[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let low = UInt16(parts[0]), let high = parts.count > 1 ? UInt16(parts[1]) : low else {
            throw ValueError("invalid port or port range \"\(arguments[0])\" (PORT or PORT-PORT)")
        }
        if low > high { throw ValueError("invalid port range \"\(arguments[0])\"") }
        return .ports([PortRange(low, high)])
    }, print: { value, writer in
        if case .ports(let ranges) = value, let range = ranges.first {
            writer.word(range.first == range.last ? "\(range.first)" : "\(range.first)-\(range.last)")
        }
    })
}

// libxt_MASQUERADE.c MASQUERADE_print (libxt_NAT.c for IPv6): `masq ports: P[-P] [random]
// [random-fully]`.
extension ListingForm {
    static let masquerade = ListingForm.keywords([
        ListingKeyword("masq ports:", "to-ports"), ListingKeyword("random", "random", values: 0),
        ListingKeyword("random-fully", "random-fully", values: 0),
    ])
}
