// libxt_NETMAP.c / net/netfilter/xt_NETMAP.c: map a whole network one to one.

extension ExtensionSpec {
    /// `-j NETMAP --to ADDR/MASK`, nat table.
    public static let netmap = ExtensionSpec(
        "NETMAP", kind: .target,
        options: [OptionSpec("to", .network, required: true)],
        tables: ["nat"],
        apply: { call, packet in
            // xt_NETMAP: new = (old & ~mask) | (to & mask), on the destination at
            // PREROUTING and OUTPUT, on the source at POSTROUTING and INPUT.
            guard case .network(let network)? = call.setting("to")?.value else { return .verdict(.accept) }
            let destination = packet.hookState.hook?.natRewritesDestination ?? false
            let address: WritableKeyPath<Packet, IPAddress?> = destination ? \.destination : \.source
            packet[keyPath: address] = packet[keyPath: address].flatMap { network.mapping($0) }
            return .verdict(.accept)
        }, usesConntrack: true,
        traits: .endsWalk, nat: .network, natRewrites: { call, hook, _ in
            let destination = hook?.natRewritesDestination ?? false
            return [(destination ? .destination : .source, .opaque(SymbolicAction.text(of: call)))]
        }, listing: .netmap)
}

// libipt_NETMAP.c NETMAP_print: `to:ADDR/LEN`.
extension ListingForm {
    static let netmap = ListingForm.keywords([ListingKeyword("to:", "to")])
}
