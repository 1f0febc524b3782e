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
        hookCheck: { call in
            // xt_addrtype.c addrtype_mt_checkentry_v1: no input interface at OUTPUT/POSTROUTING,
            // no output interface at PREROUTING/INPUT.
            if call.has("limit-iface-in") { return [.prerouting, .input, .forward] }
            if call.has("limit-iface-out") { return [.forward, .output, .postrouting] }
            return nil
        },
        evaluate: { call, packet in
            // xt_addrtype.c addrtype_mt_v1: each address's type from the local routing table,
            // through the in (--limit-iface-in) or out (--limit-iface-out) device only.
            let device = limitDevice(call, packet)
            return call.spec.evaluateAll(call, packet) { setting, name in
                guard name == "src-type" || name == "dst-type", case .keywords(let set) = setting.value else {
                    return .matches
                }
                let listed = { set.text(in: addressTypes) }
                guard let address = name == "src-type" ? packet.source : packet.destination else {
                    return .unknown("--\(name): the packet's address was not given")
                }
                if let table = packet.host.addressTypes, address.family == .ipv4 {
                    let type = table.type(of: address, device: device)
                    return MatchOutcome.check(set.contains(type, in: addressTypes), "\(address) is \(type)")
                        .negated(setting.negated, "\(address) is \(type)")
                }
                if device != nil || call.has("limit-iface-in") || call.has("limit-iface-out") {
                    return .unknown("--\(name) with a device limit needs the host's local routing table")
                }
                guard let local = packet.host.localAddresses else {
                    return .unknown("--\(name) \(listed()): the host's local addresses were not given (--local-address)")
                }
                // Without the routing table only LOCAL and UNICAST are decided, from the local addresses.
                let isLocal = local.contains(address)
                let localOrUnicast = KeywordSet(["LOCAL", "UNICAST"], in: addressTypes).bits
                if set.bits & ~localOrUnicast != 0 { return .unknown("--\(name) \(listed()) needs the routing table") }
                let hit = (set.contains("LOCAL", in: addressTypes) && isLocal)
                    || (set.contains("UNICAST", in: addressTypes) && !isLocal)
                return MatchOutcome.check(hit, "\(address) is \(isLocal ? "LOCAL" : "not LOCAL")")
                    .negated(setting.negated, "\(address) is \(isLocal ? "LOCAL" : "UNICAST")")
            }
        },
        decide: { call, packet in
            // The types from the local routing table, for IPv4 addresses given.
            guard let table = packet.host.addressTypes else { return nil }
            let device = limitDevice(call, packet)
            for setting in call.settings {
                guard case .keywords(let set) = setting.value else { continue }
                let source = call.spec.options[setting.option].name == "src-type"
                guard let address = source ? packet.source : packet.destination, address.family == .ipv4 else {
                    return nil
                }
                if set.contains(table.type(of: address, device: device), in: addressTypes) == setting.negated {
                    return false
                }
            }
            return true
        },
        hostSpace: { call, packet in addrtypeSpace(call, packet) }, listing: .addrtype,
        groups: [.atLeastOne("src-type", "dst-type"), .atMostOne("limit-iface-in", "limit-iface-out")])

    /// The device a `--limit-iface-in` or `--limit-iface-out` limits the lookup to.
    static func limitDevice(_ call: ExtensionCall, _ packet: Packet) -> String? {
        call.has("limit-iface-in") ? packet.hookState.inInterface
            : call.has("limit-iface-out") ? packet.hookState.outInterface : nil
    }

    /// The packets whose addresses have the types asked, from the host's local routing
    /// table (or, without it, its local addresses for LOCAL and UNICAST); nil when the
    /// host is not described or the device a limit names is open.
    static func addrtypeSpace(_ call: ExtensionCall, _ packet: Packet) -> PacketSpace? {
        let family = packet.family
        var device: String?
        if call.has("limit-iface-in") {
            guard !packet.hookState.inInterfaceIsOpen else { return nil }
            device = packet.hookState.inInterface
        } else if call.has("limit-iface-out") {
            guard !packet.hookState.outInterfaceIsOpen else { return nil }
            device = packet.hookState.outInterface
        }
        guard let partition = packet.host.addressTypePartition(family, device: device) else { return nil }
        return call.spec.spaceOfAll(call, family) { setting, name in
            guard name == "src-type" || name == "dst-type" else { return .all(family) }
            guard case .keywords(let set) = setting.value else { return nil }
            let types = set.names(in: addressTypes)
            if packet.host.addressTypes == nil, !types.allSatisfy({ $0 == "LOCAL" || $0 == "UNICAST" }) { return nil }
            var addresses = IntervalSet()
            for part in partition where types.contains(part.type) { addresses = addresses.union(part.addresses) }
            return .where(name == "src-type" ? .source : .destination, .intervals(addresses), family: family)
        }
    }
}

// libxt_addrtype.c addrtype_print_v1: `ADDRTYPE match [src-type [!]T,..] [dst-type [!]T,..]
// [limit-in|limit-out]`.
extension ListingForm {
    static let addrtype = ListingForm.keywords(lead: "ADDRTYPE match", [
        ListingKeyword("src-type", "src-type"), ListingKeyword("dst-type", "dst-type"),
        ListingKeyword("limit-in", "limit-iface-in", values: 0), ListingKeyword("limit-out", "limit-iface-out", values: 0),
    ])
}
