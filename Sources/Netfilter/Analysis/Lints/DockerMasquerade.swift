/// A Docker network whose containers can reach out but that has no MASQUERADE (or SNAT)
/// rule, while the other networks have one (so the daemon masquerades): its containers
/// leave with their private addresses and the answers do not find their way back.
/// Internal networks and routed ones (gateway mode routed) have none by design.
public struct DockerMasquerade: Lint {
    public let descriptor = LintDescriptor(
        id: "docker-no-masquerade", severity: .warning, title: "Docker network without MASQUERADE",
        summary: "A Docker network with a way out but no MASQUERADE rule, while the daemon masquerades its other networks.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let layout = context.docker, let input = context.ipv4, let nat = input.ruleset.table(named: "nat"),
              let postrouting = nat.chain(named: "POSTROUTING"), let filter = input.ruleset.table(named: "filter") else { return [] }
        func masquerades(_ bridge: String) -> Bool {
            postrouting.rules.contains { rule in
                guard let kind = rule.target.call?.spec.nat, kind == .source || kind == .masquerade else {
                    return false
                }
                return rule.header.outInterface.map { $0.negated && $0.value.text == bridge } == true
            }
        }
        let masqueraded = layout.bridges.filter(masquerades)
        guard !masqueraded.isEmpty, let forward = filter.chain(named: "FORWARD") else { return [] }
        var findings: [LintFinding] = []
        for bridge in layout.bridges where !masqueraded.contains(bridge) && !layout.internalBridges.contains(bridge) && !layout.routedBridges.contains(bridge) {
            let packet = DockerProbe.newPacket(protocol: nil, destination: nil, port: nil, in: bridge, out: DockerProbe.otherInterface)
            guard let answer = DockerProbe.walk(input.ruleset, table: "filter", chain: "FORWARD", packet: packet),
                  answer.sometimesAccepted else { continue }
            findings.append(LintFinding(
                lint: descriptor,
                message: "Docker network \(bridge) can reach out but nat/POSTROUTING has no MASQUERADE for it (\(masqueraded.joined(separator: ", ")) \(masqueraded.count == 1 ? "has" : "have") one): its containers leave with their private addresses",
                location: context.location(input, nat, postrouting),
                related: [context.location(input, filter, forward)]))
        }
        return findings
    }
}
