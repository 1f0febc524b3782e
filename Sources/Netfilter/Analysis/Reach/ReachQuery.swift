/// What `verdict reach` is asked about: all sources and services, or some of them
/// (`--from`, `-s`, `--to`, `-p`).
public struct ReachQuery: Sendable, Hashable {
    /// `local` or a device: only the sources entering there.
    public var from: String?
    /// Only these source addresses (with `from`: exactly one source, these addresses there).
    public var sourceAddresses: IntervalSet?
    /// Only services at these addresses ...
    public var destinations: IntervalSet?
    /// ... on this port ...
    public var port: UInt16?
    /// ... of this protocol.
    public var `protocol`: UInt8?

    public init(from: String? = nil, sourceAddresses: IntervalSet? = nil, destinations: IntervalSet? = nil,
                port: UInt16? = nil, protocol proto: UInt8? = nil) {
        self.from = from
        self.sourceAddresses = sourceAddresses
        self.destinations = destinations
        self.port = port
        self.protocol = proto
    }

    /// The sources asked about, of those a snapshot has.
    func sources(_ all: [ReachSource], family: Family) -> [ReachSource] {
        if let from, let sourceAddresses {
            let text = PacketDescription.addressText(sourceAddresses, family: family)
            return [ReachSource(name: "\(from) \(text)", kind: .asked, origin: PacketOrigin(named: from),
                                addresses: sourceAddresses, family: family)]
        }
        var sources = all
        if let from {
            sources = sources.filter { $0.origin.description == from }
            if sources.isEmpty {
                let every = IntervalSet(0, PacketField.source.maximum(family))
                sources = [ReachSource(name: from, kind: .asked, origin: PacketOrigin(named: from),
                                       addresses: from == "local" ? nil : every, family: family)]
            }
        }
        if let sourceAddresses {
            sources = sources.compactMap { source in
                var narrowed = source
                narrowed.addresses = source.addresses?.intersection(sourceAddresses) ?? sourceAddresses
                return narrowed.addresses?.isEmpty == false ? narrowed : nil
            }
        }
        return sources
    }

    /// Whether a service is one asked about.
    func includes(_ service: ReachService) -> Bool {
        if let destinations, !destinations.contains(RuleSpace.value(of: service.address)) { return false }
        if let port, service.port != port { return false }
        if let proto = self.protocol, service.protocol != proto { return false }
        return true
    }

    /// Services asked for that the snapshot does not offer: `--to ADDR:PORT` (with `-p`, or
    /// TCP and UDP) or, without a port, echo of the address.
    func given(family: Family, offered: [ReachService]) -> [ReachService] {
        guard let destinations, destinations.count == 1, let value = destinations.first,
              !offered.contains(where: includes) else { return [] }
        let address = RuleSpace.address(value, family: family)
        let echo = family == .ipv6 ? IPProtocol.icmpv6 : IPProtocol.icmp
        guard let port else {
            return [ReachService(kind: .given, protocol: self.protocol ?? echo, address: address, port: nil)]
        }
        let protocols = self.protocol.map { [$0] } ?? [IPProtocol.tcp, IPProtocol.udp]
        return protocols.map { ReachService(kind: .given, protocol: $0, address: address, port: port) }
    }
}
