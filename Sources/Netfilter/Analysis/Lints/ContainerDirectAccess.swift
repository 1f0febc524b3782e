/// With a snapshot: a container port that hosts on an outside network can reach directly at
/// the container's bridge address (they route the Docker subnet via this host), because
/// ip_forward is on, FORWARD accepts it and no raw-table rule drops packets for the
/// container that do not come from its bridge (Docker 28 adds that guard).
public struct ContainerDirectAccess: Lint {
    public let descriptor = LintDescriptor(
        id: "container-direct-access", severity: .warning, title: "Container reachable by its own address",
        summary: "A container port reachable from outside at the container's bridge address: ip_forward is on and no raw-table rule guards it.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let snapshot = context.snapshot, snapshot.sysctls["net.ipv4.ip_forward"] == "1",
              let layout = context.docker, let input = context.ipv4, let filter = input.ruleset.table(named: "filter"),
              let docker = filter.chain(named: "DOCKER") else { return [] }
        let interfaces = DockerProbe.outsideInterfaces(context, layout: layout)
        var findings: [LintFinding] = []
        for (index, rule) in docker.rules.enumerated() {
            guard rule.target == .verdict(.accept), let destination = rule.header.destination, !destination.negated,
                  case .v4(let address) = destination.value.address,
                  let bridge = rule.header.outInterface?.value.text else { continue }
            var port: UInt16?
            for call in rule.matches {
                if case .ports(let ranges)? = call.setting("dport")?.value { port = ranges.first?.first }
            }
            let reached = interfaces.filter { interface in
                var raw = DockerProbe.newPacket(protocol: rule.header.requiredProtocol, destination: .v4(address), port: port,
                                                in: interface, out: nil)
                raw.conntrack.beforeConntrack = true
                if let guarded = DockerProbe.walk(input.ruleset, table: "raw", chain: "PREROUTING", packet: raw), guarded.alwaysDropped {
                    return false
                }
                let forwarded = DockerProbe.newPacket(protocol: rule.header.requiredProtocol, destination: .v4(address), port: port,
                                                      in: interface, out: bridge)
                return DockerProbe.walk(input.ruleset, table: "filter", chain: "FORWARD", packet: forwarded)?.sometimesAccepted ?? false
            }
            guard !reached.isEmpty else { continue }
            let what = port.map { "\(IPProtocol.saveName(for: rule.header.requiredProtocol ?? 0, family: .ipv4) ?? "") port \($0)" } ?? "traffic"
            findings.append(LintFinding(
                lint: descriptor,
                message: "container \(address) \(what) is reachable directly at its bridge address from hosts on \(reached.map(DockerProbe.describe).joined(separator: ", ")) that route \(bridge)'s subnet via this host (ip_forward on, no raw-table guard): add `-t raw -A PREROUTING -d \(address) ! -i \(bridge) -j DROP` or upgrade Docker",
                location: context.location(input, filter, docker, rule: index)))
        }
        return findings
    }
}
