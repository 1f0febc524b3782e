/// With a snapshot: a port published on 127.0.0.1 that neighbours on the LAN can reach,
/// because route_localnet is 1 on an outside interface (the kernel then routes packets for
/// 127.0.0.0/8 that arrive from outside) and no raw-table rule drops them.
public struct LocalhostPortExposed: Lint {
    public let descriptor = LintDescriptor(
        id: "localhost-port-exposed", severity: .warning, title: "Port published on 127.0.0.1 reachable from the LAN",
        summary: "A port published on 127.0.0.1 is reachable from the LAN: route_localnet is 1 and no raw-table rule drops 127.0.0.0/8 from outside.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let snapshot = context.snapshot, let layout = context.docker, let input = context.ipv4,
              let nat = input.ruleset.table(named: "nat"), let docker = nat.chain(named: "DOCKER") else { return [] }
        func routesLocalnet(_ interface: String) -> Bool {
            snapshot.sysctls["net.ipv4.conf.\(interface).route_localnet"] == "1" || snapshot.sysctls["net.ipv4.conf.all.route_localnet"] == "1"
        }
        let interfaces = DockerProbe.outsideInterfaces(context, layout: layout).filter(routesLocalnet)
        guard !interfaces.isEmpty else { return [] }
        var findings: [LintFinding] = []
        for port in layout.publishedPorts {
            guard let network = port.hostAddress, case .v4(let address) = network.address, address.value >> 24 == 127 else { continue }
            let reached = interfaces.filter { interface in
                var packet = DockerProbe.newPacket(protocol: port.protocol, destination: .v4(address), port: port.hostPorts.first,
                                                   in: interface, out: nil)
                packet.conntrack.beforeConntrack = true
                return !(DockerProbe.walk(input.ruleset, table: "raw", chain: "PREROUTING", packet: packet)?.alwaysDropped ?? false)
            }
            guard !reached.isEmpty else { continue }
            findings.append(LintFinding(
                lint: descriptor,
                message: "port \(port.hostPorts) published on \(address) is reachable from hosts on \(reached.joined(separator: ", ")): route_localnet is 1 there and no raw-table rule drops 127.0.0.0/8 arriving from outside",
                location: context.location(input, nat, docker, rule: port.ruleIndex)))
        }
        return findings
    }
}
