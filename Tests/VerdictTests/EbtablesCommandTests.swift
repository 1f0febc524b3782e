import Foundation
import XCTest

/// `verdict check` and `verdict fmt` on ebtables text, end to end.
extension CLITests {
    /// Each part is somewhere in the text.
    func assertLines(_ text: String, contain parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        for part in parts { XCTAssert(text.contains(part), "\(part) not in:\n\(text)", file: file, line: line) }
    }

    static let ebtablesSave = """
    *filter
    :INPUT ACCEPT
    :FORWARD DROP
    :OUTPUT ACCEPT
    :foo RETURN
    -A FORWARD -p IPv4 --ip-proto tcp --ip-dport 22 -j foo
    -A foo -s 02:42:ac:11:00:02 -j ACCEPT

    """

    func testCheckReadsEbtablesSaveText() throws {
        let result = try run(["check", try temporaryFile(Self.ebtablesSave)])
        XCTAssertEqual(result.status, 0, result.stderr)
        assertLines(result.stdout, contain: [": bridge, 1 table(s), 2 rule(s), ok",
                                             "filter: 4 chains (3 built-in, 1 user), 2 rules", "modules: ip (1)"])
    }

    func testTextReadAsEbtablesOnlyForItsMissingCommitSaysSo() throws {
        let guessed = try run(["check", try temporaryFile("*filter\n:INPUT ACCEPT\n-A INPUT -i lo -j ACCEPT\n")])
        XCTAssertEqual(guessed.status, 0, guessed.stderr)
        assertLines(guessed.stderr, contain: [":1:1: note: read as ebtables-save text", "its COMMIT lines are missing"])
        let signed = try run(["check", try temporaryFile(Self.ebtablesSave)])
        XCTAssertFalse(signed.stderr.contains("note: read as ebtables-save text"), signed.stderr)
    }

    func testEbtablesCheckReportsWhereAndExitsOne() throws {
        let path = try temporaryFile("*filter\n:INPUT ACCEPT\n-A INPUT -p IPv4 --ip-src 10.0.0.300 -j nosuch\n")
        let result = try run(["check", path])
        XCTAssertEqual(result.status, 1)
        assertLines(result.stderr, contain: ["\(path):3:27: error: invalid IPv4 address '10.0.0.300'",
                                             "\(path):3:38: error: -j nosuch: no chain 'nosuch'"])
        XCTAssert(result.stdout.contains("bridge, 1 table(s), 1 rule(s), 2 error(s), 0 warning(s)"), result.stdout)
        let json = try run(["check", "--format", "json", path])
        XCTAssert(json.stdout.contains("\"family\": \"bridge\""), json.stdout)
    }

    func testEbtablesFmtPrintsSaveTextBackAndListingsAsSaveText() throws {
        let saved = try run(["fmt", try temporaryFile(Self.ebtablesSave)])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        XCTAssertEqual(saved.stdout, Self.ebtablesSave)
        let listing = """
        Bridge table: filter

        Bridge chain: INPUT, entries: 0, policy: ACCEPT

        Bridge chain: FORWARD, entries: 1, policy: DROP
        1. -p IPv4 --ip-proto tcp --ip-dport 22 -j foo , pcnt = 3 -- bcnt = 180

        Bridge chain: foo, entries: 1, policy: RETURN
        1. -s 2:42:ac:11:0:2 -j ACCEPT , pcnt = 0 -- bcnt = 0

        """
        let listed = try run(["fmt", try temporaryFile(listing)])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertEqual(listed.stdout, """
        *filter
        :INPUT ACCEPT
        :FORWARD DROP
        :OUTPUT ACCEPT
        :foo RETURN
        [3:180] -A FORWARD -p IPv4 --ip-proto tcp --ip-dport 22 -j foo
        [0:0] -A foo -s 2:42:ac:11:0:2 -j ACCEPT

        """)
        let forced = try run(["fmt", "--from", "ebtables-save", try temporaryFile("*filter\n-A INPUT -j ACCEPT\n")])
        XCTAssertEqual(forced.stdout, "*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\n-A INPUT -j ACCEPT\n")
    }

    func testEbtablesOtherCommandsSayTheyReadIptablesRules() throws {
        let result = try run(["lint", try temporaryFile(Self.ebtablesSave)])
        XCTAssertNotEqual(result.status, 0)
        XCTAssert(result.stderr.contains("these are ebtables rules"), result.stderr)
    }
}

extension CLITests {
    func testEbtablesTraceWalksTheBridgeHook() throws {
        let path = try temporaryFile(Self.ebtablesSave)
        let result = try run(["trace", path, "--hook", "FORWARD", "-p", "tcp", "-s", "10.0.0.1", "--dport", "22",
                              "--physdev-in", "eth1", "-i", "br0"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // The answer first: the frames from the one MAC are accepted in foo, the others end at
        // foo's RETURN and FORWARD's DROP policy.
        XCTAssert(lines[0].hasPrefix("ACCEPT  tcp 10.0.0.1 -> *:22"), result.stdout)
        XCTAssert(lines[0].hasSuffix("eb filter/foo #1 -s 02:42:ac:11:00:02 -j ACCEPT: match -> ACCEPT"), result.stdout)
        XCTAssert(lines[1].hasPrefix("DROP    tcp 10.0.0.1 -> *:22"), result.stdout)
        XCTAssert(lines[1].hasSuffix("eb filter/FORWARD policy DROP"), result.stdout)
        assertLines(result.stdout,
                    contain: ["  eb filter/FORWARD #1 -p IPv4 --ip-proto tcp --ip-dport 22 -j foo: match -> foo"])
        let json = try run(["trace", path, "--hook", "FORWARD", "-p", "udp", "--format", "json"])
        XCTAssert(json.stdout.hasPrefix("{\"family\": \"bridge\", \"classes\": [{\"verdict\": \"DROP\""), json.stdout)
    }
}
