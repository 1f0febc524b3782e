import Foundation
import XCTest

/// `verdict diff` end to end: exit codes as diff(1), text and JSON, errors.
extension CLITests {
    func testDiffExitCodesAndText() throws {
        let same = try run(["diff", "Tests/Fixtures/diff/docker-28.rules", "Tests/Fixtures/diff/docker-28.rules"])
        XCTAssertEqual(same.status, 0)
        XCTAssertEqual(same.stdout, "no packet changes (the rulesets are the same)\n")
        let changed = try run(["diff", "Tests/Fixtures/diff/docker-28-unpublished.rules", "Tests/Fixtures/diff/docker-28.rules", "--hook", "FORWARD"])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stdout.contains("tcp from 0.0.0.0/0 to 172.17.0.2 dport 80 in !docker0 out docker0 ctstate INVALID,NEW,UNTRACKED: DROP → ACCEPT (old filter/DOCKER:1, new filter/DOCKER:1)"), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("(the evaluator agrees)"))
        XCTAssertTrue(changed.stdout.contains("+ #2 ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80"), "structure")
        XCTAssertTrue(changed.stdout.hasSuffix("2 classes of packets change\n"), changed.stdout)
    }

    func testDiffJSONAndSnapshots() throws {
        let output = try run(["diff", "--format", "json", "Tests/Fixtures/diff/docker-28.rules", "Tests/Fixtures/diff/docker-28-twonets.rules"])
        XCTAssertEqual(output.status, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["changesPackets"] as? Bool, true)
        let classes = try XCTUnwrap(object["classes"] as? [[String: Any]])
        // 8: a RELATED packet that is not ICMP (a reset REJECT sent) meets the new masquerade rule too.
        XCTAssertEqual(classes.count, 8)
        XCTAssertTrue(classes.allSatisfy { ($0["witness"] as? String)?.isEmpty == false })
        let masquerade = try XCTUnwrap(classes.first { $0["walk"] as? String == "POSTROUTING" })
        XCTAssertEqual((masquerade["new"] as? [String: Any])?["by"] as? String, "nat/POSTROUTING:2")
        XCTAssertEqual(((object["structure"] as? [[String: Any]])?.count), 6)
        let snapshots = try run(["diff", "rulesets/docker-default", "rulesets/docker-default"])
        XCTAssertEqual(snapshots.status, 0, snapshots.stderr)
    }

    func testDiffUsageErrors() throws {
        XCTAssertEqual(try run(["diff", "Tests/Fixtures/diff/docker-28.rules"]).status, 2)
        let missing = try run(["diff", "Tests/Fixtures/diff/docker-28.rules", "no-such.rules"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no-such.rules: no such file"))
        XCTAssertEqual(try run(["diff", "--hook", "SIDEWAYS", "a", "b"]).status, 2)
        let broken = try temporaryFile("*filter\n-A INPUT -j NOWHERE\nCOMMIT\n")
        let result = try run(["diff", broken, "Tests/Fixtures/diff/docker-28.rules"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains(":2:"), result.stderr)
        XCTAssertTrue(result.stdout.isEmpty, "nothing half-printed")
        let noChain = try run(["diff", "--chain", "filter/NOPE", "Tests/Fixtures/diff/docker-28.rules", "Tests/Fixtures/diff/docker-28.rules"])
        XCTAssertEqual(noChain.status, 2)
        XCTAssertTrue(noChain.stderr.contains("neither ruleset has a chain filter/NOPE"))
    }
}
