/// With a snapshot: a container port that hosts on an outside network can reach directly at
/// the container's address (they route the Docker subnet via this host), read from the
/// reach matrix: the container's service open from an outside source (ip_forward on, FORWARD
/// accepts it, no raw-table rule drops packets for the container that do not come from its
/// bridge: Docker 28 adds that guard).
public struct ContainerDirectAccess: Lint {
    public let descriptor = LintDescriptor(
        id: "container-direct-access", severity: .warning, title: "Container reachable by its own address",
        summary: "A container port reachable from outside at the container's bridge address: ip_forward is on and "
            + "no raw-table rule guards it.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let reach = context.reach, let input = context.ipv4, let filter = input.ruleset.table(named: "filter"),
              let docker = filter.chain(named: "DOCKER") else { return [] }
        var findings: [LintFinding] = []
        for (index, rule) in docker.rules.enumerated() {
            guard rule.target == .verdict(.accept), let destination = rule.header.destination, !destination.negated,
                  case .v4 = destination.value.address,
                  let bridge = rule.header.outInterface?.value.text else { continue }
            let address = destination.value.address
            var port: UInt16?
            for call in rule.matches {
                if case .ports(let ranges)? = call.setting("dport")?.value { port = ranges.first?.first }
            }
            let proto = rule.header.requiredProtocol
            let services = reach.services { service in
                service.kind == .container && service.address == address && service.port == port
                    && (proto.map { $0 == service.protocol } ?? true)
            }
            let reached = reach.outsideReach(to: services)
            guard !reached.isEmpty else { continue }
            let protoName = IPProtocol.saveName(for: proto ?? 0, family: .ipv4) ?? ""
            let what = port.map { "\(protoName) port \($0)" } ?? "traffic"
            findings.append(LintFinding(
                lint: descriptor,
                message: "container \(address) \(what) is reachable directly at its bridge address from "
                    + reached.map(\.text).joined(separator: " and ")
                    + " for hosts that route \(bridge)'s subnet via this host (ip_forward on, no raw-table guard): "
                    + "add `-t raw -A PREROUTING -d \(address) ! -i \(bridge) -j DROP` or upgrade Docker",
                location: context.location(input, filter, docker, rule: index)))
        }
        return findings
    }
}
