import Foundation
import XCTest

/// A host whose firewall is native nftables (rulesets/docker-nftables: Docker's nftables
/// backend), end to end: flow with NAT and the lines of nft monitor trace, expectation files
/// naming nft rules, lint.
extension CLITests {
    func testFlowOnAnNftHost() throws {
        let published = try run(["flow", "rulesets/docker-nftables", "--from", "eth0", "-p", "tcp",
                                 "-s", "93.184.216.34", "-d", "10.0.2.15", "--sport", "50000", "--dport", "8080",
                                 "--syn"])
        XCTAssertEqual(published.status, 0, published.stderr)
        XCTAssert(published.stdout.hasPrefix("ACCEPT  tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0: "
                                             + "dnat 172.17.0.2:80 (ip docker-bridges/nat-prerouting-and-output:1), "
                                             + "accepted by ip docker-bridges/filter-forward-in__docker0:3, "
                                             + "out vethc1; reply ACCEPT"), published.stdout)
        let lines = try run(["flow", "rulesets/docker-nftables", "--from", "vethc1", "-p", "icmp", "-s", "172.17.0.2",
                             "-d", "93.184.216.34", "--icmp-type", "echo-request", "--format", "nft"])
        XCTAssertEqual(lines.status, 0, lines.stderr)
        XCTAssert(lines.stdout.hasPrefix("# request 172.17.0.2 > 93.184.216.34\n"
                                         + "trace id 00000000 ip docker-bridges raw-PREROUTING packet: iif \"docker0\" "
                                         + "ip saddr 172.17.0.2 ip daddr 93.184.216.34 icmp type echo-request\n"),
                  lines.stdout)
        XCTAssert(lines.stdout.contains("nat-postrouting-out__docker0 rule oifname != \"docker0\" "
                                        + "ip saddr 172.17.0.0/16 counter packets 1 bytes 84 masquerade "
                                        + "comment \"MASQUERADE\" (verdict accept)\n"
                                        + "# reply 93.184.216.34 > 10.0.2.15\n"), lines.stdout)
    }

    func testExpectationsAndLintOnAnNftHost() throws {
        let passed = try run(["test", "rulesets/docker-nftables", "docs/examples/docker-nftables.spec"])
        XCTAssertEqual(passed.status, 0, passed.stdout + passed.stderr)
        XCTAssertEqual(passed.stdout, "4 passed, 0 failed\n")
        let spec = try temporaryFile("expect DROP tcp 93.184.216.34:50000 -> 172.17.0.2:80 syn from eth0 "
                                     + "by docker-bridges/raw-PREROUTING:9\n")
        let wrong = try run(["test", "rulesets/docker-nftables", spec])
        XCTAssertEqual(wrong.status, 2)
        XCTAssert(wrong.stderr.contains("docker-bridges/raw-PREROUTING has 1 rule; rule 9 does not exist"),
                  wrong.stderr)
        let lint = try run(["lint", "rulesets/docker-nftables"])
        XCTAssertEqual(lint.status, 0, lint.stdout + lint.stderr)
    }
}

/// `verdict diff` on two nft rule sets: exit status as diff(1), text and JSON.
extension CLITests {
    func testDiffOfNftRuleSets() throws {
        let rules = { (ports: String) in
            "table inet t {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n"
                + "\t\ttcp dport { \(ports) } accept\n\t}\n}\n"
        }
        let old = try temporaryFile(rules("22, 80")), new = try temporaryFile(rules("22, 443"))
        let same = try run(["diff", old, old])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertEqual(same.stdout, "no packet changes\n")
        let changed = try run(["diff", old, new, "--hook", "INPUT"])
        XCTAssertEqual(changed.status, 1, changed.stderr)
        XCTAssert(changed.stdout.contains("  tcp * -> *:80: ACCEPT → DROP (old inet t/input:1, new inet t/input policy)"),
                  changed.stdout)
        XCTAssert(changed.stdout.hasSuffix("4 classes of packets change\n"), changed.stdout)
        let json = try run(["diff", old, new, "--format", "json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["changesPackets"] as? Bool, true)
        XCTAssertEqual((object["classes"] as? [[String: Any]])?.count, 4)
        let mixed = try run(["diff", old, "rulesets/docker-default/iptables.rules"])
        XCTAssertEqual(mixed.status, 2)
        XCTAssert(mixed.stderr.contains("give two nft rule sets"), mixed.stderr)
    }
}

/// `verdict diff` of two snapshots compares their nft rules too.
extension CLITests {
    func testDiffOfSnapshotsComparesTheirNftRules() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-nft-diff-\(UUID())")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: "rulesets/docker-nftables"), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = folder.appendingPathComponent("nft.rules")
        let text = try String(contentsOf: rules, encoding: .utf8)
        let edited = text.replacingOccurrences(of: #"bytes (\d+) accept comment "ICC""#,
                                               with: #"bytes $1 drop comment "ICC""#, options: .regularExpression)
        XCTAssertNotEqual(edited, text)
        try edited.write(to: rules, atomically: true, encoding: .utf8)
        let result = try run(["diff", "rulesets/docker-nftables", folder.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssert(result.stdout.contains("nft rules:\nIPv4 FORWARD: 1 class of packets treated differently\n"
                                         + "  all * -> * in docker0 out docker0 ctstate INVALID,NEW,UNTRACKED: "
                                         + "ACCEPT → DROP"), result.stdout)
    }
}
