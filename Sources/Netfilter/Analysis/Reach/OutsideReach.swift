/// Who outside the host reaches a service, device by device: what the Docker lints read of
/// the reach matrix (published ports, containers by their own address, ports published on
/// 127.0.0.1).
public struct OutsideReach: Sendable, Hashable {
    public var device: String
    /// The source addresses on the device whose connections are open.
    public var open: IntervalSet
    /// Every source address the matrix has on the device.
    public var all: IntervalSet
    /// The conditions of the open classes, in words (`when [...]`).
    public var conditions: [String]

    /// `every address on eth0`, `192.168.1.0/24 on eth0`, `every address on eth0 except
    /// 10.0.0.0/8`, with the conditions.
    public var text: String {
        SourceWords.text(open: open, all: all, device: device, family: .ipv4, conditions: conditions)
    }
}

extension ReachMatrix {
    /// For each device packets from outside arrive on (its `link` and `elsewhere` sources),
    /// the addresses whose connections to one of the services are open; devices from which
    /// none is left out.
    public func outsideReach(to services: [Int]) -> [OutsideReach] {
        var byDevice: [String: OutsideReach] = [:]
        var order: [String] = []
        for (row, source) in sources.enumerated() where source.kind == .link || source.kind == .elsewhere {
            guard case .device(let device) = source.origin, let addresses = source.addresses else { continue }
            var reach = byDevice[device] ?? OutsideReach(device: device, open: IntervalSet(), all: IntervalSet(),
                                                         conditions: [])
            if byDevice[device] == nil { order.append(device) }
            reach.all = reach.all.union(addresses)
            for service in services {
                for item in cell(source: row, service: service).classes where item.outcome == .open {
                    var open = addresses
                    if case .intervals(let set)? = item.packets?[.source] { open = open.intersection(set) }
                    reach.open = reach.open.union(open)
                    for text in (item.packets?.conditions ?? []).map(PacketDescription.conditionWords)
                    where !reach.conditions.contains(text) {
                        reach.conditions.append(text)
                    }
                }
            }
            byDevice[device] = reach
        }
        return order.compactMap { byDevice[$0] }.filter { !$0.open.isEmpty }
    }

    /// The services of a protocol at a port, or leading there.
    public func services(where included: (ReachService) -> Bool) -> [Int] {
        services.indices.filter { included(services[$0]) }
    }
}

/// Source addresses in words, for findings: the addresses that get through out of those a
/// device has, shortest first. Addresses that are no source there (the host's own, other
/// devices' networks, 127.0.0.0/8) may be named or not, whichever is shorter.
public enum SourceWords {
    public static func text(open: IntervalSet, all: IntervalSet, device: String, family: Family,
                            conditions: [String]) -> String {
        let whole = IntervalSet(0, PacketField.source.maximum(family))
        let free = whole.subtracting(all)
        var words: String
        if all.subtracting(open).isEmpty {
            words = "every address on \(device)"
        } else {
            let closed = all.subtracting(open)
            let shownOpen = widened(open, with: free)
            let shownClosed = widened(closed, with: free)
            if shownClosed.intervals.count < shownOpen.intervals.count
                || shownClosed.intervals.count == shownOpen.intervals.count && closed.count < open.count {
                words = "every address on \(device) except "
                    + PacketDescription.addressText(shownClosed, family: family)
            } else {
                words = PacketDescription.addressText(shownOpen, family: family) + " on \(device)"
            }
        }
        if !conditions.isEmpty { words += " (" + conditions.joined(separator: " ") + ")" }
        return words
    }

    /// A set grown into the addresses that do not matter next to it: the intervals of the
    /// union that hold some of the set, so that `10.0.0.0/8` less a link network that is
    /// no source stays `10.0.0.0/8`.
    static func widened(_ set: IntervalSet, with free: IntervalSet) -> IntervalSet {
        IntervalSet(intervals: set.union(free).intervals.filter { set.intersects(IntervalSet($0.lower, $0.upper)) })
    }
}
