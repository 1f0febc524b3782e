import XCTest
@testable import Netfilter

/// `verdict flow` on the seed's host (rulesets/docker-17-seed) against the seed
/// document's own TRACE logs: three scenarios, request and reply each.
final class FlowTests: XCTestCase {
    static func seedSnapshot() throws -> HostSnapshot {
        try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/docker-17-seed").path)
    }

    /// An ICMP echo request.
    /// The seed's logs in order (2.1, 2.2, 3.1, 3.2, 4.1, 4.2), ebtables lines included.
    static func seedLogs() throws -> [[String]] {
        let text = try XCTUnwrap(Corpus.seedDocument, "../shared/seeds is not beside this clone")
        var logs: [[String]] = []
        var current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                if let log = current { if !log.isEmpty { logs.append(log) }; current = nil } else { current = [] }
                continue
            }
            if current != nil, trimmed.hasPrefix("TRACE:") {
                current?.append(trimmed)
            } else if current != nil, !trimmed.isEmpty {
                current = nil  // a listing, not a log
            }
        }
        return logs
    }

    func flow(from origin: PacketOrigin, _ source: IPv4Address?, _ destination: IPv4Address,
              snapshot: HostSnapshot? = nil) throws -> [[String]] {
        let path = HostPath(try snapshot ?? Self.seedSnapshot())
        let ping = Packet.echoRequest(source, destination)
        let packets = Flow.run(path, request: ping, from: origin)
        XCTAssertEqual(packets.map(\.direction), [.request, .reply])
        for packet in packets {
            XCTAssertEqual(packet.outcomes.count, 1, "every match is decidable on a snapshot")
            XCTAssertEqual(packet.outcomes.first?.verdictText, "ACCEPT")
        }
        return packets.map { $0.outcomes.first?.kernelLines(fromStart: false) ?? [] }
    }

    /// Section 2's logs show no mangle lines (the author kept only some): compared without.
    func withoutMangle(_ lines: [String]) -> [String] { lines.filter { !$0.hasPrefix("TRACE: mangle:") } }

    func testSeedScenariosLineForLine() throws {
        guard Corpus.seedDocument != nil else { throw XCTSkip("../shared/seeds is not beside this clone") }
        let logs = try Self.seedLogs()
        XCTAssertEqual(logs.count, 6, "the seed has six logs")
        let containerToContainer = try flow(from: .device("vethc1"), IPv4Address(192, 168, 0, 2), IPv4Address(192, 168, 0, 3))
        XCTAssertEqual(containerToContainer.map(withoutMangle), [logs[0], logs[1]])
        // The seed's host had not learned the container's MAC yet: it flooded the request
        // to both ports, so its ebtables OUTPUT and POSTROUTING lines come twice. With the
        // snapshot's forwarding entry the frame goes out of one port; without it, verdict
        // floods too and prints the seed's log exactly.
        let localToContainer = try flow(from: .local, nil, IPv4Address(192, 168, 0, 2))
        let ebtablesOut = ["TRACE: eb:nat:OUTPUT", "TRACE: eb:filter:OUTPUT", "TRACE: eb:nat:POSTROUTING"]
        XCTAssertEqual(localToContainer, [Array(logs[2].dropLast(3)), logs[3]])
        XCTAssertEqual(Array(logs[2].suffix(6)), ebtablesOut + ebtablesOut)
        var unlearned = try Self.seedSnapshot()
        unlearned.forwardingEntries.removeAll { $0.mac == MACAddress(0x0242_C0A8_0002) }
        // (The reply's port is then unknown too: it is not compared.)
        XCTAssertEqual(try flow(from: .local, nil, IPv4Address(192, 168, 0, 2), snapshot: unlearned).first, logs[2])
        let containerToExternal = try flow(from: .device("vethc1"), IPv4Address(192, 168, 0, 2), IPv4Address(8, 8, 8, 8))
        XCTAssertEqual(containerToExternal, [logs[4], logs[5]])
    }

    /// The path itself: bridged between ports, routed with masquerade, and the reply
    /// coming back through the bridge to the port it left by.
    func testPathsThroughTheSeedHost() throws {
        let path = HostPath(try Self.seedSnapshot())
        let ping = Packet.echoRequest(IPv4Address(192, 168, 0, 2), IPv4Address(8, 8, 8, 8))
        let packets = Flow.run(path, request: ping, from: .device("vethc1"))
        let request = try XCTUnwrap(packets.first?.outcomes.first)
        XCTAssertEqual(request.fate, .sent(device: "eth0"))
        XCTAssertEqual(request.packet.source, .v4(IPv4Address(10, 0, 2, 15)), "MASQUERADE to eth0's address")
        let reply = try XCTUnwrap(packets.last)
        XCTAssertEqual(reply.origin, .device("eth0"))
        XCTAssertEqual(reply.packet.destination, .v4(IPv4Address(10, 0, 2, 15)))
        let back = try XCTUnwrap(reply.outcomes.first)
        XCTAssertEqual(back.fate, .sent(device: "vethc1"), "the fdb sends the reply to the port it came from")
        XCTAssertEqual(back.packet.destination, .v4(IPv4Address(192, 168, 0, 2)), "the masquerade is undone")

        var bridged = ping
        bridged.destination = .v4(IPv4Address(192, 168, 0, 3))
        let between = try XCTUnwrap(path.run(bridged, from: .device("vethc1")).first)
        XCTAssertEqual(between.fate, .sent(device: "vethc2"))
        let hooks = between.events.compactMap { event -> String? in
            if case .hook(let hook, let inDevice, let outDevice, _, _) = event { return "\(hook.rawValue) \(inDevice ?? "-") \(outDevice ?? "-")" }
            return nil
        }
        XCTAssertEqual(hooks, ["PREROUTING docker0 -", "FORWARD docker0 docker0", "POSTROUTING - docker0"])
    }

    /// ip_forward off: a packet for another host is dropped after PREROUTING.
    func testForwardingOffDropsRoutedPackets() throws {
        var snapshot = try Self.seedSnapshot()
        snapshot.sysctls["net.ipv4.ip_forward"] = "0"
        var ping = Packet.echoRequest(IPv4Address(192, 168, 0, 2), IPv4Address(8, 8, 8, 8))
        ping.conntrackState = .new
        let outcome = try XCTUnwrap(HostPath(snapshot).run(ping, from: .device("vethc1")).first)
        XCTAssertEqual(outcome.fate, .dropped("net.ipv4.ip_forward is 0: not forwarded"))
    }

    /// The bundled kube-proxy snapshot: a NodePort connection goes to either endpoint with
    /// its share, masqueraded to the bridge's address; each reply comes back.
    func testKubeProxyNodePort() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/kube-proxy").path)
        var syn = Packet.tcp(IPv4Address(93, 184, 216, 34), 50000, IPv4Address(10, 0, 2, 15), 30080)
        syn.tcpFlags = 0x02
        let packets = Flow.run(HostPath(snapshot), request: syn, from: .device("eth0"))
        let request = try XCTUnwrap(packets.first)
        XCTAssertEqual(request.outcomes.map(\.probability), [0.5, 0.5])
        XCTAssertEqual(request.outcomes.map(\.packet.destination), [.v4(IPv4Address(172, 17, 0, 2)), .v4(IPv4Address(172, 17, 0, 3))])
        XCTAssertEqual(request.outcomes.map(\.packet.source), [.v4(IPv4Address(172, 17, 0, 1)), .v4(IPv4Address(172, 17, 0, 1))])
        XCTAssertEqual(request.outcomes.map(\.fate), [.sent(device: "vethc1"), .sent(device: "vethc2")])
        XCTAssertEqual(packets.dropFirst().map { $0.outcomes.first?.packet.destination }, [.v4(IPv4Address(93, 184, 216, 34)), .v4(IPv4Address(93, 184, 216, 34))])
    }

    /// The bundled Docker 27 snapshot (DOCKER-ISOLATION-STAGE-1/2): a container may not
    /// reach another bridge network but reaches the Internet.
    func testDocker27Isolation() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/docker-27").path)
        let ping = Packet.echoRequest(IPv4Address(172, 17, 0, 2), IPv4Address(93, 184, 216, 34))
        let outcome = try XCTUnwrap(HostPath(snapshot).run(ping, from: .device("vethc1")).first)
        XCTAssertEqual(outcome.fate, .sent(device: "eth0"))
        XCTAssert(outcome.kernelLines(fromStart: true).contains("TRACE: filter:DOCKER-ISOLATION-STAGE-2:return:2"), "\(outcome.kernelLines(fromStart: true))")
    }

    /// Routing decrements the TTL before FORWARD; a packet arriving with TTL 1 is not forwarded.
    func testForwardingDecrementsTheTTL() throws {
        let path = HostPath(try Self.seedSnapshot())
        var ping = Packet.echoRequest(IPv4Address(192, 168, 0, 2), IPv4Address(8, 8, 8, 8))
        ping.conntrackState = .new
        ping.ttl = 64
        XCTAssertEqual(try XCTUnwrap(path.run(ping, from: .device("vethc1")).first).packet.ttl, 63)
        ping.ttl = 1
        XCTAssertEqual(path.run(ping, from: .device("vethc1")).first?.fate, .dropped("TTL 1 expires here: ICMP time exceeded"))
        ping.destination = .v4(IPv4Address(192, 168, 0, 3))
        XCTAssertEqual(path.run(ping, from: .device("vethc1")).first?.packet.ttl, 1, "bridged: no routing, no decrement")
    }
}

