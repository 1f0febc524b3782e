// libxt_addrtype.c (revision 1) / net/netfilter/xt_addrtype.c: the routing type of an address.

extension ExtensionSpec {
    /// Address types in the order iptables prints them.
    static let addressTypes = ["UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
                               "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"]

    /// `-m addrtype [!] --src-type T,.. [!] --dst-type T,.. [--limit-iface-in|--limit-iface-out]`.
    public static let addrtype = ExtensionSpec(
        "addrtype", kind: .match,
        options: [
            OptionSpec("src-type", .keywordList(addressTypes), negatable: true),
            OptionSpec("dst-type", .keywordList(addressTypes), negatable: true),
            OptionSpec("limit-iface-in", .flag),
            OptionSpec("limit-iface-out", .flag),
        ],
        finalize: { call, context in
            if !call.has("src-type") && !call.has("dst-type") {
                context.error("needs --src-type or --dst-type")
            }
            if call.has("limit-iface-in") && call.has("limit-iface-out") {
                context.error("--limit-iface-in and --limit-iface-out cannot be combined")
            }
        },
        hookCheck: { call in
            // xt_addrtype.c addrtype_mt_checkentry_v1: no input interface at OUTPUT/POSTROUTING,
            // no output interface at PREROUTING/INPUT.
            if call.has("limit-iface-in") { return [.prerouting, .input, .forward] }
            if call.has("limit-iface-out") { return [.forward, .output, .postrouting] }
            return nil
        },
        evaluate: { call, packet in
            call.spec.evaluateAll(call, packet) { setting, name in
                guard name == "src-type" || name == "dst-type", case .words(let types) = setting.value else {
                    // --limit-iface-in/out ask whether the address is local to that device: the
                    // addresses per device are not known here.
                    return .unknown("--\(name) needs the addresses of each interface")
                }
                guard let address = name == "src-type" ? packet.source : packet.destination else {
                    return .unknown("--\(name): the packet's address was not given")
                }
                guard let local = packet.localAddresses else {
                    return .unknown("--\(name) \(types.joined(separator: ",")): the host's local addresses were not given (--local-address)")
                }
                // Only LOCAL and UNICAST are decided from the local addresses; other types need the routing table.
                let isLocal = local.contains(address)
                let decided = types.allSatisfy { $0 == "LOCAL" || $0 == "UNICAST" }
                if !decided { return .unknown("--\(name) \(types.joined(separator: ",")) needs the routing table") }
                let hit = (types.contains("LOCAL") && isLocal) || (types.contains("UNICAST") && !isLocal)
                return MatchOutcome.check(hit, "\(address) is \(isLocal ? "LOCAL" : "not LOCAL")")
                    .negated(setting.negated, "\(address) is \(isLocal ? "LOCAL" : "UNICAST")")
            }
        })
}
