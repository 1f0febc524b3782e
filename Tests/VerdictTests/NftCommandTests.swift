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
        let result = try run(["graph", try temporaryFile(Self.nftRuleset)])
        XCTAssertNotEqual(result.status, 0)
        XCTAssert(result.stderr.contains("this is nftables text"), result.stderr)
    }

    /// `verdict trace` on nft text: the answer first; `--format nft` as nft monitor trace.
    func testTraceWalksNftBaseChains() throws {
        let path = try temporaryFile(Self.nftRuleset)
        let packet = ["-p", "tcp", "-s", "10.9.0.1", "-d", "10.9.0.2", "--sport", "40000", "--dport", "80",
                      "-i", "eth0", "--ctstate", "NEW", "--mark", "0", "--tcp-flags", "SYN"]
        let text = try run(["trace", path, "--hook", "input"] + packet)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssert(text.stdout.hasPrefix("ACCEPT  tcp 10.9.0.1:40000 -> 10.9.0.2:80 in eth0 ctstate NEW flags SYN: "
                                        + "accepted by inet filter/input:2\n"), text.stdout)
        XCTAssert(text.stdout.contains("inet filter/input #2 tcp dport @allowed counter packets 0 bytes 0 accept: "
                                       + "match -> ACCEPT"), text.stdout)
        let nft = try run(["trace", path, "--hook", "prerouting,input", "--format", "nft"] + packet)
        XCTAssertEqual(nft.status, 0, nft.stderr)
        XCTAssertEqual(nft.stdout, """
        trace id 00000000 inet filter input packet: iif "eth0" ip saddr 10.9.0.1 ip daddr 10.9.0.2 \
        tcp sport 40000 tcp dport 80
        trace id 00000000 inet filter input rule tcp dport @allowed counter packets 0 bytes 0 accept (verdict accept)

        """)
        let open = try run(["trace", path, "--hook", "input", "--format", "json", "-p", "tcp", "-i", "eth0"])
        XCTAssertEqual(open.status, 0, open.stderr)
        XCTAssert(open.stdout.contains("\"confirmed\": true"), open.stdout)
        XCTAssertFalse(open.stdout.contains("\"confirmed\": false"), open.stdout)
    }

    func testTraceRefusesWhatDoesNotFitNftRules() throws {
        let path = try temporaryFile(Self.nftRuleset)
        let order = try run(["trace", path, "--hook", "input,forward", "-p", "tcp"])
        XCTAssertEqual(order.status, 2)
        XCTAssert(order.stderr.contains("no packet passes these hooks in this order"), order.stderr)
        let chain = try run(["trace", path, "--chain", "filter/input", "-p", "tcp"])
        XCTAssertEqual(chain.status, 2)
        XCTAssert(chain.stderr.contains("for nft rules give --hook"), chain.stderr)
        let iptables = try temporaryFile("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n")
        let format = try run(["trace", iptables, "--hook", "INPUT", "-p", "tcp", "--format", "nft"])
        XCTAssertEqual(format.status, 2)
        let hooks = try run(["trace", iptables, "--hook", "PREROUTING,INPUT", "-p", "tcp"])
        XCTAssertEqual(hooks.status, 2)
        XCTAssert(hooks.stderr.contains("several hooks"), hooks.stderr)
    }
}
