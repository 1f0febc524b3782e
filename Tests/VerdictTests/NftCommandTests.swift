import Foundation
import XCTest

/// `verdict check` and `verdict fmt` on `nft list ruleset` text, end to end.
extension CLITests {
    static let nftRuleset = """
    table inet filter {
    \tset allowed {
    \t\ttype inet_service
    \t\telements = { 22, 80 }
    \t}

    \tchain input {
    \t\ttype filter hook input priority filter + 10; policy drop;
    \t\tct state established,related accept
    \t\ttcp dport @allowed counter packets 0 bytes 0 accept
    \t}

    \tchain web {
    \t\tjump input
    \t}
    }
    table netdev ingress {
    \tchain ing {
    \t\ttype filter hook ingress device "lo" priority -500; policy accept;
    \t}
    }

    """

    func testCheckSummarisesNftTables() throws {
        let result = try run(["check", try temporaryFile(Self.nftRuleset)])
        XCTAssertEqual(result.status, 0, result.stderr)
        assertLines(result.stdout, contain: [": nft, 2 table(s), 3 rule(s), ok",
                                             "table inet filter: 2 chains (1 base), 1 sets, 0 maps, 3 rules",
                                             "input: filter hook input priority filter + 10 policy drop",
                                             "table netdev ingress: 1 chains (1 base)",
                                             "ing: filter hook ingress priority -500 policy accept"])
        let json = try run(["check", "--format", "json", try temporaryFile(Self.nftRuleset)])
        XCTAssert(json.stdout.contains("\"hook\": \"input\", \"priority\": \"filter + 10\""), json.stdout)
    }

    func testFmtPrintsNftTextBackAndRefusesBrokenText() throws {
        let printed = try run(["fmt", try temporaryFile(Self.nftRuleset)])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertEqual(printed.stdout, Self.nftRuleset)
        let path = try temporaryFile("table inet t {\n\tchain c {\n\t\ttype filter hook input priority x y;\n\t}\n}\n")
        let broken = try run(["fmt", path])
        XCTAssertEqual(broken.status, 1)
        XCTAssertEqual(broken.stdout, "")
        assertLines(broken.stderr, contain: ["\(path):3:35: error: expected a priority"])
        let checked = try run(["check", path])
        XCTAssertEqual(checked.status, 1)
        XCTAssert(checked.stdout.contains("nft, 1 table(s), 0 rule(s), 1 error(s)"), checked.stdout)
    }

    func testOtherCommandsSayTheyReadIptablesRules() throws {
        let result = try run(["trace", try temporaryFile(Self.nftRuleset), "--hook", "INPUT", "-p", "tcp"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssert(result.stderr.contains("this is nftables text"), result.stderr)
    }
}
