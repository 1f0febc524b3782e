// net/ipv4/fib_rules.c (default rules: local 0, main 32766, default 32767),
// net/ipv4/fib_trie.c (longest prefix first, then the lowest metric).

/// Where the routing decision sends a packet.
public enum RoutingDecision: Sendable, Hashable {
    /// For this host (a `local` route): delivered through INPUT.
    case local(device: String)
    /// Out of `device`, to `gateway` when the route has one (else to the destination).
    case forward(device: String, gateway: IPAddress?, source: IPAddress?)
    /// A broadcast address of a device: delivered locally too.
    case broadcast(device: String)
    /// No route, or a blackhole / unreachable / prohibit route: the packet is dropped
    /// (with an ICMP error for unreachable and prohibit).
    case unroutable(String)
}

extension HostSnapshot {
    /// The routing decision for a destination: the `local` table, then `main`, then
    /// `default` (the kernel's default policy rules); in each, the longest matching prefix,
    /// then the lowest metric. A snapshot without routes uses its devices' subnets.
    public func route(to destination: IPAddress) -> RoutingDecision {
        let candidates = routes(of: destination.family)
        for table in ["local", "main", "default"] {
            let matching = candidates.filter { $0.table == table && $0.destination.contains(destination)
                                                && $0.type != "multicast" }
            guard let best = matching.min(by: { left, right in
                let (l, r) = (left.destination.prefixLength ?? 0, right.destination.prefixLength ?? 0)
                return l != r ? l > r : left.metric < right.metric
            }) else { continue }
            return decision(for: best)
        }
        // The words a class of destinations gets too (`RoutePartition`), so that a packet of
        // the class and the class have the same answer; the packet line names the address.
        return .unroutable("no route")
    }

    /// The routes of a family: the snapshot's, or where it has none of that family (no
    /// ip-route.json beside an ip-route6.json, say), those its devices' addresses imply.
    func routes(of family: Family) -> [Route] {
        let given = routes.filter { $0.destination.address.family == family }
        return given.isEmpty ? impliedRoutes.filter { $0.destination.address.family == family } : given
    }

    /// The routes the kernel adds for each address: a local route for the address and a
    /// link route for its subnet.
    var impliedRoutes: [Route] {
        interfaces.flatMap { device in
            device.addresses.flatMap { entry -> [Route] in
                let family = entry.address.family
                let host = Network(address: entry.address, mask: family == .ipv4 ? .v4(.mask(prefixLength: 32)) : .v6(.mask(prefixLength: 128)))
                let subnet = Network(address: entry.address, mask: family == .ipv4 ? .v4(.mask(prefixLength: entry.prefixLength))
                                                                                  : .v6(.mask(prefixLength: entry.prefixLength)))
                return [Route(type: "local", destination: host, device: device.name, table: "local", preferredSource: entry.address),
                        Route(destination: subnet, device: device.name, preferredSource: entry.address)]
            }
        }
    }

    /// Every address of the host (what addrtype LOCAL and "is this for me" use): the local
    /// table's routes, or the devices' addresses without routes.
    public var localAddresses: Set<IPAddress> {
        var addresses = Set(interfaces.flatMap { $0.addresses.map(\.address) })
        for route in routes where route.type == "local" && (route.destination.prefixLength ?? 0) == (route.destination.address.family == .ipv4 ? 32 : 128) {
            addresses.insert(route.destination.address)
        }
        return addresses
    }

    /// Each device's addresses, primary first (for MASQUERADE and REDIRECT).
    public var deviceAddresses: [String: [IPAddress]] {
        Dictionary(interfaces.map { ($0.name, $0.addresses.filter { $0.scope != "link" }.map(\.address)) }, uniquingKeysWith: { first, _ in first })
    }

    public func interface(named name: String) -> HostInterface? { interfaces.first { $0.name == name } }

    /// A sysctl as a number (`net.ipv4.ip_forward`), or the default when not captured.
    public func sysctl(_ key: String, default value: Int) -> Int { sysctls[key].flatMap { Int($0) } ?? value }
}
