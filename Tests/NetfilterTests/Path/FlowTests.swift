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
            if case .hook(let hook, let inDevice, let outDevice, _, _, _) = event {
                return "\(hook.rawValue) \(inDevice ?? "-") \(outDevice ?? "-")"
            }
            return nil
        }
        XCTAssertEqual(hooks, ["PREROUTING docker0 -", "FORWARD docker0 docker0", "POSTROUTING - docker0"])
    }

    /// ip_forward off: a packet for another host is dropped after PREROUTING.
    func testForwardingOffDropsRoutedPackets() throws {
        var snapshot = try Self.seedSnapshot()
        snapshot.sysctls["net.ipv4.ip_forward"] = "0"
        var ping = Packet.echoRequest(IPv4Address(192, 168, 0, 2), IPv4Address(8, 8, 8, 8))
        ping.conntrack.state = .new
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
        ping.conntrack.state = .new
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
        XCTAssertEqual(v4.conntrack.state, .related)
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
        request.conntrack.state = .new
        let outcome = try XCTUnwrap(HostPath(snapshot).run(request, from: .device("eth0")).first)
        XCTAssertEqual(outcome.fate, .dropped("at INPUT: filter/INPUT rule 1 (REJECT)"))
        XCTAssertEqual(outcome.answer.map { [$0.protocol, $0.icmpType, $0.icmpCode] }, [IPProtocol.icmpv6, 1, 1])
        XCTAssertEqual(outcome.answer?.source, udp(.ipv6).destination)
    }
}

/// Flows for classes of requests (regressions found by PacketClassPropertyTests), on a
/// small host: eth0 10.0.2.15/24 behind 10.0.2.2, lo; its rules given per test.
final class FlowClassTests: XCTestCase {
    static func address(_ text: String) throws -> IPAddress { .v4(try XCTUnwrap(IPv4Address(text))) }
    static func network(_ text: String) throws -> Network {
        try XCTUnwrap(Network(parsing: Array(text.utf8), family: .ipv4))
    }

    static func host(_ filter: String, listeners: [Listener]? = nil, tables: String = "") throws -> HostSnapshot {
        let rules = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n\(filter)COMMIT\n"
            + tables
        let parsed = SaveParser.parse(rules, family: .ipv4)
        XCTAssertEqual(parsed.errors, [])
        let local = try address("10.0.2.15")
        var snapshot = HostSnapshot(ruleset: parsed.ruleset, interfaces: [
            HostInterface(index: 1, name: "lo", kind: "loopback",
                          addresses: [.init(address: try address("127.0.0.1"), prefixLength: 8, scope: "host")]),
            HostInterface(index: 2, name: "eth0", addresses: [.init(address: local, prefixLength: 24)]),
        ], routes: [
            Route(type: "local", destination: try network("127.0.0.0/8"), device: "lo", table: "local",
                  preferredSource: try address("127.0.0.1")),
            Route(type: "local", destination: try network("10.0.2.15/32"), device: "eth0", table: "local",
                  preferredSource: local),
            Route(type: "broadcast", destination: try network("10.0.2.255/32"), device: "eth0", table: "local",
                  preferredSource: local),
            Route(destination: try network("10.0.2.0/24"), device: "eth0", preferredSource: local),
            Route(destination: try network("0.0.0.0/0"), gateway: try address("10.0.2.2"), device: "eth0"),
        ])
        snapshot.listeners = listeners
        return snapshot
    }

    /// Each answer of a flow (unmerged): its class of requests and what it says.
    func answers(_ snapshot: HostSnapshot, from origin: PacketOrigin = .device("eth0"),
                 _ description: String) throws -> [(packets: PacketCube?, text: String)] {
        var described = try PacketDescription.describe(description)
        described.assumeUnmarked()
        described.assumeReassembled()
        let flow = Flow.run(HostPath(snapshot), request: described.packet, packets: described.packets, from: origin)
        let request = try XCTUnwrap(flow.first)
        let rules = RuleBook(snapshot.ruleset)
        return FlowAnswers.answers(flow).map { answer in
            let conditions = PacketDescription.conditionText(answer.packets)
            return (answer.packets, FlowAnswerRenderer.verdictWord(answer.request) + " "
                        + FlowAnswerRenderer.outcomeText(answer, request: request, rules: rules)
                        + (conditions.isEmpty ? "" : " " + conditions))
        }
    }

