import XCTest
@testable import Netfilter

/// The seed document's experiment (../shared/seeds): ping through Docker's bridge with
/// `-j TRACE` in raw, and the kernel's TRACE lines for each scenario. verdict must print
/// the same lines for the same packets, hook after hook.
final class SeedScenarioTests: XCTestCase {
    /// The seed's filter and nat tables (from its `iptables -nvL` listings), empty raw and
    /// mangle tables as a Docker host has them, and the TRACE rules of the experiment.
    static let rules = """
    *raw
    :PREROUTING ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    -A PREROUTING -p icmp -j TRACE
    -A OUTPUT -p icmp -j TRACE
    COMMIT
    *mangle
    :PREROUTING ACCEPT [0:0]
    :INPUT ACCEPT [0:0]
    :FORWARD ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    :POSTROUTING ACCEPT [0:0]
    COMMIT
    *nat
    :PREROUTING ACCEPT [0:0]
    :INPUT ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    :POSTROUTING ACCEPT [0:0]
    :DOCKER - [0:0]
    -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
    -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
    -A POSTROUTING -s 192.168.0.0/20 ! -o docker0 -j MASQUERADE
    -A DOCKER -i docker0 -j RETURN
    COMMIT
    *filter
    :INPUT ACCEPT [0:0]
    :FORWARD DROP [0:0]
    :OUTPUT ACCEPT [0:0]
    :DOCKER - [0:0]
    :DOCKER-ISOLATION - [0:0]
    :DOCKER-USER - [0:0]
    -A FORWARD -j DOCKER-USER
    -A FORWARD -j DOCKER-ISOLATION
    -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    -A FORWARD -o docker0 -j DOCKER
    -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
    -A FORWARD -i docker0 -o docker0 -j ACCEPT
    -A DOCKER-ISOLATION -j RETURN
    -A DOCKER-USER -j RETURN
    COMMIT

    """

    static let host: Set<IPAddress> = [.v4(IPv4Address(192, 168, 0, 1)), .v4(IPv4Address(10, 0, 2, 15)), .v4(IPv4Address(127, 0, 0, 1))]

    func ping(from source: IPv4Address, to destination: IPv4Address, state: ConntrackState) -> Packet {
        var packet = Packet()
        packet.protocol = IPProtocol.icmp
        packet.source = .v4(source)
        packet.destination = .v4(destination)
        packet.icmpType = state == .new ? 8 : 0
        packet.icmpCode = 0
        packet.conntrack.state = state
        packet.host.localAddresses = Self.host
        return packet
    }

    /// Walks the hooks in order, with the devices the packet has at each, and returns
    /// the kernel-format lines.
    func trace(_ packet: Packet, through hooks: [(Hook, String?, String?)]) throws -> [String] {
        let result = SaveParser.parse(Self.rules, family: .ipv4)
        XCTAssertEqual(result.diagnostics, [])
        var packet = packet
        var steps: [TraceStep] = []
        for (hook, input, output) in hooks {
            packet.hookState.inInterface = input
            packet.hookState.outInterface = output
            let outcomes = HookWalker.walk(result.ruleset, hook: hook, packet: packet)
            XCTAssertEqual(outcomes.count, 1, "every match is decidable here")
            let outcome = try XCTUnwrap(outcomes.first)
            XCTAssertEqual(outcome.verdict, .accept, "ping passes \(hook)")
            steps += outcome.steps
            packet = outcome.packet
        }
        XCTAssert(KernelTraceRenderer.hasTraceRules(result.ruleset))
        return KernelTraceRenderer.lines(steps, fromStart: false)
    }

    let containerA = IPv4Address(192, 168, 0, 2)
    let containerB = IPv4Address(192, 168, 0, 3)
    let bridge = IPv4Address(192, 168, 0, 1)
    let external = IPv4Address(8, 8, 8, 8)
    let uplink = IPv4Address(10, 0, 2, 15)

    /// The seed's section 2 log shows no mangle lines (its author kept only some); the
    /// comparison leaves them out for that section only.
    func withoutMangle(_ lines: [String]) -> [String] { lines.filter { !$0.hasPrefix("TRACE: mangle:") } }