/// What REJECT and closed ports send back, for both families.
final class AnswersTests: XCTestCase {
    func udp(_ family: Family) -> Packet {
        var packet = Packet(family: family)
        packet.protocol = IPProtocol.udp
        packet.source = family == .ipv6 ? IPAddress(parsing: Array("fd00::2".utf8), family: .ipv6) : .v4(IPv4Address(10, 0, 0, 2))
        packet.destination = family == .ipv6 ? IPAddress(parsing: Array("fd00::1".utf8), family: .ipv6) : .v4(IPv4Address(10, 0, 0, 1))
        packet.sourcePort = 40000
        packet.destinationPort = 53
        return packet
    }

    func testErrorsUseTheFamilysICMP() {
        let v4 = Answers.rejection(of: udp(.ipv4), with: "icmp-host-prohibited", source: udp(.ipv4).destination)
        XCTAssertEqual([v4.protocol, v4.icmpType, v4.icmpCode], [IPProtocol.icmp, 3, 10])
        XCTAssertEqual(v4.destination, udp(.ipv4).source)
        XCTAssertEqual(v4.conntrackState, .related)
        let v6 = Answers.rejection(of: udp(.ipv6), with: "icmp6-adm-prohibited", source: udp(.ipv6).destination)
        XCTAssertEqual([v6.protocol, v6.icmpType, v6.icmpCode], [IPProtocol.icmpv6, 1, 1])
        let closed = Answers.portUnreachable(of: udp(.ipv6))
        XCTAssertEqual([closed.icmpType, closed.icmpCode], [1, 4])
        let reset = Answers.reset(of: udp(.ipv4), state: .established)
        XCTAssertEqual(reset.sourcePort, 53)
        XCTAssertEqual(reset.destinationPort, 40000)
        XCTAssertEqual(reset.tcpFlags, 0x14)
    }

