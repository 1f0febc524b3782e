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
            if call.has("to-ports"), let proto = context.requiredProtocol,
               ![IPProtocol.tcp, IPProtocol.udp, IPProtocol.sctp, IPProtocol.dccp, IPProtocol.udplite].contains(proto) {
                context.error("--to-ports needs -p tcp, udp, sctp, dccp or udplite")
            } else if call.has("to-ports") && context.requiredProtocol == nil {
                context.error("--to-ports needs -p tcp, udp, sctp, dccp or udplite")
            }
        })

    /// `PORT` or `PORT-PORT`, as NAT targets take ports.
    static let natPorts = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let parts = arguments[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let low = try parsePort(String(parts[0]))
        let high = parts.count > 1 ? try parsePort(String(parts[1])) : low
        if low > high { throw ValueError("invalid port range \"\(arguments[0])\"") }
        return .ports([PortRange(low, high)])
    }, print: { value, writer in
        if case .ports(let ranges) = value, let range = ranges.first {
            writer.word(range.first == range.last ? "\(range.first)" : "\(range.first)-\(range.last)")
        }
    })
}
