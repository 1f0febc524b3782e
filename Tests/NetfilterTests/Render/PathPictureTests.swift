import XCTest
@testable import Netfilter

/// `verdict flow --format svg` on the seed's three scenarios and Docker's published port:
/// a box per hook in the kernel's order, the tables in priority order, the journeys of
/// the request and the reply, the deciding rules, the NAT on the tracks, the fates.
final class PathPictureTests: XCTestCase {
    static func snapshot(_ name: String) throws -> HostSnapshot {
        try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/\(name)").path)
    }

    func flow(_ snapshot: HostSnapshot, _ packet: Packet, from origin: PacketOrigin) -> [FlowPacket] {
        Flow.run(HostPath(snapshot), request: packet, from: origin)
    }

    func picture(_ name: String, _ packet: Packet, from origin: PacketOrigin) throws -> (svg: String, root: SVGElement) {
        let snapshot = try Self.snapshot(name)
        let svg = PathPictureRenderer.svg(flow(snapshot, packet, from: origin), snapshot: snapshot)
        try assertSelfContained(svg)
        return (svg, try SVGElement.parse(svg))
    }

    let containerA = IPv4Address(192, 168, 0, 2)
    let containerB = IPv4Address(192, 168, 0, 3)

    func frame(_ root: SVGElement, _ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> (x: Double, y: Double, width: Double, height: Double) {
        try XCTUnwrap(root.group(id: id)?.frame, "a box \(id)", file: file, line: line)
    }

    func testEveryHookHasABoxInTheKernelsOrder() throws {
        let (_, root) = try picture("docker-17-seed", .echoRequest(containerA, containerB), from: .device("vethc1"))
        // The IP layer: PREROUTING, the routing decision, FORWARD, POSTROUTING left to
        // right; INPUT above the decision, OUTPUT above POSTROUTING, the local process
        // between them.
        let pre = try frame(root, "ip-PREROUTING"), routing = try frame(root, "routing"), forward = try frame(root, "ip-FORWARD")
        let post = try frame(root, "ip-POSTROUTING"), input = try frame(root, "ip-INPUT"), output = try frame(root, "ip-OUTPUT")
        let local = try frame(root, "local-process")
        XCTAssertLessThan(pre.x, routing.x)
        XCTAssertLessThan(routing.x, forward.x)
        XCTAssertLessThan(forward.x, post.x)
        XCTAssertLessThan(input.y + input.height, routing.y, "INPUT above the routing decision")
        XCTAssertLessThan(output.y + output.height, post.y, "OUTPUT above POSTROUTING")
        XCTAssert(input.x < local.x && local.x < output.x)
        // The bridge layer below it, in br_input.c / br_forward.c order.
        let bridgeRow = ["in-bridge", "eb-BROUTING", "eb-PREROUTING", "brnf-PREROUTING", "bridging", "eb-FORWARD", "brnf-FORWARD",
                         "eb-POSTROUTING", "brnf-POSTROUTING", "out-bridge"]
        let xs = try bridgeRow.map { try frame(root, $0).x }
        XCTAssertEqual(xs, xs.sorted(), "bridge hooks left to right in the kernel's order")
        XCTAssertGreaterThan(try frame(root, "eb-BROUTING").y, pre.y + pre.height, "the bridge layer below the IP layer")
        // Tables inside the boxes in priority order (iptable_*.c priorities; source NAT last at INPUT).
        let tableNames: Set<String> = ["raw", "mangle", "nat", "filter", "security"]
        func tables(_ id: String) -> [String] { (root.group(id: id)?.texts ?? []).filter { tableNames.contains($0) } }
        XCTAssertEqual(tables("ip-PREROUTING"), ["raw", "mangle", "nat"])
        XCTAssertEqual(tables("ip-INPUT"), ["mangle", "filter", "nat"])
        XCTAssertEqual(tables("ip-OUTPUT"), ["raw", "mangle", "nat", "filter"])
        XCTAssertEqual(tables("ip-POSTROUTING"), ["mangle", "nat"])
        XCTAssertEqual(tables("brnf-FORWARD"), ["mangle", "filter"])
        XCTAssertEqual(root.group(id: "eb-OUTPUT")?.texts.filter { ["nat", "filter"].contains($0) }, ["nat", "filter"], "legacy ebtables: nat OUTPUT first")
    }

    func testContainerToContainerIsBridgedBothWays() throws {
        let (_, root) = try picture("docker-17-seed", .echoRequest(containerA, containerB), from: .device("vethc1"))
        // Both journeys drawn, each with its own colour and line.
        let request = try XCTUnwrap(root.all.first { $0.attributes["class"] == "path-request" })
        let reply = try XCTUnwrap(root.all.first { $0.attributes["class"] == "path-reply" })
        XCTAssertEqual(request.elements("path").count, 9, "entry, 8 hooks and decisions, exit: 9 tracks")
        XCTAssertEqual(reply.elements("path").count, 9)
        XCTAssert(reply.elements("path").allSatisfy { $0.attributes["stroke-dasharray"] != nil }, "the reply is dashed")
        XCTAssertNotEqual(request.elements("path").first?.attributes["stroke"], reply.elements("path").first?.attributes["stroke"])
        // What decided in the br_netfilter FORWARD (the seed's filter:FORWARD:rule:6 and rule:3).
        let forward = try XCTUnwrap(root.group(id: "brnf-FORWARD"))
        XCTAssertEqual(forward.attributes["class"], "station visited")
        XCTAssert(forward.joinedText.contains("FORWARD #6 ACCEPT -i docker0 -o docker0"), forward.joinedText)
        XCTAssert(forward.joinedText.contains("FORWARD #3 ACCEPT -o docker0 --ctstate RELATED,ESTABLISHED"), forward.joinedText)
        XCTAssert(forward.joinedText.contains("via DOCKER-USER › DOCKER-ISOLATION › DOCKER"), "the chains visited: \(forward.joinedText)")
        XCTAssert(try XCTUnwrap(root.group(id: "bridging")).joinedText.contains("from port vethc1 to port vethc2"))
        XCTAssert(try XCTUnwrap(root.group(id: "eb-BROUTING")).joinedText.contains("BROUTING #1 ACCEPT"))
        XCTAssert(try XCTUnwrap(root.group(id: "brnf-POSTROUTING")).joinedText.contains("skipped: ESTABLISHED"), "nat sees first packets only")
        // The IP layer's own hooks stay grey: the frames never left the bridge.
        for id in ["ip-PREROUTING", "ip-FORWARD", "ip-POSTROUTING", "ip-INPUT", "routing"] {
            XCTAssertEqual(root.group(id: id)?.attributes["class"], "station grey", id)
        }
        XCTAssert(root.joinedText.contains("ACCEPT: sent out of vethc2"), "the request's fate")
        XCTAssert(root.joinedText.contains("ACCEPT: sent out of vethc1"), "the reply's fate")
    }

    func testContainerToExternalShowsTheMasqueradeAndItsUndoing() throws {
        let (_, root) = try picture("docker-17-seed", .echoRequest(containerA, IPv4Address(8, 8, 8, 8)), from: .device("vethc1"))
        let labels = root.all.filter { $0.attributes["class"] == "nat" }.map(\.text)
        XCTAssertEqual(labels.sorted(), ["masquerade → 10.0.2.15", "undo snat: dst → 192.168.0.2"])
        // The request goes up from the bridge to the routing decision; the reply comes in
        // on eth0 and goes down into the bridge through ebtables OUTPUT (the seed's 4.2 log).
        XCTAssertEqual(root.group(id: "eb-INPUT")?.attributes["class"], "station visited")
        let ebOutput = try XCTUnwrap(root.group(id: "eb-OUTPUT"))
        XCTAssert(ebOutput.joinedText.contains("OUTPUT #1 ACCEPT"), ebOutput.joinedText)
        XCTAssert(try XCTUnwrap(root.group(id: "ip-POSTROUTING")).joinedText.contains("POSTROUTING #1 MASQUERADE -s 192.168.0.0/20 ! -o docker0"))
        XCTAssert(try XCTUnwrap(root.group(id: "routing")).joinedText.contains("out of eth0 via 10.0.2.2"))
        XCTAssert(root.joinedText.contains("after NAT: 10.0.2.15 > 8.8.8.8"))
    }

    func testLocalProcessToContainer() throws {
        let (_, root) = try picture("docker-17-seed", .echoRequest(nil, containerA), from: .local)
        let local = try XCTUnwrap(root.group(id: "local-process"))
        XCTAssert(local.joinedText.contains("sends 192.168.0.1 > 192.168.0.2"), local.joinedText)
        XCTAssert(local.joinedText.contains("delivered (in on docker0)"), "the reply comes back to the process")
        XCTAssertEqual(root.group(id: "local-routing")?.attributes["class"], "station visited")
        XCTAssertEqual(root.group(id: "ip-OUTPUT")?.attributes["class"], "station visited")
        XCTAssertEqual(root.group(id: "ip-FORWARD")?.attributes["class"], "station grey")
    }

    func testPublishedPortWithoutEbtablesRules() throws {
        var packet = Packet.tcp(IPv4Address(93, 184, 216, 34), 50000, IPv4Address(10, 0, 2, 15), 8080)
        packet.tcpFlags = 0x02
        let (_, root) = try picture("docker-default", packet, from: .device("eth0"))
        let labels = root.all.filter { $0.attributes["class"] == "nat" }.map(\.text)
        XCTAssertEqual(labels.sorted(), ["dnat → 172.17.0.2:80", "undo dnat: src → 10.0.2.15:8080"])
        let pre = try XCTUnwrap(root.group(id: "ip-PREROUTING"))
        XCTAssert(pre.joinedText.contains("DOCKER #2 DNAT ! -i docker0 -p tcp --dport 8080"), pre.joinedText)
        let forward = try XCTUnwrap(root.group(id: "ip-FORWARD"))
        XCTAssert(forward.joinedText.contains("DOCKER #1 ACCEPT -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp"), forward.joinedText)
        // No ebtables rules: the bridge hooks are passed, and say so.
        let ebOutput = try XCTUnwrap(root.group(id: "eb-OUTPUT"))
        XCTAssert(ebOutput.joinedText.contains("no ebtables rules") && ebOutput.joinedText.contains("passed"), ebOutput.joinedText)
        XCTAssertEqual(root.group(id: "eb-FORWARD")?.attributes["class"], "station grey")
    }

    func testADropIsMarkedWhereItHappens() throws {
        var packet = Packet.tcp(IPv4Address(93, 184, 216, 34), 40000, IPv4Address(172, 17, 0, 2), 80)
        packet.tcpFlags = 0x02
        let (_, root) = try picture("docker-default", packet, from: .device("eth0"))
        let pre = try XCTUnwrap(root.group(id: "ip-PREROUTING"))
        XCTAssert(pre.texts.contains("DROP"), pre.joinedText)
        XCTAssert(pre.joinedText.contains("PREROUTING #1 DROP -d 172.17.0.2/32 ! -i docker0"), pre.joinedText)
        XCTAssert(pre.joinedText.contains("not reached"), "nat comes after the drop")
        XCTAssert(root.joinedText.contains("DROP at PREROUTING: raw/PREROUTING rule 1 (DROP)"))
        XCTAssertNil(root.all.first { $0.attributes["class"] == "path-reply" }, "a dropped request has no reply")
        XCTAssertEqual(root.group(id: "routing")?.attributes["class"], "station grey")
    }

    func testRoutesFollowTheDiagramsTracks() throws {
        let snapshot = try Self.snapshot("docker-default")
        var packet = Packet.tcp(IPv4Address(93, 184, 216, 34), 50000, IPv4Address(10, 0, 2, 15), 8080)
        packet.tcpFlags = 0x02
        let packets = flow(snapshot, packet, from: .device("eth0"))
        let ports = ["vethc1": "docker0", "vethc2": "docker0"]
        let request = PacketRoute(packets[0], outcome: packets[0].outcomes[0], bridgePorts: ports)
        XCTAssertEqual(request.visits.map(\.station), [.entry(.ip), .ipHook(.prerouting), .routing, .ipHook(.forward), .ipHook(.postrouting),
                                                       .bridgeHook("OUTPUT"), .bridgeHook("POSTROUTING"), .exit(.bridge)])
        XCTAssertEqual(request.visits.filter(\.implied).map(\.station), [.bridgeHook("OUTPUT"), .bridgeHook("POSTROUTING")],
                       "hooks without rules filled in")
        let reply = PacketRoute(packets[1], outcome: packets[1].outcomes[0], bridgePorts: ports)
        XCTAssertEqual(reply.visits.map(\.station), [.entry(.bridge), .bridgeHook("BROUTING"), .bridgeHook("PREROUTING"), .bridgedHook(.prerouting),
                                                     .bridging, .bridgeHook("INPUT"), .routing, .ipHook(.forward), .ipHook(.postrouting), .exit(.ip)])
        for route in [request, reply] {
            for (a, b) in zip(route.visits, route.visits.dropFirst()) {
                XCTAssert(FlowTracks.connects(a.station, b.station), "\(a.station) → \(b.station) is a track")
            }
        }
    }

    func testBoxesDoNotOverlapAndTheirTextFits() throws {
        let snapshot = try Self.snapshot("docker-17-seed")
        let ports = ["vethc1": "docker0", "vethc2": "docker0"]
        for (packet, origin) in [(Packet.echoRequest(containerA, containerB), PacketOrigin.device("vethc1")),
                                 (.echoRequest(containerA, IPv4Address(8, 8, 8, 8)), .device("vethc1")), (.echoRequest(nil, containerA), .local)] {
            let packets = flow(snapshot, packet, from: origin)
            let panels = PathPictureRenderer.panels(packets, bridgePorts: ports)
            XCTAssertEqual(panels.count, 1)
            let context = FlowDiagram.Context(ruleset: snapshot.ruleset, ebtables: snapshot.ebtables, showsBridge: true)
            var diagram = FlowDiagram(routes: panels[0].routes, packets: panels[0].packets, context: context)
            diagram.layout(top: 100)
            let boxes = Array(diagram.boxes.values)
            for (index, box) in boxes.enumerated() {
                for line in box.lines {
                    let needed = TextMetrics.width(line.text) + (line.packet != nil ? BoxLine.indent : 0) + StationBox.padding
                    XCTAssertLessThanOrEqual(needed, box.frame.width, "\(line.text) fits \(box.title)")
                }
                XCTAssertLessThanOrEqual(StationBox.titleHeight + Double(box.lines.count) * TextMetrics.lineHeight, box.frame.height)
                for other in boxes[(index + 1)...] {
                    XCTAssertFalse(box.frame.intersects(other.frame), "\(box.title) and \(other.title) overlap")
                }
            }
            // Every track a packet takes has a drawing.
            for route in panels[0].routes.compactMap({ $0 }) {
                for (a, b) in zip(route.visits, route.visits.dropFirst()) {
                    XCTAssertNotNil(diagram.track(from: a.station, to: b.station), "\(a.station) → \(b.station)")
                }
            }
        }
    }

    func testUndecidableOutcomesGetADiagramEach() throws {
        var snapshot = try Self.snapshot("docker-17-seed")
        let rules = SavePrinter.print(snapshot.ruleset).replacingOccurrences(
            of: "-A FORWARD -j DOCKER-USER\n", with: "-A FORWARD -m statistic --mode random --probability 0.25 -j DROP\n-A FORWARD -j DOCKER-USER\n")
        let parsed = SaveParser.parse(rules, family: .ipv4)
        XCTAssertEqual(parsed.diagnostics, [])
        snapshot.ruleset = parsed.ruleset
        let svg = PathPictureRenderer.svg(flow(snapshot, .echoRequest(containerA, containerB), from: .device("vethc1")), snapshot: snapshot)
        try assertSelfContained(svg)
        let root = try SVGElement.parse(svg)
        XCTAssertEqual(root.all.filter { $0.attributes["class"] == "panel" }.count, 2)
        XCTAssert(root.texts.contains { $0.hasPrefix("outcome 1 of 2 (probability 25%)") }, root.texts.joined(separator: "\n"))
        XCTAssert(root.texts.contains { $0.hasPrefix("outcome 2 of 2 (probability 75%)") })
        XCTAssertEqual(root.all.filter { $0.attributes["class"] == "path-reply" }.count, 1, "only the accepted outcome has a reply")
        XCTAssertEqual(PathPictureRenderer.svg(flow(snapshot, .echoRequest(containerA, containerB), from: .device("vethc1")), snapshot: snapshot), svg,
                       "the same flow gives the same document")
    }
}
