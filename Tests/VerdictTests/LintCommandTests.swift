import Foundation
import XCTest

/// `verdict lint` end to end: formats, exit codes, options.
extension CLITests {

    func testLintSnapshotTextAndExitCodes() throws {
        let notes = try run(["lint", "rulesets/docker-default"])
        XCTAssertEqual(notes.status, 0, "notes do not fail by default")
        XCTAssertTrue(notes.stdout.contains("rulesets/docker-default/iptables.rules:12:1: note: published port tcp 8080"), notes.stdout)
        XCTAssertTrue(notes.stdout.hasSuffix("2 findings: 2 notes\n"))
        XCTAssertEqual(try run(["lint", "--fail-on", "note", "rulesets/docker-default"]).status, 1)
        XCTAssertEqual(try run(["lint", "rulesets/docker-27"]).status, 1, "a warning fails by default")
        XCTAssertEqual(try run(["lint", "--fail-on", "error", "rulesets/docker-27"]).status, 0)
        XCTAssertEqual(try run(["lint", "--disable", "container-direct-access,published-port", "--fail-on", "note", "rulesets/docker-27"]).status, 0)
    }

    func testLintSARIFIsValidJSONWithRulesAndLocations() throws {
        let output = try run(["lint", "--format", "sarif", "rulesets/docker-27"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["version"] as? String, "2.1.0")
        let runs = try XCTUnwrap(object["runs"] as? [[String: Any]])
        let driver = try XCTUnwrap((runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertTrue(rules.contains { $0["id"] as? String == "shadowed-rule" })
        let results = try XCTUnwrap(runs.first?["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 2)
        for result in results {
            let index = try XCTUnwrap(result["ruleIndex"] as? Int)
            XCTAssertEqual(rules[index]["id"] as? String, result["ruleId"] as? String)
            let location = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            XCTAssertEqual((location["artifactLocation"] as? [String: Any])?["uri"] as? String, "rulesets/docker-27/iptables.rules")
            XCTAssertGreaterThan(((location["region"] as? [String: Any])?["startLine"] as? Int) ?? 0, 0)
        }
    }

    func testLintJSONAndList() throws {
        let output = try run(["lint", "--format", "json", "rulesets/docker-default"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((object["findings"] as? [Any])?.count, 2)
        XCTAssertEqual((object["summary"] as? [String: Int])?["notes"], 2)
        let list = try run(["lint", "--list"])
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.stdout.contains("shadowed-rule") && list.stdout.contains("published-port"))
    }

    func testLintBadUsageAndBadInput() throws {
        XCTAssertEqual(try run(["lint", "--disable", "no-such-lint", "rulesets/docker-default"]).status, 2)
        XCTAssertEqual(try run(["lint", "--format", "xml", "rulesets/docker-default"]).status, 2)
        XCTAssertEqual(try run(["lint", "--fail-on", "sometimes", "rulesets/docker-default"]).status, 2)
        let broken = try run(["lint", "-"], stdin: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j NOWHERE\nCOMMIT\n")
        XCTAssertEqual(broken.status, 2)
        XCTAssertTrue(broken.stderr.contains("<stdin>:3:"), broken.stderr)
        let shadowed = try run(["lint", "-"], stdin: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n")
        XCTAssertEqual(shadowed.status, 1)
        XCTAssertTrue(shadowed.stdout.contains("<stdin>:4:1: warning: rule 2 of filter/INPUT can never match: rule 1"), shadowed.stdout)
    }
}
