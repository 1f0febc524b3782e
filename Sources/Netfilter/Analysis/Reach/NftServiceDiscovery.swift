/// The services nft nat chains make (`verdict reach` on a host with nft rules): what
/// `ServiceDiscovery` finds in iptables' nat table, found in the nat base chains at
/// prerouting and output of the ip, ip6 and inet tables and the chains they jump to.
extension ServiceDiscovery {
    /// The destinations dnat and redirect statements rewrite, each with what the rules on the
    /// way require (their relations, read as exact sets where they can be; `fib daddr type
    /// local` as the host's addresses), worked out once per chain.
    static func natDestinations(_ nft: NftRuleset, family: Family, hostAddresses: [IPAddress]) -> [ReachService.Key] {
        var packet = Packet(family: family)
        packet.host.localAddresses = Set(hostAddresses)
        var found: [ReachService.Key] = []
        var seen = Set<ReachService.Key>()
        for table in nft.tables where NftProgram.sees(table.family, family) {
            let chains = Dictionary(table.chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let sets = Dictionary(table.sets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            var required: [String: [PacketCube]] = [:]
            var entered = Set<String>()
            func rewritten(from name: String) -> [PacketCube] {
                if let known = required[name] { return known }
                guard entered.insert(name).inserted, let chain = chains[name] else { return [] }
                var cubes: [PacketCube] = []
                for rule in chain.rules {
                    cubes += reaching(rule, packet: packet, sets: sets, rewritten: rewritten)
                }
                required[name] = cubes
                return cubes
            }
            for chain in table.chains {
                guard let base = chain.base, base.type == "nat", base.hook == "prerouting" || base.hook == "output"
                else { continue }
                let space = PacketSpace(family: family, cubes: rewritten(from: chain.name))
                for destination in destinations(in: space, hostAddresses: hostAddresses)
                where seen.insert(destination).inserted {
                    found.append(destination)
                }
            }
        }
        return found
    }

    /// The packets one rule sends to a destination rewrite: its relations so far, then its
    /// dnat or redirect, or what the chains it jumps or goes to (a verdict map's too) rewrite.
    private static func reaching(_ rule: NftRule, packet: Packet, sets: [String: NftSet],
                                 rewritten: (String) -> [PacketCube]) -> [PacketCube] {
        let family = packet.family
        var space = PacketSpace.all(family)
        func into(_ name: String, _ space: PacketSpace) -> [PacketCube] {
            space.intersection(PacketSpace(family: family, cubes: rewritten(name))).cubes
        }
        for statement in rule.statements {
            switch statement {
            case .match(let relation):
                let part = NftRelationSpace.matching(relation, packet: packet, sets: sets, condition: "")
                space = space.intersection(PacketSpace(family: family, cubes: part.cubes.map(\.withoutConditions)))
                if space.isEmpty { return [] }
            case .nat(let nat) where nat.kind == "dnat" || nat.kind == "redirect":
                return space.cubes
            case .verdict(.jump(let name)), .verdict(.goto(let name)):
                return into(name, space)
            case .verdictMap(let key, let map):
                var elements: [NftSetElement] = []
                if case .set(let items) = map { elements = items }
                if case .setReference(let name) = map { elements = sets[name]?.elements ?? [] }
                return elements.flatMap { element -> [PacketCube] in
                    guard case .verdict(let verdict)? = element.value, let name = verdict.chain else { return [] }
                    let part = NftRelationSpace.matching(NftRelation(left: key, right: element.key), packet: packet,
                                                         sets: sets, condition: "")
                    return into(name, space.intersection(PacketSpace(family: family,
                                                                     cubes: part.cubes.map(\.withoutConditions))))
                }
            default:
                continue
            }
        }
        return []
    }

    /// Where dnat statements send packets: each that gives one address and one port, with the
    /// one protocol its rule requires (the containers' ports a published port leads to).
    static func natTargets(_ nft: NftRuleset, family: Family) -> [ReachService.Key] {
        var found: [ReachService.Key] = []
        var seen = Set<ReachService.Key>()
        let packet = Packet(family: family)
        for table in nft.tables where NftProgram.sees(table.family, family) {
            let sets = Dictionary(table.sets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for chain in table.chains {
                for rule in chain.rules {
                    var space = PacketSpace.all(family)
                    for statement in rule.statements {
                        if case .match(let relation) = statement {
                            space = space.intersection(NftRelationSpace.matching(relation, packet: packet, sets: sets,
                                                                                 condition: ""))
                        }
                        guard case .nat(let nat) = statement, nat.kind == "dnat", case .value(let word)? = nat.to,
                              let target = NftEffects.NatTarget(word, family: family), let address = target.address,
                              let port = target.port, space.cubes.count == 1,
                              case .intervals(let protocols)? = space.cubes[0][.protocol], protocols.count == 1,
                              let proto = UInt8(exactly: protocols.intervals[0].lower),
                              protocols.intervals[0].lower == protocols.intervals[0].upper else { continue }
                        let key = ReachService.Key(protocol: proto, address: address, port: port)
                        if seen.insert(key).inserted { found.append(key) }
                    }
                }
            }
        }
        return found
    }
}
