/// Asks the real evaluator what the rules do to a probe in one chain, for the Docker lints:
/// the probe is a set of packets (its source left open), and every class of them with its
/// outcome.
public enum DockerProbe {
    /// What a walk of `table/chain` does to the probe's packets.
    public struct Answer: Sendable {
        public var results: [WalkResult]

        /// Every class is accepted.
        public var alwaysAccepted: Bool {
            !results.isEmpty && results.allSatisfy { $0.verdict == .accept && $0.conditions.isEmpty }
        }
        /// Some class is accepted.
        public var sometimesAccepted: Bool { results.contains { $0.verdict == .accept } }
        /// Every class is dropped.
        public var alwaysDropped: Bool { !results.isEmpty && results.allSatisfy { $0.verdict == .drop } }

        /// Who gets through on a device, in words: `every address on eth0 except 10.0.0.0/8`,
        /// `192.168.1.0/24 on eth0`, with the conditions of the accepted classes (`when [...]`).
        public func acceptedSources(on device: String) -> String {
            let accepted = results.filter { $0.verdict == .accept }
            var sources = IntervalSet()
            var conditions: [String] = []
            let family = accepted.first?.packet.family ?? .ipv4
            let whole = IntervalSet(0, PacketField.source.maximum(family))
            for result in accepted {
                for cube in result.packets?.cubes ?? [PacketCube()] {
                    if case .intervals(let set)? = cube[.source] { sources = sources.union(set) } else { sources = whole }
                    for text in cube.conditions.map(PacketDescription.conditionWords) where !conditions.contains(text) {
                        conditions.append(text)
                    }
                }
            }
            return SourceWords.text(open: sources, all: whole, device: device, family: family, conditions: conditions)
        }
    }

    public static func walk(_ ruleset: Ruleset, table: String, chain: String, packet: Packet) -> Answer? {
        guard let table = ruleset.table(named: table), table.chain(named: chain) != nil else { return nil }
        return Answer(results: ChainWalker(table: table, recordsSteps: false).walk(from: chain, packet: packet))
    }

    /// A new connection's first packet arriving on `interface`, from any source: its mark
    /// 0, not a later fragment (conntrack reassembles them), the source address and port
    /// open.
    public static func newPacket(protocol proto: UInt8?, destination: IPAddress?, port: UInt16?, in interface: String?,
                                 out outInterface: String?) -> Packet {
        var packet = Packet(family: .ipv4)
        packet.protocol = proto
        packet.destination = destination
        packet.destinationPort = port
        packet.hookState.inInterface = interface ?? ""
        packet.hookState.outInterface = outInterface ?? ""
        packet.conntrack.state = .new
        packet.bridged = false
        if proto == IPProtocol.tcp { packet.tcpFlags = 0x02 }
        return packet
    }

    /// The interfaces traffic from outside can arrive on: from a snapshot, the devices that
    /// are not loopback, Docker bridges or bridge ports; from rules alone, the interfaces
    /// the rules name that are not Docker's, and one no rule names.
    public static func outsideInterfaces(_ context: LintContext, layout: DockerLayout) -> [String] {
        let bridges = Set(layout.bridges)
        if let snapshot = context.snapshot, !snapshot.interfaces.isEmpty {
            return snapshot.interfaces.filter { $0.facesOutside && !bridges.contains($0.name) }.map(\.name)
        }
        var names: [String] = []
        context.forEachChain { input, _, chain in
            guard input.ruleset.family == .ipv4 else { return }
            for rule in chain.rules {
                for interface in [rule.header.inInterface, rule.header.outInterface].compactMap({ $0?.value }) where !interface.isWildcard {
                    let name = interface.text
                    if !bridges.contains(name), name != "lo", !names.contains(name), !name.hasPrefix("docker_gw") { names.append(name) }
                }
            }
        }
        return names + [otherInterface]
    }

    /// The name that stands for "an interface no rule names".
    public static let otherInterface = "other0"

    /// How messages name an interface.
    public static func describe(_ interface: String) -> String {
        interface == otherInterface ? "any interface the rules do not name" : interface
    }
}
