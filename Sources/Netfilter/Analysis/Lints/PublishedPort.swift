/// Every port Docker publishes, with who can reach it: the DNAT'd packets, from any source,
/// are walked through filter/FORWARD with the real evaluator from each interface outside
/// Docker, and the finding names the sources that get through: every address (DOCKER-USER
/// does not restrict it), or the classes of addresses that do.
public struct PublishedPort: Lint {
    public let descriptor = LintDescriptor(
        id: "published-port", severity: .note, title: "Published port reachable",
        summary: "A port Docker publishes, and from where it can be reached (any address, unless DOCKER-USER restricts it).",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let layout = context.docker, let input = context.ipv4, let nat = input.ruleset.table(named: "nat"),
              let dockerChain = nat.chain(named: "DOCKER") else { return [] }
        let interfaces = DockerProbe.outsideInterfaces(context, layout: layout)
        var findings: [LintFinding] = []
        for port in layout.publishedPorts {
            if let address = port.hostAddress, case .v4(let v4) = address.address, v4.value >> 24 == 127 { continue }
            var open: [String] = []
            var restricted: [String] = []
            for interface in interfaces {
                let packet = DockerProbe.newPacket(protocol: port.protocol, destination: port.container,
                                                   port: port.containerPort ?? port.hostPorts.first, in: interface, out: port.bridge)
                guard let answer = DockerProbe.walk(input.ruleset, table: "filter", chain: "FORWARD", packet: packet) else { continue }
                if answer.alwaysAccepted {
                    open.append(DockerProbe.describe(interface))
                } else if answer.sometimesAccepted {
                    restricted.append("from " + answer.acceptedSources(on: DockerProbe.describe(interface)))
                }
            }
            guard !open.isEmpty || !restricted.isEmpty else { continue }
            let proto = IPProtocol.saveName(for: port.protocol, family: .ipv4) ?? String(port.protocol)
            let bound = port.hostAddress.map { " on \($0)" } ?? ""
            var parts: [String] = []
            if !open.isEmpty { parts.append("from any address on \(open.joined(separator: ", "))") }
            parts += restricted
            findings.append(LintFinding(
                lint: descriptor,
                message: "published port \(proto) \(port.hostPorts)\(bound) → \(port.container)\(port.containerPort.map { ":\($0)" } ?? "") is reachable \(parts.joined(separator: " and "))\(open.isEmpty ? "" : "; DOCKER-USER does not restrict it")",
                location: context.location(input, nat, dockerChain, rule: port.ruleIndex)))
        }
        return findings
    }
}
