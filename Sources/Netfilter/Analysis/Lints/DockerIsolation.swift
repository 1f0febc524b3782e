/// Two Docker networks whose containers can open connections to each other on any port:
/// Docker isolates networks unless its isolation rules are missing or overridden.
public struct DockerIsolation: Lint {
    public let descriptor = LintDescriptor(
        id: "docker-no-isolation", severity: .warning, title: "Docker networks not isolated",
        summary: "New connections from one Docker network to another are forwarded on every port: the isolation rules are missing or overridden.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let layout = context.docker, let input = context.ipv4, let filter = input.ruleset.table(named: "filter"),
              let forward = filter.chain(named: "FORWARD") else { return [] }
        var findings: [LintFinding] = []
        for from in layout.bridges {
            for to in layout.bridges where to != from {
                let packet = DockerProbe.newPacket(protocol: nil, destination: nil, port: nil, in: from, out: to)
                guard let answer = DockerProbe.walk(input.ruleset, table: "filter", chain: "FORWARD", packet: packet),
                      answer.alwaysAccepted else { continue }
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "new connections from network \(from) to network \(to) are forwarded on every protocol and port: the two Docker networks are not isolated",
                    location: context.location(input, filter, forward)))
            }
        }
        return findings
    }
}
