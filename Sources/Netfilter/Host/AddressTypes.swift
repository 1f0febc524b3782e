// net/ipv4/fib_frontend.c (__inet_dev_addr_type: 0.0.0.0/8 and 255.255.255.255 are
// BROADCAST, 224.0.0.0/4 MULTICAST, else the type of the longest match in the local table,
// UNICAST when none; limited to a device, a match through another device is UNICAST).

/// The host's local routing table, as addrtype reads it: the type of an address, seen from
/// any device or from one.
public struct AddressTypes: Sendable, Hashable {
    /// The local table's routes (local and broadcast entries with their devices).
    public var routes: [Route]

    public init(routes: [Route]) {
        self.routes = routes
    }

    /// The address's type (LOCAL, BROADCAST, MULTICAST, UNICAST, ...) as addrtype names
    /// it; with `device`, only a local-table route through that device counts.
    public func type(of address: IPAddress, device: String? = nil) -> String {
        if case .v4(let v4) = address {
            if v4.value >> 24 == 0 || v4.value == 0xFFFF_FFFF { return "BROADCAST" }
            if v4.value >> 28 == 0xE { return "MULTICAST" }
        } else if case .v6(let v6) = address, v6.high >> 56 == 0xFF {
            return "MULTICAST"
        }
        let matching = routes.filter { $0.destination.address.family == address.family && $0.destination.contains(address) }
        guard let best = matching.max(by: { ($0.destination.prefixLength ?? 0) < ($1.destination.prefixLength ?? 0) }) else {
            return "UNICAST"
        }
        if let device, best.device != device { return "UNICAST" }
        return best.type.uppercased()
    }
}

extension HostSnapshot {
    /// The local table as addrtype reads it; nil when the snapshot has no routes (then
    /// only LOCAL / UNICAST are decided, from the addresses). A family without routes (an
    /// ip-route6.json without its ip-route.json) has those its addresses imply.
    public var addressTypes: AddressTypes? {
        guard !routes.isEmpty else { return nil }
        let local = [Family.ipv4, .ipv6].flatMap { routes(of: $0) }.filter { $0.table == "local" }
        return local.isEmpty ? nil : AddressTypes(routes: local)
    }
}

extension AddressTypes {
    /// Every address of a family cut into the sets of addresses of each type (`type(of:)`
    /// for each address of a set): the fixed ranges first, then the local table's routes,
    /// longest prefix first; the rest UNICAST.
    public func partition(_ family: Family, device: String? = nil) -> [(addresses: IntervalSet, type: String)] {
        var left = IntervalSet(0, PacketField.destination.maximum(family))
        var result: [String: IntervalSet] = [:]
        func take(_ set: IntervalSet, _ type: String) {
            let taken = left.intersection(set)
            guard !taken.isEmpty else { return }
            left = left.subtracting(taken)
            result[type] = (result[type] ?? IntervalSet()).union(taken)
        }
        if family == .ipv4 {
            take(IntervalSet(0, 0x00FF_FFFF), "BROADCAST")
            take(IntervalSet(value: 0xFFFF_FFFF), "BROADCAST")
            take(IntervalSet(0xE000_0000, 0xEFFF_FFFF), "MULTICAST")
        } else {
            take(IntervalSet(UInt128(0xFF) << 120, .max), "MULTICAST")
        }
        let ordered = routes.enumerated().filter { $0.element.destination.address.family == family }.sorted { left, right in
            let (l, r) = (left.element.destination.prefixLength ?? 0, right.element.destination.prefixLength ?? 0)
            return l != r ? l > r : left.offset < right.offset
        }
        for (_, route) in ordered {
            guard let covered = RuleSpace.addresses(route.destination) else { continue }
            take(covered, device.map { route.device == $0 } ?? true ? route.type.uppercased() : "UNICAST")
        }
        take(left, "UNICAST")
        return result.sorted { $0.key < $1.key }.map { ($0.value, $0.key) }
    }
}
