/// Every port Docker publishes, with who can reach it. With a snapshot, from the reach
/// matrix: the outside sources whose connections to the port are open (request and reply
/// through the whole host). From rules alone, the DNAT'd packets, from any source, are
/// walked through filter/FORWARD with the real evaluator from each interface outside
/// Docker. The finding names the sources that get through: every address (DOCKER-USER does
/// not restrict it), or the classes of addresses that do.
public struct PublishedPort: Lint {
    public let descriptor = LintDescriptor(
        id: "published-port", severity: .note, title: "Published port reachable",
        summary: "A port Docker publishes, and from where it can be reached (any address, unless DOCKER-USER "
            + "restricts it).",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let layout = context.docker, let input = context.ipv4, let nat = input.ruleset.table(named: "nat"),
              let dockerChain = nat.chain(named: "DOCKER") else { return [] }
        var findings: [LintFinding] = []
        for port in layout.publishedPorts {
            if let address = port.hostAddress, case .v4(let v4) = address.address, v4.value >> 24 == 127 { continue }
            let (open, restricted) = context.reach.map { reachers(of: port, in: $0) } ?? probed(port, context, layout)
            guard !open.isEmpty || !restricted.isEmpty else { continue }
            let proto = IPProtocol.saveName(for: port.protocol, family: .ipv4) ?? String(port.protocol)
            let bound = port.hostAddress.map { " on \($0)" } ?? ""
            var parts: [String] = []
            if !open.isEmpty { parts.append("from any address on \(open.joined(separator: ", "))") }
            parts += restricted
            let target = "\(port.container)\(port.containerPort.map { ":\($0)" } ?? "")"
            findings.append(LintFinding(
                lint: descriptor,
                message: "published port \(proto) \(port.hostPorts)\(bound) → \(target) is reachable "
                    + parts.joined(separator: " and ") + (open.isEmpty ? "" : "; DOCKER-USER does not restrict it"),
                location: context.location(input, nat, dockerChain, rule: port.ruleIndex)))
        }
        return findings
    }

    /// From the matrix: the outside devices every source address of which reaches the port,
    /// and the others' sources that do, in words.
    func reachers(of port: DockerLayout.PublishedPort,
                  in reach: ReachMatrix) -> (open: [String], restricted: [String]) {
        let container = PacketDescription.endpoint(port.container, port.containerPort)
        let services = reach.services { service in
            service.kind == .nat && service.protocol == port.protocol
                && service.port.map(port.hostPorts.contains) == true
                && service.to.contains(container)
                && (port.hostAddress.map { $0.contains(service.address) } ?? true)
        }
        var open: [String] = [], restricted: [String] = []
        for device in reach.outsideReach(to: services) {
            if device.all.subtracting(device.open).isEmpty && device.conditions.isEmpty {
                open.append(device.device)
            } else {
                restricted.append("from " + device.text)
            }
        }
        return (open, restricted)
    }

    /// From rules alone: filter/FORWARD walked for the DNAT'd packets from each outside
    /// interface.
    func probed(_ port: DockerLayout.PublishedPort, _ context: LintContext,
                _ layout: DockerLayout) -> (open: [String], restricted: [String]) {
        guard let input = context.ipv4 else { return ([], []) }
        var open: [String] = [], restricted: [String] = []
        for interface in DockerProbe.outsideInterfaces(context, layout: layout) {
            let packet = DockerProbe.newPacket(protocol: port.protocol, destination: port.container,
                                               port: port.containerPort ?? port.hostPorts.first, in: interface,
                                               out: port.bridge)
            guard let answer = DockerProbe.walk(input.ruleset, table: "filter", chain: "FORWARD", packet: packet) else {
                continue
            }
            if answer.alwaysAccepted {
                open.append(DockerProbe.describe(interface))
            } else if answer.sometimesAccepted {
                restricted.append("from " + answer.acceptedSources(on: DockerProbe.describe(interface)))
            }
        }
        return (open, restricted)
    }
}
