import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `verdict test` end to end: the bundled example passes, a changed firewall fails with
/// the rule that decided, spec errors stop everything with FILE:LINE:COL, --record writes a
/// spec that passes, --junit writes JUnit XML whole.
extension CLITests {
    /// A scratch folder removed after the test.
    func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// A copy of the bundled Docker snapshot whose rules the test may change.
    func dockerSnapshotCopy(in folder: URL) throws -> URL {
        let copy = folder.appendingPathComponent("docker-default")
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("rulesets/docker-default"), to: copy)
        return copy
    }

    func testTheExampleSpecPassesOnTheBundledSnapshot() throws {
        let result = try run(["test", "rulesets/docker-default", "docs/examples/docker-default.spec"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual(result.stdout, "10 passed, 0 failed\n")
        let verbose = try run(["test", "rulesets/docker-default", "docs/examples/docker-default.spec", "--verbose"])
        XCTAssert(verbose.stdout.contains("docs/examples/docker-default.spec:8: ok: ACCEPT by filter/DOCKER:1"), verbose.stdout)
    }

    func testAChangedFirewallFailsWithTheRuleThatDecided() throws {
        let folder = try scratchFolder()
        let snapshot = try dockerSnapshotCopy(in: folder)
        // A DOCKER-USER rule that drops what comes in on eth0: the published port closes.
        let rulesFile = snapshot.appendingPathComponent("iptables.rules")
        let rules = try String(contentsOf: rulesFile, encoding: .utf8)
            .replacingOccurrences(of: "-A FORWARD -j DOCKER-USER\n", with: "-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -i eth0 -j DROP\n")
        try rules.write(to: rulesFile, atomically: true, encoding: .utf8)
        let junit = folder.appendingPathComponent("report.xml")
        let result = try run(["test", snapshot.path, "docs/examples/docker-default.spec", "--junit", junit.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "docs/examples/docker-default.spec:8: expected ACCEPT by filter/DOCKER:1 dnat 172.17.0.2:80 to vethc1, "
                       + "got DROP by filter/DOCKER-USER:1 (-A DOCKER-USER -i eth0 -j DROP) dnat 172.17.0.2:80 via PREROUTING,FORWARD; "
                       + "reply: expected ACCEPT snat 10.0.2.15:8080 to eth0, got no reply (no outcome of the request got through to be answered)")
        XCTAssertEqual(lines[2], "docs/examples/docker-default.spec:14: expected DROP by filter/DOCKER:3 via FORWARD, "
                       + "got DROP by filter/DOCKER-USER:1 (-A DOCKER-USER -i eth0 -j DROP) via PREROUTING,FORWARD")
        XCTAssert(lines[3].hasPrefix("docs/examples/docker-default.spec:17: reply: expected ACCEPT by filter/DOCKER-CT:1 to vethc1, got DROP"), lines[3])
        XCTAssertEqual(lines.last, "6 passed, 4 failed")
        XCTAssertEqual(lines.count, 5)

        // The JUnit report: well-formed, one testsuite, a testcase per case, the failures' messages.
        let document = try XMLDocument(contentsOf: junit, options: [])
        let suite = try XCTUnwrap(document.rootElement()?.elements(forName: "testsuite").first)
        XCTAssertEqual(suite.attribute(forName: "name")?.stringValue, "docs/examples/docker-default.spec")
        XCTAssertEqual(suite.attribute(forName: "tests")?.stringValue, "10")
        XCTAssertEqual(suite.attribute(forName: "failures")?.stringValue, "4")
        let failed = suite.elements(forName: "testcase").filter { !$0.elements(forName: "failure").isEmpty }
        XCTAssertEqual(failed.map { $0.attribute(forName: "line")?.stringValue }, ["8", "9", "14", "17"])
        XCTAssertEqual(failed.first?.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue,
                       String(lines[0].dropFirst("docs/examples/docker-default.spec:8: ".count)))
        XCTAssert(failed.first?.elements(forName: "failure").first?.stringValue?.contains("filter/DOCKER-USER #1 -i eth0 -j DROP: match -> DROP") ?? false)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "the report is renamed into place")
    }

    func testSpecErrorsStopEverythingWithLineAndColumn() throws {
        let folder = try scratchFolder()
        let spec = folder.appendingPathComponent("bad.spec")
        try """
        expect ACCEPT tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0
        expect ACCPET tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0
        expect DROP   tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn frm eth0
        expect DROP   tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 by filter/DOCKER-USR:1

        """.write(to: spec, atomically: true, encoding: .utf8)
        let junit = folder.appendingPathComponent("report.xml")
        let result = try run(["test", "rulesets/docker-default", spec.path, "--junit", junit.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "", "no case runs")
        let errors: [String] = result.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix(spec.path) }
        XCTAssertEqual(errors, [
            "\(spec.path):2:8: error: unknown outcome 'ACCPET' (ACCEPT, DROP, REJECT or RETURN) (did you mean 'ACCEPT'?)",
            "\(spec.path):3:61: error: unknown word 'frm' after the packet (did you mean 'from'?)",
            "\(spec.path):4:71: error: no chain filter/DOCKER-USR (did you mean 'DOCKER-USER'?)",
        ])
        XCTAssert(result.stderr.contains("3 errors in \(spec.path); no case was run"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: junit.path), "no report for a spec that did not run")
    }

    func testRulesFileCasesNeedAt() throws {
        let folder = try scratchFolder()
        let spec = folder.appendingPathComponent("rules.spec")
        try """
        expect ACCEPT tcp 172.17.0.2:40000 -> 93.184.216.34:443 in docker0 out eth0 at FORWARD with ctstate NEW by filter/DOCKER-FORWARD:4
        expect ACCEPT tcp 93.184.216.34:50000 -> 10.0.2.15:8080 in eth0 with ctstate NEW

        """.write(to: spec, atomically: true, encoding: .utf8)
        let result = try run(["test", "rulesets/docker-default/iptables.rules", spec.path])
        XCTAssertEqual(result.status, 2)
        XCTAssert(result.stderr.hasPrefix("\(spec.path):2:1: error: a case on a rules file needs 'at HOOK[,HOOK...]' or 'at TABLE/CHAIN'"), result.stderr)
        try "expect ACCEPT tcp 172.17.0.2:40000 -> 93.184.216.34:443 in docker0 out eth0 at FORWARD with ctstate NEW by filter/DOCKER-FORWARD:4\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let fixed = try run(["test", "rulesets/docker-default/iptables.rules", spec.path, "--format", "json"])
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(fixed.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["passed"] as? Int, 1)
        let file = try XCTUnwrap((object["files"] as? [[String: Any]])?.first)
        let item = try XCTUnwrap((file["cases"] as? [[String: Any]])?.first)
        XCTAssertEqual(item["line"] as? Int, 1)
        XCTAssertEqual(item["passed"] as? Bool, true)
        let outcome = try XCTUnwrap((item["outcomes"] as? [[String: Any]])?.first)
        XCTAssertEqual(outcome["by"] as? String, "filter/DOCKER-FORWARD:4")
        XCTAssertEqual(outcome["rule"] as? String, "-A DOCKER-FORWARD -i docker0 -j ACCEPT")
    }

    func testRecordThenTestPasses() throws {
        let folder = try scratchFolder()
        let packets = folder.appendingPathComponent("packets.txt")
        try """
        # what the Docker host does today
        tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 reply
        tcp 93.184.216.34:50000 -> 172.17.0.2:80 syn from eth0
        icmp 172.17.0.3 -> 172.17.0.2 type 8 from vethc2 reply

        """.write(to: packets, atomically: true, encoding: .utf8)
        let golden = folder.appendingPathComponent("golden.spec")
        let recorded = try run(["test", "rulesets/docker-default", "--record", packets.path, "-o", golden.path])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        XCTAssert(recorded.stderr.contains("recorded 3 cases in \(golden.path)"), recorded.stderr)
        let text = try String(contentsOf: golden, encoding: .utf8)
        XCTAssert(text.hasPrefix("# what the Docker host does today\nexpect ACCEPT  tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 by filter/DOCKER:1"), text)
        let tested = try run(["test", "rulesets/docker-default", golden.path])
        XCTAssertEqual(tested.status, 0, tested.stdout)
        XCTAssertEqual(tested.stdout, "3 passed, 0 failed\n")

        // A packet list with an error writes nothing: the golden file stays as it was.
        try "tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth7\n".write(to: packets, atomically: true, encoding: .utf8)
        let broken = try run(["test", "rulesets/docker-default", "--record", packets.path, "-o", golden.path])
        XCTAssertEqual(broken.status, 2)
        XCTAssert(broken.stderr.contains("\(packets.path):1:47: error: the snapshot has no device 'eth7'"), broken.stderr)
        XCTAssertEqual(try String(contentsOf: golden, encoding: .utf8), text)
    }

    func testTestUsageErrors() throws {
        let noSpec = try run(["test", "rulesets/docker-default"])
        XCTAssertEqual(noSpec.status, 2)
        XCTAssert(noSpec.stderr.contains("give at least one spec file"), noSpec.stderr)
        let missing = try run(["test", "rulesets/docker-default", "no-such.spec"])
        XCTAssertEqual(missing.status, 2)
        XCTAssert(missing.stderr.contains("no-such.spec: no such file"), missing.stderr)
        let both = try run(["test", "rulesets/docker-default", "a.spec", "--record", "p.txt"])
        XCTAssertEqual(both.status, 2)
        let help = try run(["help", "test"])
        XCTAssertEqual(help.status, 0)
        XCTAssert(help.stdout.contains("--record PACKETS"), help.stdout)
    }
}
