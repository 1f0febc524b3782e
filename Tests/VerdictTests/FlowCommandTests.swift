import Foundation
import XCTest

/// `verdict flow` and `verdict trace SNAPSHOT`, end to end on the bundled Docker snapshot.
extension CLITests {
    static let publishedPort = ["rulesets/docker-default", "--from", "eth0", "-p", "tcp", "-s", "93.184.216.34", "-d", "10.0.2.15",
                                "--sport", "50000", "--dport", "8080", "--syn"]

    func testFlowFollowsTheRequestAndTheReply() throws {
        let result = try run(["flow"] + Self.publishedPort)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssert(result.stdout.contains("nat/DOCKER #2 ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80: match -> DNAT"), result.stdout)
        XCTAssert(result.stdout.contains("ACCEPT: sent out of vethc1"), result.stdout)
        XCTAssert(result.stdout.contains("reply 172.17.0.2:80 > 93.184.216.34:50000 (tcp, from vethc1)"), result.stdout)
        XCTAssert(result.stdout.contains("after NAT: 10.0.2.15:8080 > 93.184.216.34:50000"), result.stdout)
    }

    func testFlowKernelAndJSONFormats() throws {
        let kernel = try run(["flow"] + Self.publishedPort + ["--format", "kernel"])
        XCTAssertEqual(kernel.status, 0, kernel.stderr)
        let lines = kernel.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "# request 93.184.216.34:50000 > 10.0.2.15:8080")
        XCTAssert(lines.contains("# reply 172.17.0.2:80 > 93.184.216.34:50000"), kernel.stdout)
        // Each line with the packet's fields there: before DNAT in the nat table, after it in filter.
        XCTAssert(lines.contains("TRACE: nat:DOCKER:rule:2 IN=eth0 OUT= SRC=93.184.216.34 DST=10.0.2.15 PROTO=TCP "
                                 + "SPT=50000 DPT=8080"), kernel.stdout)
        XCTAssert(lines.contains("TRACE: filter:FORWARD:rule:1 IN=eth0 OUT=docker0 SRC=93.184.216.34 DST=172.17.0.2 "
                                 + "PROTO=TCP SPT=50000 DPT=80"), kernel.stdout)
        XCTAssert(lines.contains("TRACE: raw:PREROUTING:policy:2 IN=docker0 OUT= PHYSIN=vethc1 SRC=172.17.0.2 "
                                 + "DST=93.184.216.34 PROTO=TCP SPT=80 DPT=50000"), kernel.stdout)
        let json = try run(["flow"] + Self.publishedPort + ["--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let packets = try XCTUnwrap(object?["packets"] as? [[String: Any]])
        XCTAssertEqual(packets.map { $0["direction"] as? String }, ["request", "reply"])
        XCTAssertEqual(packets.first?["in"] as? String, "eth0")
        XCTAssertEqual(packets.first?["out"] as? String, "vethc1")
        XCTAssertEqual(packets.first?["verdict"] as? String, "ACCEPT")
        XCTAssertEqual((packets.first?["hooks"] as? [[String: Any]])?.compactMap { $0["hook"] as? String }, ["PREROUTING", "FORWARD", "POSTROUTING"])
        XCTAssertEqual((packets.first?["trace"] as? [String])?.first, "TRACE: raw:PREROUTING:policy:2")
        // `lines`: the same lines, each with its fields.
        let requestLines = try XCTUnwrap(packets.first?["lines"] as? [[String: Any]])
        XCTAssertEqual(requestLines.compactMap { $0["trace"] as? String }, packets.first?["trace"] as? [String])
        let forward = try XCTUnwrap(requestLines.first { $0["trace"] as? String == "TRACE: filter:FORWARD:rule:1" })
        XCTAssertEqual(forward["in"] as? String, "eth0")
        XCTAssertEqual(forward["out"] as? String, "docker0")
        XCTAssertEqual(forward["src"] as? String, "93.184.216.34")
        XCTAssertEqual(forward["dst"] as? String, "172.17.0.2")
        XCTAssertEqual(forward["protocol"] as? String, "TCP")
        XCTAssertEqual(forward["sport"] as? Int, 50000)
        XCTAssertEqual(forward["dport"] as? Int, 80)
        XCTAssertEqual(forward["mark"] as? Int, 0)
        XCTAssert(forward["physin"] is NSNull && forward["type"] is NSNull, "\(forward)")
        XCTAssert(packets.last?["refusal"] is NSNull, "the far end answers")
        // `nat`: the DNAT where it happened, and conntrack undoing it for the reply.
        let nat = packets.map { ($0["nat"] as? [[String: String]]) ?? [] }
        XCTAssertEqual(nat.first, [["hook": "PREROUTING", "rewrites": "destination", "by": "DNAT", "to": "172.17.0.2:80"]])
        XCTAssertEqual(nat.last, [["hook": "POSTROUTING", "rewrites": "source", "by": "conntrack",
                                   "to": "10.0.2.15:8080"]])
        XCTAssert(try run(["flow"] + Self.publishedPort).stdout.contains("  DNAT: destination → 172.17.0.2:80\n"))
        let trace = try run(["trace"] + Self.publishedPort + ["--format", "kernel"])
        XCTAssertEqual(trace.status, 0, trace.stderr)
        XCTAssertFalse(trace.stdout.contains("# reply"), "trace does the request only")
    }

    func testFlowDropsAreExplained() throws {
        // The raw table drops packets for the container that do not come from docker0.
        let result = try run(["flow", "rulesets/docker-default", "--from", "eth0", "-p", "tcp", "-s", "93.184.216.34", "-d", "172.17.0.2",
                              "--dport", "80", "--syn"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssert(result.stdout.contains("DROP at PREROUTING: raw/PREROUTING rule 1 (DROP)"), result.stdout)
        XCTAssertFalse(result.stdout.contains("reply"), "a dropped request has no reply")
    }

    func testFlowUsageErrors() throws {
        let noFrom = try run(["flow", "rulesets/docker-default", "-p", "icmp", "-d", "172.17.0.2"])
        XCTAssertEqual(noFrom.status, 2)
        XCTAssert(noFrom.stderr.contains("--from"), noFrom.stderr)
        let unknownDevice = try run(["flow", "rulesets/docker-default", "--from", "eth9", "-p", "icmp", "-d", "172.17.0.2"])
        XCTAssertEqual(unknownDevice.status, 2)
        XCTAssert(unknownDevice.stderr.contains("no device 'eth9'"), unknownDevice.stderr)
        let withHook = try run(["flow", "rulesets/docker-default", "--from", "eth0", "--hook", "INPUT", "-p", "icmp", "-d", "172.17.0.2"])
        XCTAssertEqual(withHook.status, 2)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n".write(to: folder.appendingPathComponent("iptables.rules"), atomically: true, encoding: .utf8)
        try "[{\"ifname\": \"eth0\",\n \"addr_info\": [}]\n".write(to: folder.appendingPathComponent("ip-addr.json"), atomically: true, encoding: .utf8)
        let broken = try run(["flow", folder.path, "--from", "eth0", "-p", "icmp", "-d", "10.0.0.1"])
        XCTAssertEqual(broken.status, 2)
        XCTAssert(broken.stderr.hasPrefix(folder.path + "/ip-addr.json:2:"), broken.stderr)
    }
}