    /// An ip6tables REJECT rule is found in the IPv6 rules, and its answer is ICMPv6.
    func testIPv6RejectAnswers() throws {
        var snapshot = try FlowTests.seedSnapshot()
        let rules = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p udp -j REJECT --reject-with icmp6-adm-prohibited\nCOMMIT\n"
        let parsed = SaveParser.parse(rules, family: .ipv6)
        XCTAssertEqual(parsed.errors, [])
        snapshot.ipv6Ruleset = parsed.ruleset
        snapshot.interfaces[1].addresses.append(HostInterface.Address(address: try XCTUnwrap(udp(.ipv6).destination), prefixLength: 64))
        snapshot.routes.append(Route(type: "local", destination: try XCTUnwrap(Network(parsing: Array("fd00::1/128".utf8), family: .ipv6)),
                                     device: "eth0", table: "local"))
        var request = udp(.ipv6)
        request.conntrackState = .new
        let outcome = try XCTUnwrap(HostPath(snapshot).run(request, from: .device("eth0")).first)
        XCTAssertEqual(outcome.fate, .dropped("at INPUT: filter/INPUT rule 1 (REJECT)"))
        XCTAssertEqual(outcome.answer.map { [$0.protocol, $0.icmpType, $0.icmpCode] }, [IPProtocol.icmpv6, 1, 1])
        XCTAssertEqual(outcome.answer?.source, udp(.ipv6).destination)
    }
}
