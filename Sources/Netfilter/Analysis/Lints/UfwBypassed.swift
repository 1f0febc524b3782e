/// ufw next to Docker: ufw filters INPUT, but packets to published ports are DNAT'd in
/// PREROUTING and forwarded, so they never reach INPUT and ufw's deny does not apply; and
/// ufw's route rules (ufw-user-forward) sit behind Docker's FORWARD chains, which decide
/// container traffic first.
public struct UfwBypassed: Lint {
    public let descriptor = LintDescriptor(
        id: "ufw-bypassed", severity: .warning, title: "ufw bypassed by Docker",
        summary: "ufw denies a port Docker publishes (the packets are forwarded and never reach INPUT), or a ufw route rule sits behind Docker's chains.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let layout = context.docker, let input = context.ipv4, let filter = input.ruleset.table(named: "filter"),
              filter.chain(named: "ufw-user-input") != nil, let nat = input.ruleset.table(named: "nat"),
              let natDocker = nat.chain(named: "DOCKER") else { return [] }
        var findings: [LintFinding] = []
        let outside = DockerProbe.outsideInterfaces(context, layout: layout)
        for port in layout.publishedPorts {
            if let address = port.hostAddress, case .v4(let v4) = address.address, v4.value >> 24 == 127 { continue }
            for interface in outside {
                let toHost = DockerProbe.newPacket(protocol: port.protocol, destination: port.hostAddress?.address,
                                                   port: port.hostPorts.first, in: interface, out: nil)
                guard let inputAnswer = DockerProbe.walk(input.ruleset, table: "filter", chain: "INPUT", packet: toHost),
                      !inputAnswer.sometimesAccepted else { continue }
                let forwarded = DockerProbe.newPacket(protocol: port.protocol, destination: port.container,
                                                      port: port.containerPort ?? port.hostPorts.first, in: interface, out: port.bridge)
                guard DockerProbe.walk(input.ruleset, table: "filter", chain: "FORWARD", packet: forwarded)?.sometimesAccepted == true else { continue }
                let proto = IPProtocol.saveName(for: port.protocol, family: .ipv4) ?? String(port.protocol)
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "ufw denies \(proto) port \(port.hostPorts) on INPUT, but Docker publishes it: packets from \(DockerProbe.describe(interface)) are DNAT'd to \(port.container) and forwarded, never reaching INPUT; restrict the port in DOCKER-USER (or ufw route rules placed before Docker's chains)",
                    location: context.location(input, nat, natDocker, rule: port.ruleIndex)))
                break
            }
        }
        guard let forward = filter.chain(named: "FORWARD"), let userForward = filter.chain(named: "ufw-user-forward"),
              let dockerJump = forward.rules.firstIndex(where: { ["DOCKER-FORWARD", "DOCKER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION"].contains($0.target.chainName ?? "") }),
              let ufwJump = forward.rules.firstIndex(where: { ($0.target.chainName ?? "").hasPrefix("ufw-") }),
              dockerJump < ufwJump else { return findings }
        let bridges = Set(layout.bridges)
        for (index, rule) in userForward.rules.enumerated() {
            if let out = rule.header.outInterface, out.negated || !bridges.contains(out.value.text) { continue }
            findings.append(LintFinding(
                lint: descriptor,
                message: "ufw route rule \(index + 1) (\(rule.text(family: .ipv4))) is behind Docker's chains: filter/FORWARD jumps to \(forward.rules[dockerJump].target.chainName ?? "") (rule \(dockerJump + 1)) before ufw (rule \(ufwJump + 1)), so Docker decides container traffic first",
                location: context.location(input, filter, userForward, rule: index),
                related: [context.location(input, filter, forward, rule: dockerJump)]))
        }
        return findings
    }
}
