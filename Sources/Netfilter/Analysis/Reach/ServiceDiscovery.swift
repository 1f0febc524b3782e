/// Finds the services of a snapshot for `verdict reach`: the host's listening sockets, the
/// destinations its nat rules rewrite, echo of its addresses and its containers'. Finding
/// them only picks the matrix's columns; every cell is then computed by following the
/// packets through the host, so a service found here that leads nowhere shows as such.
enum ServiceDiscovery {
    /// The most addresses or ports of one rule that become services of their own; a rule
    /// that matches more (a whole network, a port range) gives its first ones.
    static let spread = 16

    /// The host's services and echo of its and its containers' addresses (the matrix puts
    /// them in its order).
    static func services(of snapshot: HostSnapshot, family: Family) -> [ReachService] {
        let hostAddresses = addresses(of: snapshot, family: family)
        var services: [ReachService] = []
        var seen = Set<ReachService.Key>()
        func add(_ service: ReachService) {
            if seen.insert(service.key).inserted { services.append(service) }
        }
        for listener in snapshot.listeners ?? [] {
            let bound = listener.address.map { [$0] } ?? hostAddresses
            for address in bound where address.family == family {
                add(ReachService(kind: .listener, protocol: listener.protocol, address: address, port: listener.port,
                                 listener: true))
            }
        }
        let containers = containerAddresses(of: snapshot, family: family)
        var destinations: [ReachService.Key] = []
        var targets: [ReachService.Key] = []
        if let rules = snapshot.rules(for: family) {
            destinations += natDestinations(rules, hostAddresses: hostAddresses)
            targets += natTargets(rules)
        }
        if let nft = snapshot.nft {
            destinations += natDestinations(nft, family: family, hostAddresses: hostAddresses)
            targets += natTargets(nft, family: family)
        }
        for found in destinations {
            let listens = snapshot.listeners.map { listeners in
                listeners.contains {
                    $0.accepts(protocol: found.protocol, destination: found.address, port: found.port)
                }
            }
            add(ReachService(kind: .nat, protocol: found.protocol, address: found.address, port: found.port,
                             listener: listens))
        }
        for found in targets where containers.contains(found.address) {
            add(ReachService(kind: .container, protocol: found.protocol, address: found.address, port: found.port))
        }
        let echo = family == .ipv6 ? IPProtocol.icmpv6 : IPProtocol.icmp
        for address in hostAddresses {
            add(ReachService(kind: .echo, protocol: echo, address: address, port: nil, listener: true))
        }
        for address in containers {
            add(ReachService(kind: .echo, protocol: echo, address: address, port: nil, listener: false))
        }
        return services
    }

    /// The host's addresses a client elsewhere can name: not loopback, not link-local.
    static func addresses(of snapshot: HostSnapshot, family: Family) -> [IPAddress] {
        snapshot.interfaces.flatMap { interface in
            interface.addresses.filter { $0.address.family == family && $0.scope != "host" && $0.scope != "link" }
                .map(\.address)
        }
    }

    /// The addresses of the host's containers: neighbours on a bridge.
    static func containerAddresses(of snapshot: HostSnapshot, family: Family) -> [IPAddress] {
        let bridges = Set(snapshot.interfaces.filter(\.isBridge).map(\.name))
        var result: [IPAddress] = []
        for neighbour in snapshot.neighbours
        where bridges.contains(neighbour.device) && neighbour.address.family == family {
            if !result.contains(neighbour.address) { result.append(neighbour.address) }
        }
        return result
    }

