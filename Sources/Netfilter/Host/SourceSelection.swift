// net/ipv4/devinet.c (inet_select_addr), net/netfilter/nf_nat_masquerade.c
// (nf_nat_masquerade_ipv4: inet_select_addr(out, nexthop, RT_SCOPE_UNIVERSE)).

/// The source address MASQUERADE gives an IPv4 packet: a primary address of global scope
/// on the out device (the one whose subnet holds the next hop, else the first); when the
/// device has none (lo's 127.0.0.1 is of host scope), the first global address of the
/// first device, in the order of their indexes, that has one. Built once per snapshot.
public struct SourceSelection: Sendable, Hashable {
    /// Each device's IPv4 addresses of global scope, in the order `ip addr` lists them.
    let global: [String: [HostInterface.Address]]
    /// The first global IPv4 address of the first device (by index) that has one.
    let fallback: IPAddress?

    public init(_ interfaces: [HostInterface]) {
        var global: [String: [HostInterface.Address]] = [:]
        for interface in interfaces {
            let addresses = interface.addresses.filter { $0.address.family == .ipv4 && $0.scope == "global" }
            if global[interface.name] == nil { global[interface.name] = addresses }
        }
        self.global = global
        fallback = interfaces.sorted { $0.index < $1.index }.lazy.compactMap { global[$0.name]?.first?.address }.first
    }

    /// The address MASQUERADE picks for a packet out of `device` toward `nextHop`.
    public func source(outOf device: String, toward nextHop: IPAddress?) -> IPAddress? {
        let addresses = global[device] ?? []
        if let nextHop, let match = addresses.first(where: { Self.subnet($0).contains(nextHop) }) {
            return match.address
        }
        return addresses.first?.address ?? fallback
    }

    static func subnet(_ address: HostInterface.Address) -> Network {
        Network(address: address.address, mask: .v4(.mask(prefixLength: address.prefixLength)))
    }
}
