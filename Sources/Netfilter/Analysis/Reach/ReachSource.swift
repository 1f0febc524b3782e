/// Where the connections of `verdict reach` come from: packets arriving on a device with
/// their source in a set of addresses (the networks on its link, what its routes reach
/// beyond it, a container behind a bridge port), or sent by the host itself.
public struct ReachSource: Sendable, Hashable {
    /// Where the source's packets come from.
    public enum Kind: String, Sendable, Hashable {
        /// The networks on a device's link.
        case link
        /// What a device's routes reach through a gateway.
        case elsewhere
        /// A container (or the link networks of a bridge) behind a bridge port.
        case bridgePort
        /// The host itself.
        case local
        /// Addresses asked for (`--from` and `-s`).
        case asked
    }

    /// `eth0 link`, `eth0 elsewhere`, `vethc1 172.17.0.2`, `local`.
    public var name: String
    public var kind: Kind
    public var origin: PacketOrigin
    /// The source addresses the class stands for; nil: the host picks (its own packets).
    public var addresses: IntervalSet?
    public var family: Family

    public init(name: String, kind: Kind, origin: PacketOrigin, addresses: IntervalSet?, family: Family) {
        self.name = name
        self.kind = kind
        self.origin = origin
        self.addresses = addresses
        self.family = family
    }

    /// The addresses as networks and ranges (empty for the host's own packets).
    public var addressTexts: [String] {
        addresses.map { PacketDescription.addressList($0, family: family) } ?? []
    }

    /// The source's packets as a class: their source addresses (nil: any the host picks).
    var packets: PacketSpace? {
        addresses.map { PacketSpace.where(.source, .intervals($0), family: family) }
    }
}

extension ReachSource {
    /// Every source of a snapshot for one family, in this order: each device that is not a
    /// loopback, a bridge or a bridge port, with the networks on its link (`link`: what its
    /// routes reach without a gateway, less the host's own addresses) and what its routes
    /// reach through a gateway (`elsewhere`: behind a default route, the Internet); then
    /// each bridge port, with the addresses its neighbours have there (the bridge's
    /// neighbours whose MAC the forwarding database puts behind that port), or the bridge's
    /// link networks when none is known; then the host itself.
    public static func all(in snapshot: HostSnapshot, family: Family) -> [ReachSource] {
        let local = IntervalSet(intervals: snapshot.localAddresses.filter { $0.family == family }.map {
            IntervalSet.Interval(RuleSpace.value(of: $0), RuleSpace.value(of: $0))
        })
        var linked: [String: IntervalSet] = [:]
        var beyond: [String: IntervalSet] = [:]
        for part in snapshot.routePartition(family) {
            guard case .forward(let device, let gateway, _) = part.decision else { continue }
            if gateway == nil {
                linked[device, default: IntervalSet()] = linked[device, default: IntervalSet()].union(part.destinations)
            } else {
                beyond[device, default: IntervalSet()] = beyond[device, default: IntervalSet()].union(part.destinations)
            }
        }
        var sources: [ReachSource] = []
        for interface in snapshot.interfaces where interface.facesOutside {
            if let addresses = linked[interface.name]?.subtracting(local), !addresses.isEmpty {
                sources.append(ReachSource(name: interface.name + " link", kind: .link, origin: .device(interface.name),
                                           addresses: addresses, family: family))
            }
            if let addresses = beyond[interface.name]?.subtracting(local), !addresses.isEmpty {
                sources.append(ReachSource(name: interface.name + " elsewhere", kind: .elsewhere,
                                           origin: .device(interface.name),
                                           addresses: addresses, family: family))
            }
        }
        for bridge in snapshot.interfaces where bridge.isBridge {
            for port in snapshot.interfaces where port.master == bridge.name {
                let macs = Set(snapshot.forwardingEntries.filter { $0.port == port.name }.map(\.mac))
                let behind = snapshot.neighbours.filter { neighbour in
                    neighbour.device == bridge.name && neighbour.address.family == family
                        && neighbour.mac.map(macs.contains) == true
                }.map(\.address)
                if !behind.isEmpty {
                    let addresses = IntervalSet(intervals: behind.map {
                        IntervalSet.Interval(RuleSpace.value(of: $0), RuleSpace.value(of: $0))
                    })
                    let names = behind.map(\.description).sorted().joined(separator: ",")
                    sources.append(ReachSource(name: "\(port.name) \(names)", kind: .bridgePort,
                                               origin: .device(port.name),
                                               addresses: addresses, family: family))
                } else if let addresses = linked[bridge.name]?.subtracting(local), !addresses.isEmpty {
                    sources.append(ReachSource(name: "\(port.name) link", kind: .bridgePort, origin: .device(port.name),
                                               addresses: addresses, family: family))
                }
            }
        }
        sources.append(ReachSource(name: "local", kind: .local, origin: .local, addresses: nil, family: family))
        return sources
    }
}