    /// The destinations the nat table's DNAT and REDIRECT rules rewrite, found by following
    /// the jumps from PREROUTING and OUTPUT with what each rule on the way requires (its
    /// header and matches: `-d`, `-p`, `--dport`, ...): a rule that requires no one
    /// destination (`-m addrtype --dst-type LOCAL`, none) stands for each of the host's
    /// addresses it allows but loopback ones (a rule that names a loopback address, as a
    /// port published on 127.0.0.1, makes that address a service). What a chain's rewriting
    /// rules require is worked out once per chain, whatever jumps to it.
    static func natDestinations(_ ruleset: Ruleset, hostAddresses: [IPAddress]) -> [ReachService.Key] {
        guard let nat = ruleset.table(named: "nat") else { return [] }
        let family = ruleset.family
        let positions = nat.chainPositions
        var required: [String: [PacketCube]] = [:]
        var entered = Set<String>()
        /// The classes of packets that reach a rewriting rule from the start of a chain.
        func rewritten(from chainName: String) -> [PacketCube] {
            if let known = required[chainName] { return known }
            guard entered.insert(chainName).inserted, let position = positions[chainName] else { return [] }
            let chain = nat.chains[position]
            var cubes: [PacketCube] = []
            for rule in chain.rules where !rule.isOpaque {
                let space = RuleSpace.matching(rule, family: family)
                guard !space.isEmpty else { continue }
                switch rule.target {
                case .jump(let name), .goto(let name):
                    let inner = PacketSpace(family: family, cubes: rewritten(from: name))
                    cubes += space.intersection(inner).cubes
                case .extension(let call) where call.spec.nat?.rewritesDestination == true:
                    cubes += space.cubes
                default:
                    continue
                }
            }
            required[chainName] = cubes
            return cubes
        }
        var found: [ReachService.Key] = []
        var seen = Set<ReachService.Key>()
        for base in ["PREROUTING", "OUTPUT"] {
            let space = PacketSpace(family: family, cubes: rewritten(from: base))
            for destination in destinations(in: space, hostAddresses: hostAddresses)
            where seen.insert(destination).inserted {
                found.append(destination)
            }
        }
        return found
    }

    /// Where the nat table's rules send packets: each DNAT that gives one address and one
    /// port, with the protocol the rule requires (the containers' ports a published port
    /// leads to).
    static func natTargets(_ ruleset: Ruleset) -> [ReachService.Key] {
        guard let nat = ruleset.table(named: "nat") else { return [] }
        var found: [ReachService.Key] = []
        var seen = Set<ReachService.Key>()
        for chain in nat.chains {
            for rule in chain.rules where !rule.isOpaque {
                guard case .extension(let call) = rule.target, call.spec.nat?.rewritesDestination == true,
                      let proto = rule.header.requiredProtocol else { continue }
                var address: IPAddress?
                var port: UInt16?
                for (field, rewrite) in SymbolicAction.natRewrites(call, hook: .prerouting, family: ruleset.family) {
                    guard case .value(let value) = rewrite else { continue }
                    if field == .destination { address = RuleSpace.address(value, family: ruleset.family) }
                    if field == .destinationPort { port = UInt16(exactly: value) }
                }
                guard let address, let port else { continue }
                let destination = ReachService.Key(protocol: proto, address: address, port: port)
                if seen.insert(destination).inserted { found.append(destination) }
            }
        }
        return found
    }

    /// The protocol, address and port combinations of a class of packets, at most `spread`
    /// of each; TCP, UDP and SCTP with a destination port only.
    static func destinations(in space: PacketSpace, hostAddresses: [IPAddress]) -> [ReachService.Key] {
        var result: [ReachService.Key] = []
        let family = space.family
        for cube in space.cubes {
            let protocols = [IPProtocol.tcp, IPProtocol.udp, IPProtocol.sctp].filter { proto in
                guard case .intervals(let set)? = cube[.protocol] else { return cube[.protocol] == nil }
                return set.contains(UInt128(proto))
            }
            let ports = values(cube[.destinationPort])?.compactMap { UInt16(exactly: $0) } ?? []
            let addresses: [IPAddress]
            if case .intervals(let set)? = cube[.destination], set.count <= UInt128(spread) {
                addresses = values(cube[.destination])?.map { RuleSpace.address($0, family: family) } ?? []
            } else {
                addresses = hostAddresses.filter { address in
                    guard case .intervals(let set)? = cube[.destination] else { return true }
                    return set.contains(RuleSpace.value(of: address))
                }
            }
            for proto in protocols {
                for address in addresses {
                    for port in ports { result.append(ReachService.Key(protocol: proto, address: address, port: port)) }
                }
            }
        }
        return result
    }

    /// A field's values, the first `spread` of them; nil when the class leaves it open.
    static func values(_ set: FieldSet?) -> [UInt128]? {
        guard case .intervals(let intervals)? = set else { return nil }
        var result: [UInt128] = []
        for interval in intervals.intervals {
            var value = interval.lower
            while value <= interval.upper && result.count < spread {
                result.append(value)
                if value == .max { break }
                value += 1
            }
        }
        return result
    }
}
