/// With a snapshot: a port published on 127.0.0.1 that neighbours on an outside network can
/// reach, read from the reach matrix. Docker's DNAT for it runs in PREROUTING, before the
/// routing decision that drops packets for 127.0.0.0/8 arriving from outside, so the packet
/// is a container's by then and route_localnet does not matter (checked in the kernel:
/// docs/semantics.md; moby/moby#41872); only a raw-table rule that drops 127.0.0.0/8 from
/// outside (Docker 28 adds one) guards it.
public struct LocalhostPortExposed: Lint {
    public let descriptor = LintDescriptor(
        id: "localhost-port-exposed", severity: .warning, title: "Port published on 127.0.0.1 reachable from the LAN",
        summary: "A port published on 127.0.0.1 is reachable from neighbours that send to 127.0.0.1 through this "
            + "host: its DNAT runs before the martian check, and no raw-table rule drops 127.0.0.0/8 from outside.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let reach = context.reach, let layout = context.docker, let input = context.ipv4,
              let nat = input.ruleset.table(named: "nat"), let docker = nat.chain(named: "DOCKER") else { return [] }
        var findings: [LintFinding] = []
        for port in layout.publishedPorts {
            guard let network = port.hostAddress, case .v4(let address) = network.address, address.value >> 24 == 127
            else { continue }
            let services = reach.services { service in
                service.kind == .nat && service.protocol == port.protocol && network.contains(service.address)
                    && service.port.map(port.hostPorts.contains) == true
            }
            let reached = reach.outsideReach(to: services)
            guard !reached.isEmpty else { continue }
            findings.append(LintFinding(
                lint: descriptor,
                message: "port \(port.hostPorts) published on \(address) is reachable from "
                    + reached.map(\.text).joined(separator: " and ")
                    + " for neighbours that send to \(address) through this host: the DNAT runs before the routing "
                    + "decision drops 127.0.0.0/8 from outside (whatever route_localnet), and no raw-table rule "
                    + "drops it: add `-t raw -A PREROUTING -d \(address) ! -i lo -j DROP` or upgrade Docker",
                location: context.location(input, nat, docker, rule: port.ruleIndex)))
        }
        return findings
    }
}
