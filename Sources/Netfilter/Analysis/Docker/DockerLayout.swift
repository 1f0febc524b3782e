/// Docker's part of an IPv4 rule set: which generation wrote it (told apart by its
/// chains), the bridges of its networks, and its published ports.
public struct DockerLayout: Sendable {
    /// Docker's rule layouts over the years.
    public enum Generation: String, Sendable {
        /// One DOCKER-ISOLATION chain (Docker 1.13 - 17.x, the seed document's).
        case singleIsolation = "DOCKER-ISOLATION (up to 17.x)"
        /// DOCKER-ISOLATION-STAGE-1 and -2 (Docker 18.x - 27.x).
        case isolationStages = "DOCKER-ISOLATION-STAGE-1/2 (18.x - 27.x)"
        /// DOCKER-FORWARD, DOCKER-BRIDGE, DOCKER-CT, DOCKER-INTERNAL (Docker 28.x and later).
        case forwardChains = "DOCKER-FORWARD (28.x and later)"
    }

    /// A port Docker publishes: its DNAT rule in nat/DOCKER.
    public struct PublishedPort: Sendable, Hashable {
        public var `protocol`: UInt8
        public var hostPorts: PortRange
        /// `-d` of the DNAT rule (a host address the port is bound to), nil for all.
        public var hostAddress: Network?
        public var container: IPAddress
        public var containerPort: UInt16?
        /// The bridge the container is on (from `! -i BRIDGE`).
        public var bridge: String?
        /// The DNAT rule's position in nat/DOCKER.
        public var ruleIndex: Int
    }

    public var generation: Generation
    /// The Docker network bridges (docker0, br-...), in order of first appearance.
    public var bridges: [String]
    /// Bridges of internal networks (no way out).
    public var internalBridges: Set<String>
    /// Bridges of routed networks (gateway mode routed: no NAT by design).
    public var routedBridges: Set<String>
    public var publishedPorts: [PublishedPort]

    /// The chains Docker owns and rewrites when the daemon starts (DOCKER-USER is the user's).
    public static let ownedChains: Set<String> = [
        "DOCKER", "DOCKER-ISOLATION", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2",
        "DOCKER-FORWARD", "DOCKER-BRIDGE", "DOCKER-CT", "DOCKER-INTERNAL", "DOCKER-INGRESS",
    ]

    /// Recognises Docker's layout; nil when the rules have no Docker chains.
    public init?(ruleset: Ruleset) {
        guard let filter = ruleset.table(named: "filter") ?? ruleset.table(named: "nat"),
              filter.chain(named: "DOCKER") != nil || ruleset.table(named: "nat")?.chain(named: "DOCKER") != nil else { return nil }
        let chains = Set(ruleset.tables.flatMap { $0.chains.map(\.name) })
        if chains.contains("DOCKER-FORWARD") {
            generation = .forwardChains
        } else if chains.contains("DOCKER-ISOLATION-STAGE-1") {
            generation = .isolationStages
        } else {
            generation = .singleIsolation
        }
        var bridges: [String] = []
        func add(_ name: String?) {
            guard let name, !name.hasSuffix("+"), !bridges.contains(name) else { return }
            bridges.append(name)
        }
        // Bridges are the -o of rules that send to DOCKER (FORWARD or DOCKER-BRIDGE) and
        // the -i of nat/DOCKER's RETURN rules.
        for chainName in ["FORWARD", "DOCKER-BRIDGE"] {
            for rule in ruleset.table(named: "filter")?.chain(named: chainName)?.rules ?? [] where rule.target == .jump("DOCKER") {
                add(rule.header.outInterface.flatMap { $0.negated ? nil : $0.value.text })
            }
        }
        let nat = ruleset.table(named: "nat")
        for rule in nat?.chain(named: "DOCKER")?.rules ?? [] where rule.target == .verdict(.return) && rule.header.destination == nil {
            add(rule.header.inInterface.flatMap { $0.negated ? nil : $0.value.text })
        }
        var internalOnes = Set<String>()
        for rule in ruleset.table(named: "filter")?.chain(named: "DOCKER-INTERNAL")?.rules ?? [] {
            add(rule.header.outInterface?.value.text ?? rule.header.inInterface?.value.text)
            if let name = rule.header.inInterface?.value.text ?? rule.header.outInterface?.value.text { internalOnes.insert(name) }
        }
        // Before 28.x, an internal network's isolation rules drop what leaves its subnet.
        for chainName in ["DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION"] {
            for rule in ruleset.table(named: "filter")?.chain(named: chainName)?.rules ?? []
            where rule.target == .verdict(.drop) && (rule.header.source?.negated == true || rule.header.destination?.negated == true) {
                if let name = rule.header.inInterface?.value.text ?? rule.header.outInterface?.value.text {
                    add(name)
                    internalOnes.insert(name)
                }
            }
        }
        var ports: [PublishedPort] = []
        for (index, rule) in (nat?.chain(named: "DOCKER")?.rules ?? []).enumerated() {
            guard case .extension(let call) = rule.target, call.spec === ExtensionSpec.dnat,
                  let proto = rule.header.requiredProtocol,
                  let destination = call.setting("to-destination") else { continue }
            var hostPorts: PortRange?
            for match in rule.matches where match.spec.protocols != nil {
                if let setting = match.setting("dport"), !setting.negated, case .ports(let ranges) = setting.value { hostPorts = ranges.first }
            }
            guard let hostPorts, let target = DockerLayout.endpoint(destination.value) else { continue }
            let bridge = rule.header.inInterface.flatMap { $0.negated ? $0.value.text : nil }
            add(bridge)
            ports.append(PublishedPort(protocol: proto, hostPorts: hostPorts,
                                       hostAddress: rule.header.destination.flatMap { $0.negated ? nil : $0.value },
                                       container: target.address, containerPort: target.port, bridge: bridge, ruleIndex: index))
        }
        self.bridges = bridges
        internalBridges = internalOnes
        // Routed networks (gateway mode routed) let ICMP in: `-A DOCKER -o BRIDGE -p icmp -j ACCEPT`.
        routedBridges = Set((ruleset.table(named: "filter")?.chain(named: "DOCKER")?.rules ?? []).compactMap { rule in
            rule.target == .verdict(.accept) && rule.header.requiredProtocol == IPProtocol.icmp && rule.header.destination == nil
                ? rule.header.outInterface?.value.text : nil
        })
        publishedPorts = ports
    }

    /// The first address and port of a `--to-destination` value.
    static func endpoint(_ value: OptionValue) -> (address: IPAddress, port: UInt16?)? {
        let start = ExtensionSpec.rangeStart(value)
        return start.address.map { ($0, start.port) }
    }

    /// Whether Docker owns the chain (it rewrites it when the daemon starts).
    public func owns(_ chainName: String) -> Bool { DockerLayout.ownedChains.contains(chainName) }
}
