// net/ipv4/fib_rules.c, fib_trie.c: the routing decision as a function of the destination,
// cut into the sets of destinations that get each decision.

extension HostSnapshot {
    /// Every destination of a family, cut into disjoint sets by the routing decision each
    /// gets (`route(to:)` for any address of a set): the routes in the order the lookup
    /// prefers them (the local table, then main, then default; in each the longest prefix,
    /// then the lowest metric) each take the addresses no earlier route took; what no route
    /// takes is unroutable. Each set comes with the source its route prefers (`src`).
    public func routePartition(_ family: Family) -> [(destinations: IntervalSet, decision: RoutingDecision, source: IPAddress?)] {
        let candidates = routes(of: family).filter { $0.type != "multicast" }
        let tables = ["local", "main", "default"]
        let ordered = candidates.filter { tables.contains($0.table) }.enumerated().sorted { left, right in
            let (l, r) = (left.element, right.element)
            let (lt, rt) = (tables.firstIndex(of: l.table) ?? 0, tables.firstIndex(of: r.table) ?? 0)
            if lt != rt { return lt < rt }
            let (lp, rp) = (l.destination.prefixLength ?? 0, r.destination.prefixLength ?? 0)
            if lp != rp { return lp > rp }
            if l.metric != r.metric { return l.metric < r.metric }
            return left.offset < right.offset
        }.map(\.element)
        let maximum = PacketField.destination.maximum(family)
        var left = IntervalSet(0, maximum)
        var result: [(destinations: IntervalSet, decision: RoutingDecision, source: IPAddress?)] = []
        for route in ordered where !left.isEmpty {
            guard let covered = RuleSpace.addresses(route.destination) else { continue }
            let taken = left.intersection(covered)
            guard !taken.isEmpty else { continue }
            left = left.subtracting(taken)
            let decision = decision(for: route)
            if let index = result.firstIndex(where: { $0.decision == decision && $0.source == route.preferredSource }) {
                result[index].destinations = result[index].destinations.union(taken)
            } else {
                result.append((taken, decision, route.preferredSource))
            }
        }
        if !left.isEmpty { result.append((left, .unroutable("no route"), nil)) }
        return result
    }

    /// What a route decides (as `route(to:)` does for an address it is the best for).
    func decision(for route: Route) -> RoutingDecision {
        switch route.type {
        case "local": return .local(device: route.device ?? "lo")
        case "broadcast": return .broadcast(device: route.device ?? "")
        case "unicast":
            guard let device = route.device else { return .unroutable("route \(route.destination) has no device") }
            return .forward(device: device, gateway: route.gateway, source: route.preferredSource)
        default: return .unroutable("\(route.type) route \(route.destination)")
        }
    }
}
