/// Asks the real evaluator what the rules do to one probe packet in one chain, for the
/// Docker lints: every outcome, with the assumptions that lead to it.
public enum DockerProbe {
    /// What a walk of `table/chain` does to the packet.
    public struct Answer: Sendable {
        public var results: [WalkResult]

        /// Every outcome accepts, whatever the unknown fields.
        public var alwaysAccepted: Bool { !results.isEmpty && results.allSatisfy { $0.verdict == .accept } }
        /// Some outcome accepts.
        public var sometimesAccepted: Bool { results.contains { $0.verdict == .accept } }
        /// Every outcome drops.
        public var alwaysDropped: Bool { !results.isEmpty && results.allSatisfy { $0.verdict == .drop } }
        /// The assumptions of the accepting outcomes, for messages.
        public var acceptingAssumptions: [String] {
            results.filter { $0.verdict == .accept }.flatMap(\.assumptions).map { assumption in
                String(assumption.prefix { $0 != ":" })
            }
        }
    }

    public static func walk(_ ruleset: Ruleset, table: String, chain: String, packet: Packet) -> Answer? {
        guard let table = ruleset.table(named: table), table.chain(named: chain) != nil else { return nil }
        return Answer(results: ChainWalker(table: table, recordsSteps: false).walk(from: chain, packet: packet))
    }

    /// A new connection's first packet arriving on `interface`.
    public static func newPacket(protocol proto: UInt8?, destination: IPAddress?, port: UInt16?, in interface: String?,
                                 out outInterface: String?) -> Packet {
        var packet = Packet(family: .ipv4)
        packet.protocol = proto
        packet.destination = destination
        packet.destinationPort = port
        packet.inInterface = interface
        packet.outInterface = outInterface
        packet.conntrackState = .new
        packet.bridged = false
        return packet
    }

    /// The interfaces traffic from outside can arrive on: from a snapshot, the devices that
    /// are not loopback, Docker bridges or bridge ports; from rules alone, the interfaces
    /// the rules name that are not Docker's, and one no rule names.
    public static func outsideInterfaces(_ context: LintContext, layout: DockerLayout) -> [String] {
        let bridges = Set(layout.bridges)
        if let snapshot = context.snapshot, !snapshot.interfaces.isEmpty {
            return snapshot.interfaces.filter {
                $0.kind != "loopback" && $0.name != "lo" && $0.master == nil && !bridges.contains($0.name) && !$0.isBridge
            }.map(\.name)
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