    func testContainerToContainerRequest() throws {
        let lines = try trace(ping(from: containerA, to: containerB, state: .new),
                              through: [(.prerouting, "docker0", nil), (.forward, "docker0", "docker0"), (.postrouting, nil, "docker0")])
        XCTAssertEqual(withoutMangle(lines), [
            "TRACE: raw:PREROUTING:policy:2", "TRACE: nat:PREROUTING:policy:2",
            "TRACE: filter:FORWARD:rule:1", "TRACE: filter:DOCKER-USER:return:1", "TRACE: filter:FORWARD:rule:2",
            "TRACE: filter:DOCKER-ISOLATION:return:1", "TRACE: filter:FORWARD:rule:4", "TRACE: filter:DOCKER:return:1",
            "TRACE: filter:FORWARD:rule:6", "TRACE: nat:POSTROUTING:policy:2",
        ])
    }

    func testContainerToContainerReply() throws {
        let lines = try trace(ping(from: containerB, to: containerA, state: .established),
                              through: [(.prerouting, "docker0", nil), (.forward, "docker0", "docker0"), (.postrouting, nil, "docker0")])
        XCTAssertEqual(withoutMangle(lines), [
            "TRACE: raw:PREROUTING:policy:2",
            "TRACE: filter:FORWARD:rule:1", "TRACE: filter:DOCKER-USER:return:1", "TRACE: filter:FORWARD:rule:2",
            "TRACE: filter:DOCKER-ISOLATION:return:1", "TRACE: filter:FORWARD:rule:3",
        ])
    }

    func testLocalProcessToContainer() throws {
        let request = try trace(ping(from: bridge, to: containerA, state: .new),
                                through: [(.output, nil, "docker0"), (.postrouting, nil, "docker0")])
        XCTAssertEqual(request, [
            "TRACE: raw:OUTPUT:policy:2", "TRACE: mangle:OUTPUT:policy:1", "TRACE: nat:OUTPUT:policy:2",
            "TRACE: filter:OUTPUT:policy:1", "TRACE: mangle:POSTROUTING:policy:1", "TRACE: nat:POSTROUTING:policy:2",
        ])
        let reply = try trace(ping(from: containerA, to: bridge, state: .established),
                              through: [(.prerouting, "docker0", nil), (.input, "docker0", nil)])
        XCTAssertEqual(reply, [
            "TRACE: raw:PREROUTING:policy:2", "TRACE: mangle:PREROUTING:policy:1",
            "TRACE: mangle:INPUT:policy:1", "TRACE: filter:INPUT:policy:1",
        ])
    }

    func testContainerToExternal() throws {
        let request = try trace(ping(from: containerA, to: external, state: .new),
                                through: [(.prerouting, "docker0", nil), (.forward, "docker0", "eth0"), (.postrouting, nil, "eth0")])
        XCTAssertEqual(request, [
            "TRACE: raw:PREROUTING:policy:2", "TRACE: mangle:PREROUTING:policy:1", "TRACE: nat:PREROUTING:policy:2",
            "TRACE: mangle:FORWARD:policy:1", "TRACE: filter:FORWARD:rule:1", "TRACE: filter:DOCKER-USER:return:1",
            "TRACE: filter:FORWARD:rule:2", "TRACE: filter:DOCKER-ISOLATION:return:1", "TRACE: filter:FORWARD:rule:5",
            "TRACE: mangle:POSTROUTING:policy:1", "TRACE: nat:POSTROUTING:rule:1",
        ])
        // The reply arrives addressed to the host; conntrack undoes the masquerade before
        // routing, so it is forwarded to the container.
        let reply = try trace(ping(from: external, to: containerA, state: .established),
                              through: [(.prerouting, "eth0", nil), (.forward, "eth0", "docker0"), (.postrouting, nil, "docker0")])
        XCTAssertEqual(reply, [
            "TRACE: raw:PREROUTING:policy:2", "TRACE: mangle:PREROUTING:policy:1", "TRACE: mangle:FORWARD:policy:1",
            "TRACE: filter:FORWARD:rule:1", "TRACE: filter:DOCKER-USER:return:1", "TRACE: filter:FORWARD:rule:2",
            "TRACE: filter:DOCKER-ISOLATION:return:1", "TRACE: filter:FORWARD:rule:3", "TRACE: mangle:POSTROUTING:policy:1",
        ])
    }
}