    /// The answers whose class has a value of a field, those of sources in 127.0.0.0/8 aside
    /// (martians from eth0, dropped by the routing decision: `testMartianSourcesAreDropped`).
    func texts(_ answers: [(packets: PacketCube?, text: String)], _ field: PacketField,
               _ value: UInt128) -> Set<String> {
        Set(answers.filter { $0.packets?[field]?.contains(value) ?? true }.filter { !Self.isMartian($0.packets) }
            .map(\.text))
    }

    /// Whether a class's sources are all in 127.0.0.0/8.
    static func isMartian(_ cube: PacketCube?) -> Bool {
        guard case .intervals(let sources)? = cube?[.source] else { return false }
        return sources.isSubset(of: IntervalSet(0x7F00_0000, 0x7FFF_FFFF))
    }

    /// A packet from eth0 with a loopback source is a martian: the routing decision drops it
    /// (route_localnet is 0), after PREROUTING's DNAT; the others of the class go on.
    func testMartianSourcesAreDropped() throws {
        let snapshot = try Self.host("")
        let found = try answers(snapshot, "tcp * -> 10.0.2.15:22")
        XCTAssertEqual(Set(found.filter { Self.isMartian($0.packets) }.map(\.text)),
                       ["DROP martian source: 127.0.0.0/8 received on eth0, whose route_localnet is 0"])
        XCTAssertEqual(texts(found, .destinationPort, 22),
                       ["ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); reply ACCEPT"])
    }

    /// The host resets the requests of a class that no socket takes, and only those.
    func testClosedPortsOfAClassAreAnsweredWithResets() throws {
        let snapshot = try Self.host("", listeners: [Listener(protocol: IPProtocol.tcp, address: nil, port: 22)])
        let found = try answers(snapshot, "tcp * -> 10.0.2.15:22,23")
        XCTAssertEqual(texts(found, .destinationPort, 22),
                       ["ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); reply ACCEPT"])
        XCTAssertEqual(texts(found, .destinationPort, 23), [
            "ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); answered with a TCP reset: ACCEPT",
        ])
    }

