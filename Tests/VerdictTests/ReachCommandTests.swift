import Foundation
import XCTest

/// `verdict reach` end to end: the matrix as text, JSON and SVG, one source asked for, a
/// change compared (exit status as diff(1)), and errors.
extension CLITests {
    func testReachPrintsTheMatrixFirst() throws {
        let result = try run(["reach", "rulesets/docker-default"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "IPv4: 5 sources × 10 services")
        XCTAssertTrue(lines.contains("   2  tcp 10.0.2.15:8080 → 172.17.0.2:80 (nat)"), result.stdout)
        XCTAssertTrue(lines.contains("  eth0 elsewhere     O O O O O O . . . ."), result.stdout)
        XCTAssertTrue(lines.contains("  .  dropped: the request or its reply is dropped, the client times out"))
        XCTAssertTrue(lines.contains("note: no ss.txt: every local port is assumed to have a listener"), result.stdout)
        XCTAssertTrue(lines.contains("eth0 elsewhere → tcp 10.0.2.15:8080: open, by filter/DOCKER:1, "
                                     + "nat 10.0.2.15:8080 → 172.17.0.2:80"), result.stdout)
        let brief = try run(["reach", "rulesets/docker-default", "--brief"])
        XCTAssertFalse(brief.stdout.contains("witness"))
        XCTAssertTrue(result.stdout.hasPrefix(brief.stdout.dropLast()))
    }

    func testReachJSONIndexesItsSourcesAndServices() throws {
        let result = try run(["reach", "rulesets/docker-default", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["notes"] as? [String], ["no ss.txt: every local port is assumed to have a listener"])
        let sources = try XCTUnwrap(object["sources"] as? [[String: Any]])
        let services = try XCTUnwrap(object["services"] as? [[String: Any]])
        let cells = try XCTUnwrap(object["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.count, sources.count * services.count)
        XCTAssertEqual(sources.first?["from"] as? String, "eth0")
        XCTAssertEqual(sources.first?["addresses"] as? [String], ["10.0.2.0-10.0.2.14", "10.0.2.16-10.0.2.254"])
        let published = try XCTUnwrap(services.firstIndex {
            $0["port"] as? Int == 8080 && $0["protocol"] as? String == "tcp"
        })
        XCTAssertEqual(services[published]["to"] as? [String], ["172.17.0.2:80"])
        XCTAssertTrue(services[published]["listener"] is NSNull)
        let cell = try XCTUnwrap(cells.first { $0["source"] as? Int == 1 && $0["service"] as? Int == published })
        XCTAssertEqual(cell["outcome"] as? String, "open")
        XCTAssertEqual(cell["by"] as? [String], ["filter/DOCKER:1"])
        XCTAssertEqual(cell["nat"] as? [String], ["10.0.2.15:8080 → 172.17.0.2:80"])
        XCTAssertNotNil(cell["witness"] as? String)
        let classes = try XCTUnwrap(cell["classes"] as? [[String: Any]])
        XCTAssertEqual(classes.first?["confirmed"] as? Bool, true)
    }

    func testReachOneSourceAndOneService() throws {
        let result = try run(["reach", "rulesets/docker-default", "--from", "eth0", "-s", "93.184.216.34",
                              "--to", "172.17.0.2:80", "--brief"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("  eth0 93.184.216.34  ."), result.stdout)
        let asked = try run(["reach", "rulesets/docker-default", "--to", "10.0.2.15:9999", "-p", "tcp",
                             "--from", "local"])
        XCTAssertTrue(asked.stdout.contains("1  tcp 10.0.2.15:9999 (asked)"), asked.stdout)
    }

    func testReachComparesAChange() throws {
        let same = try run(["reach", "rulesets/docker-default", "rulesets/docker-default"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertEqual(same.stdout, "no cell changes\n")
        let rules = try String(contentsOfFile: "rulesets/docker-default/iptables.rules", encoding: .utf8)
        let restricted = try temporaryFile(rules.replacingOccurrences(
            of: "-A FORWARD -j DOCKER-USER\n",
            with: "-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -i eth0 -p tcp -j DROP\n"))
        let changed = try run(["reach", "rulesets/docker-default", restricted])
        XCTAssertEqual(changed.status, 1, changed.stderr)
        XCTAssertTrue(changed.stdout.contains(
            "eth0 elsewhere → tcp 10.0.2.15:8080 (→ 172.17.0.2:80): open → dropped "
                + "(now by filter/DOCKER-USER:1)\n"),
            changed.stdout)
        let some = try temporaryFile(rules.replacingOccurrences(
            of: "-A FORWARD -j DOCKER-USER\n",
            with: "-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -i eth0 -s 203.0.113.0/24 -p tcp -j DROP\n"))
        let partly = try run(["reach", "rulesets/docker-default", some, "--from", "eth0", "--to", "10.0.2.15:8080"])
        XCTAssertEqual(partly.status, 1, partly.stderr)
        XCTAssertTrue(partly.stdout.contains("eth0 elsewhere → tcp 10.0.2.15:8080 (→ 172.17.0.2:80): open → partly"),
                      partly.stdout)
        XCTAssertTrue(partly.stdout.contains("\n    now tcp 203.0.113.0/24 -> 10.0.2.15:8080: dropped, "
                                             + "by filter/DOCKER-USER:1"), partly.stdout)
        let json = try run(["reach", "rulesets/docker-default", restricted, "--format", "json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((object["changes"] as? [[String: Any]])?.count, 4)
    }

    func testReachDrawsTheMatrix() throws {
        let result = try run(["reach", "rulesets/docker-default", "--format", "svg"])
        XCTAssertEqual(result.status, 0, result.stderr)
        assertWellFormed(result.stdout)
        XCTAssertEqual(result.stdout.components(separatedBy: "<g class=\"cell ").count - 1, 50)
        XCTAssertTrue(result.stdout.contains("eth0 elsewhere → tcp 10.0.2.15:8080: open"))
    }

    func testReachErrors() throws {
        XCTAssertEqual(try run(["reach"]).status, 2)
        let device = try run(["reach", "rulesets/docker-default", "--from", "eth9"])
        XCTAssertEqual(device.status, 2)
        XCTAssertTrue(device.stderr.contains("the snapshot has no device 'eth9'"), device.stderr)
        XCTAssertTrue(device.stderr.contains("did you mean 'eth0'?"), device.stderr)
        let to = try run(["reach", "rulesets/docker-default", "--to", "10.0.2.999"])
        XCTAssertEqual(to.status, 2)
        XCTAssertTrue(to.stderr.contains("--to"), to.stderr)
        XCTAssertEqual(try run(["reach", "no-such-folder"]).status, 2)
        let svgDiff = try run(["reach", "rulesets/docker-default", "rulesets/docker-default", "--format", "svg"])
        XCTAssertEqual(svgDiff.status, 2)
    }
}