    /// A reply whose destination conntrack gives back (the SNAT undone) is bridged when it
    /// is behind the same bridge; for the sources behind the port the reply came in by, the
    /// bridge drops it (kernel-checked: conformance fixture bridged-dnat-back-to-the-sender).
    /// A class of sources is split the same way.
    func testRepliesUnNATedBackBehindTheirInPortAreDroppedForTheirPartOfAClass() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository
            .appendingPathComponent("Tests/Fixtures/conformance/bridged-dnat-back-to-the-sender").path)
        let found = try answers(snapshot, from: .device("vethc2"), "icmp 172.17.0.0/24 -> 8.8.8.8 type 8")
        let hairpin = "ACCEPT DNAT 172.17.0.2 (nat/PREROUTING:2), MASQUERADE 172.17.0.1 (nat/POSTROUTING:5), "
            + "accepted by filter/FORWARD policy, out vethc1; reply DROP (the bridge does not send a frame back out "
            + "of the port it came in by (vethc1))"
        let routed = "ACCEPT DNAT 172.17.0.2 (nat/PREROUTING:2), MASQUERADE 172.17.0.1 (nat/POSTROUTING:5), "
            + "accepted by filter/FORWARD policy, out vethc1; reply ACCEPT"
        XCTAssertEqual(texts(found, .source, RuleSpace.value(of: .v4(IPv4Address(172, 17, 0, 2)))), [hairpin])
        XCTAssertEqual(texts(found, .source, RuleSpace.value(of: .v4(IPv4Address(172, 17, 0, 9)))), [routed])
    }

    /// A class part whose source a rule pinned to one address was not NATed: its reply has no
    /// binding to undo and is bridged as the concrete packet's is.
    func testAPinnedSourceIsNotASourceNAT() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository
            .appendingPathComponent("Tests/Fixtures/conformance/untracked-reply-not-un-natted").path)
        let found = try answers(snapshot, from: .device("vethc2"), "udp * -> 172.17.0.2")
        let pinned = texts(found, .source, RuleSpace.value(of: .v4(IPv4Address(172, 17, 0, 2))))
        let concrete = try answers(snapshot, from: .device("vethc2"), "udp 172.17.0.2:50000 -> 172.17.0.2:80")
        XCTAssertEqual(pinned, Set(concrete.map(\.text)))
        XCTAssertFalse(pinned.contains { $0.contains("back out of the port") }, "\(pinned)")
    }

    /// A match the algebra cannot express is a condition of the packet it reads: the reply's
    /// TOS is not the request's, so its condition is named for the reply, and a request
    /// whose TOS is 0x10 may get a reply whose TOS is not.
    func testConditionsOfTheReplyAreNamedForIt() throws {
        let snapshot = try Self.host("-A INPUT -m tos --tos 0x10/0xff -j LOG\n-A OUTPUT -m tos --tos 0x10/0xff -j DROP\n")
        let found = try answers(snapshot, "tcp 8.8.8.8 -> 10.0.2.15:22")
        let texts = Set(found.map(\.text))
        XCTAssert(texts.contains { $0.contains("reply DROP") && $0.contains("when [-m tos --tos 0x10/0xff [reply]]") },
                  "\(texts)")
        XCTAssert(texts.contains { $0.contains("reply ACCEPT") && $0.contains("when [-m tos --tos 0x10/0xff]")
                                   && $0.contains("unless [-m tos --tos 0x10/0xff [reply]]") }, "\(texts)")
    }

    /// A connection mark the description gives as a set is kept for NEW requests (not 0).
    func testAGivenConnectionMarkSetIsKept() throws {
        let snapshot = try Self.host("-A INPUT -m connmark --mark 0x1/0x1 -j DROP\n")
        XCTAssertEqual(texts(try answers(snapshot, "tcp * -> 10.0.2.15:22 connmark 0x1/0x1"), .destinationPort, 22),
                       ["DROP dropped by filter/INPUT:1"])
    }

    /// The reply's connection mark is the request's as the request's walk changed it: a
    /// CONNMARK that keeps some bits of an open mark, then a rule on the reply testing a
    /// kept bit, splits the requests by their connection mark (each request in one class).
    func testTheReplysConnectionMarkIsTheRequestsAfterItsWalk() throws {
        let rules = "-A INPUT -j CONNMARK --set-xmark 0x1/0x1\n-A OUTPUT -m connmark --mark 0x2/0x2 -j DROP\n"
        let snapshot = try Self.host(rules,
                                     listeners: [Listener(protocol: IPProtocol.tcp, address: nil, port: 22)])
        let found = try answers(snapshot, "tcp 8.8.8.8 -> 10.0.2.15:22 ctstate ESTABLISHED")
        let local = "ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); reply "
        XCTAssertEqual(texts(found, .connmark, 0x2), [local + "DROP (dropped by filter/OUTPUT:1)"])
        XCTAssertEqual(texts(found, .connmark, 0x3), [local + "DROP (dropped by filter/OUTPUT:1)"])
        XCTAssertEqual(texts(found, .connmark, 0x0), [local + "ACCEPT"])
        XCTAssertEqual(texts(found, .connmark, 0x5), [local + "ACCEPT"])
    }

    /// A reply has its request's protocol: a TCP request is not paired with what happens to
    /// UDP replies.
    func testRepliesKeepTheRequestsProtocol() throws {
        let snapshot = try Self.host("-A OUTPUT -p udp -j DROP\n")
        let found = try answers(snapshot, "all * -> 10.0.2.15")
        let local = "ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); reply "
        XCTAssertEqual(texts(found, .protocol, UInt128(IPProtocol.udp)), [local + "DROP (dropped by filter/OUTPUT:1)"])
        XCTAssertEqual(texts(found, .protocol, UInt128(IPProtocol.tcp)), [local + "ACCEPT"])
        XCTAssertEqual(texts(found, .protocol, 47), [local + "ACCEPT"])
    }

    /// An echo request is answered with an echo reply; other ICMP requests with their own type.
    func testEchoRequestsGetEchoReplies() throws {
        let snapshot = try Self.host("-A OUTPUT -p icmp -m icmp --icmp-type echo-reply -j DROP\n")
        let found = try answers(snapshot, "icmp * -> 10.0.2.15")
        let local = "ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); reply "
        XCTAssertEqual(texts(found, .icmp, 8 << 8), [local + "DROP (dropped by filter/OUTPUT:1)"])
        XCTAssertEqual(texts(found, .icmp, 13 << 8), [local + "ACCEPT"])
    }

    /// The link-layer type follows from the destination (a broadcast address, multicast):
    /// a class with open destinations is split by it, not left to a condition.
    func testPacketTypeFollowsTheDestination() throws {
        let snapshot = try Self.host("-A INPUT -m pkttype --pkt-type broadcast -j DROP\n")
        let found = try answers(snapshot, "udp 8.8.8.8 -> 10.0.2.0/24")
        XCTAssertEqual(texts(found, .destination, RuleSpace.value(of: try Self.address("10.0.2.255"))),
                       ["DROP dropped by filter/INPUT:1"])
        XCTAssertEqual(texts(found, .destination, RuleSpace.value(of: try Self.address("10.0.2.15"))),
                       ["ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); reply ACCEPT"])
    }

    /// Among several states, the NEW requests start a connection (its direction and tuple
    /// are known), as a request described NEW does.
    func testNewRequestsAmongOtherStatesStartAConnection() throws {
        let snapshot = try Self.host("-A INPUT -m conntrack --ctstate NEW --ctdir ORIGINAL -j DROP\n")
        let found = try answers(snapshot, "tcp * -> 10.0.2.15:22 ctstate NEW,ESTABLISHED")
        let state = { (value: ConntrackStateValue) in UInt128(value.rawValue) }
        XCTAssertEqual(texts(found, .state, state(.new)), ["DROP dropped by filter/INPUT:1"])
        XCTAssertEqual(texts(found, .state, state(.established)),
                       ["ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); reply ACCEPT"])
    }

    /// A connection's original tuple is what its first packet arrived with: for a class of
    /// NEW requests (and their replies) --ctorigdst is decided by the arrival destination,
    /// whatever DNAT did since, never left to a condition (whose other side no packet takes).
    func testOriginalTupleIsTheArrivalValues() throws {
        let nat = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + ":POSTROUTING ACCEPT [0:0]\n-A PREROUTING -d 93.184.216.0/24 -j DNAT --to-destination 10.0.2.20\nCOMMIT\n"
        let snapshot = try Self.host("-A FORWARD -m conntrack --ctstate ESTABLISHED --ctdir REPLY"
                                     + " --ctorigdst 93.184.216.0/24 -j DROP\n"
                                     + "-A FORWARD -m conntrack --ctstate NEW --ctorigdst 93.184.216.0/24 -j ACCEPT\n"
                                     + "-A FORWARD -m conntrack --ctstate NEW -j DROP\n", tables: nat)
        let found = try answers(snapshot, "tcp 8.8.8.8 -> 93.184.216.0/23:80")
        XCTAssertEqual(texts(found, .destination, RuleSpace.value(of: try Self.address("93.184.216.34"))), [
            "ACCEPT DNAT 10.0.2.20 (nat/PREROUTING:1), accepted by filter/FORWARD:2, out eth0; "
                + "reply DROP (dropped by filter/FORWARD:1)",
        ])
        XCTAssertEqual(texts(found, .destination, RuleSpace.value(of: try Self.address("93.184.217.34"))),
                       ["DROP dropped by filter/FORWARD:3"])
        XCTAssertEqual(found.filter { $0.packets?.conditions.isEmpty == false }.map(\.text), [])
    }

    /// A local process's packet gets its route's preferred source (ip_route_output_key):
    /// 127.0.0.1 toward any loopback address, the device's toward its broadcast address.
    func testLocalProcessesTakeTheRoutesPreferredSource() throws {
        let path = HostPath(try Self.host(""))
        XCTAssertEqual(path.defaultSource(toward: try Self.address("127.0.0.5")), try Self.address("127.0.0.1"))
        XCTAssertEqual(path.defaultSource(toward: try Self.address("10.0.2.255")), try Self.address("10.0.2.15"))
        XCTAssertEqual(path.defaultSource(toward: try Self.address("10.0.2.15")), try Self.address("10.0.2.15"))
        XCTAssertEqual(path.defaultSource(toward: try Self.address("8.8.8.8")), try Self.address("10.0.2.15"))
    }

    /// A NEW request's connection has its arrival addresses as its tuple, also those a rule
    /// pins later: pinning the source does not make the request look source-NATed.
    func testPinnedFieldsAreTheConnectionsTupleToo() throws {
        let snapshot = try Self.host("-A INPUT -s 93.184.216.34/32 -j LOG\n"
                                     + "-A INPUT -m conntrack --ctstate SNAT -j DROP\n")
        XCTAssertEqual(Set(try answers(snapshot, "tcp 93.184.216.34,8.8.8.8 -> 10.0.2.15:22").map(\.text)),
                       ["ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); reply ACCEPT"])
    }

    /// A request outcome may stand for several classes (parts with one probability travel
    /// together): what comes back for one is never paired with another. Here an INVALID
    /// request gets one answer, without the condition only ESTABLISHED requests met.
    func testRepliesAnswerTheirOwnPartOfAnOutcome() throws {
        let snapshot = try Self.host("-A INPUT -m conntrack --ctstate ESTABLISHED -m length --length 28 -j LOG\n")
        let found = try answers(snapshot, "tcp 8.8.8.8 -> 10.0.2.15:22 ctstate INVALID,ESTABLISHED")
        let invalid = UInt128(ConntrackStateValue.invalid.rawValue)
        XCTAssertEqual(Set(found.filter { $0.packets?[.state]?.contains(invalid) ?? true }.map(\.text)),
                       ["ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); reply ACCEPT"])
    }

    /// REJECT's reset answers a segment with ACK with RST, others with RST,ACK; an untracked
    /// packet's answer belongs to no connection (INVALID), a tracked one's is RELATED.
    func testAnswersFollowTheFlagsAndStateOfTheirPart() throws {
        let snapshot = try Self.host("-A INPUT -p tcp -j REJECT --reject-with tcp-reset\n")
        var described = try PacketDescription.describe("tcp 8.8.8.8 -> 10.0.2.15:22 ctstate ESTABLISHED,UNTRACKED")
        described.assumeUnmarked()
        described.assumeReassembled()
        let flow = Flow.run(HostPath(snapshot), request: described.packet, packets: described.packets,
                            from: .device("eth0"))
        let resets = flow.dropFirst().map(\.packet)
        XCTAssertEqual(Set(resets.compactMap(\.tcpFlags)), [0x04, 0x14])
        XCTAssertEqual(Set(resets.compactMap(\.conntrack.state)), [.related, .invalid])
    }

    /// A later fragment carries no port: no socket takes it, whatever the class's ports.
    func testNoSocketTakesALaterFragment() throws {
        let snapshot = try Self.host("", listeners: [Listener(protocol: IPProtocol.tcp, address: nil, port: 22)])
        XCTAssertEqual(Set(try answers(snapshot, "tcp 8.8.8.8 -> 10.0.2.15 fragment").map(\.text)), [
            "ACCEPT accepted by filter/INPUT policy, delivered locally (in on eth0); answered with a TCP reset: ACCEPT",
        ])
    }

    /// A closed port's ICMP error comes from the request's destination: for a class of
    /// destinations, each error has its own request's.
    func testClosedPortErrorsComeFromTheirRequestsDestination() throws {
        let snapshot = try Self.host("-A OUTPUT -s 127.0.0.2/32 -p icmp -j DROP\n", listeners: [])
        let found = try answers(snapshot, from: .local, "udp 127.0.0.1 -> 127.0.0.1-127.0.0.3:9")
        let delivered = "ACCEPT accepted by filter/INPUT policy, delivered locally (in on lo); "
            + "answered with ICMP port-unreachable: "
        XCTAssertEqual(texts(found, .destination, RuleSpace.value(of: try Self.address("127.0.0.2"))),
                       [delivered + "DROP (dropped by filter/OUTPUT:1)"])
        XCTAssertEqual(texts(found, .destination, RuleSpace.value(of: try Self.address("127.0.0.3"))),
                       [delivered + "ACCEPT"])
    }

    /// An ICMP error answers its own part of an outcome: the request's destination goes along
    /// (as a tag on the error's source), so the error for one destination is not paired with
    /// the requests to another.
    func testErrorsAnswerTheirOwnPartOfAnOutcome() throws {
        let snapshot = try Self.host("-A FORWARD -d 8.8.8.8/32 -m length --length 28 -j LOG\n-A FORWARD -j REJECT\n")
        let found = try answers(snapshot, "udp 10.0.2.7 -> 8.8.0.0/16:53")
        XCTAssertEqual(texts(found, .destination, RuleSpace.value(of: try Self.address("8.8.4.4"))), [
            "REJECT rejected by filter/FORWARD:2 (icmp-port-unreachable); answered with ICMP port-unreachable: ACCEPT",
        ])
    }

    /// Without ip-route.json (routes from the addresses' subnets only), a reply to a source
    /// beyond them has no route: the class and each of its packets must say so in the same
    /// words, or the class's witness is not confirmed (found by Scripts/fuzz: "no route" for
    /// the class, "no route to 203.0.113.5" for its witness).
    func testAClassWithoutARouteBackIsConfirmedByItsWitness() throws {
        let folder = Corpus.repository.appendingPathComponent("rulesets/docker-default").path
        let snapshot = try HostSnapshot.load(folder) { path in
            guard !path.hasSuffix("/" + HostSnapshot.File.routes) else { return nil }
            return FileManager.default.contents(atPath: path).map { [UInt8]($0) }
        }
        XCTAssert(snapshot.notes.contains { $0.hasPrefix("no ip-route.json") })
        let path = HostPath(snapshot)
        var described = try PacketDescription.describe("tcp * -> 10.0.2.15:8080")
        described.assumeUnmarked()
        described.assumeReassembled()
        let flow = Flow.run(path, request: described.packet, packets: described.packets, from: .device("eth0"))
        let request = try XCTUnwrap(flow.first)
        let rules = RuleBook(snapshot.ruleset)
        let key = { (answer: FlowAnswer) in
            FlowAnswerRenderer.verdictWord(answer.request) + " "
                + FlowAnswerRenderer.outcomeText(answer, request: request, rules: rules)
        }
        let answers = FlowAnswers.merged(FlowAnswers.answers(flow), key: key)
        XCTAssert(answers.contains { key($0).contains("no route") })
        // ip-route6.json alone gives no IPv4 routes: those the addresses imply route the
        // request (and addrtype finds the host's address LOCAL, so Docker's DNAT applies).
        XCTAssert(answers.contains { key($0).contains("DNAT 172.17.0.2:80") })
        let checked = FlowAnswers.witnesses(answers, request: request, interfaceNames: ["eth0", "docker0"], key: key) {
            Flow.run(path, request: $0, from: .device("eth0"))
        }
        XCTAssertEqual(checked.filter { $0.confirmed != true }.map(key), [])
    }
}
