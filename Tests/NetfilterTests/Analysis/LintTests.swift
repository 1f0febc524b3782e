import XCTest
@testable import Netfilter

/// Each lint against a real bad input (it must fire, at the right line) and a clean one
/// (it must stay silent).
final class LintTests: XCTestCase {
    func findings(_ id: String, _ text: String, family: Family = .ipv4, ipv6: String? = nil,
                  snapshot: HostSnapshot? = nil, file: StaticString = #filePath, line: UInt = #line) -> [LintFinding] {
        var inputs = [LintInput(file: "rules", ruleset: parse(text, family: family, file: file, line: line))]
        if let ipv6 { inputs.append(LintInput(file: "rules6", ruleset: parse(ipv6, family: .ipv6, file: file, line: line))) }
        var snapshotWithRules = snapshot
        snapshotWithRules?.ruleset = inputs[0].ruleset
        let context = LintContext(inputs: inputs, snapshot: snapshotWithRules)
        guard let lint = LintRegistry.lint(id) else {
            XCTFail("no lint \(id)", file: file, line: line)
            return []
        }
        return Linter(lints: [lint]).run(context)
    }

    func parse(_ text: String, family: Family, file: StaticString, line: UInt) -> Ruleset {
        let result = SaveParser.parse(Array(text.utf8), family: family)
        let errors = (result.diagnostics + Validator.validate(result.ruleset)).filter { $0.severity == .error }
        XCTAssertTrue(errors.isEmpty, "\(errors.map(\.message))", file: file, line: line)
        return result.ruleset
    }

    func filter(_ rules: String, policy: String = "DROP", chains: String = "") -> String {
        "*filter\n:INPUT \(policy) [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n\(chains)\(rules)\nCOMMIT\n"
    }

    // MARK: generic

    func testShadowedRule() {
        let bad = findings("shadowed-rule", filter("""
        -A INPUT -s 10.0.0.0/8 -j ACCEPT
        -A INPUT -p tcp -m tcp --dport 22 -j DROP
        -A INPUT ! -s 10.0.0.0/8 -p tcp -m tcp --dport 20:30 -j REJECT --reject-with icmp-port-unreachable
        -A INPUT -s 192.168.1.0/24 -p tcp -m tcp --dport 22 -m comment --comment "never reached" -j ACCEPT
        """))
        XCTAssertEqual(bad.map(\.location.position.line), [8])
        XCTAssertEqual(bad.first?.related.map(\.ruleNumber), [2], "rule 2 alone covers every tcp/22 packet")
        let ctstates = findings("shadowed-rule", filter("""
        -A INPUT -m conntrack --ctstate NEW,INVALID -j DROP
        -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED,UNTRACKED -j ACCEPT
        -A INPUT -i eth0 -j ACCEPT
        """))
        XCTAssertEqual(ctstates.map(\.location.position.line), [7], "the five states cover every packet")
        let clean = findings("shadowed-rule", filter("""
        -A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT
        -A INPUT -p tcp -m tcp --dport 22 -m recent --rcheck --name ssh -j DROP
        -A INPUT -p tcp -m tcp --dport 22 -j LOG
        -A INPUT -p tcp -m tcp --dport 22 -m limit --limit 1/sec -j ACCEPT
        -A INPUT -p tcp -m tcp --dport 22 -j DROP
        -A INPUT -j MARK --set-xmark 0x1/0xffffffff
        -A INPUT -m mark --mark 0x1 -j ACCEPT
        """))
        XCTAssertEqual(clean, [], "covering rules with unknown matches (recent, limit) never count; nothing claimed after MARK")
    }

    func testShadowedRuleNeverMatches() {
        let bad = findings("shadowed-rule", filter("-A INPUT -s 10.0.0.0/8 -m iprange --src-range 192.168.0.1-192.168.0.9 -j ACCEPT"))
        XCTAssertEqual(bad.count, 1)
        XCTAssertTrue(bad.first?.message.contains("matches no packet at all") == true)
    }

    func testUnreachableRule() {
        let bad = findings("unreachable-rule", filter("""
        -A INPUT -i lo -j ACCEPT
        -A INPUT -m comment --comment "the end" -j DROP
        -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
        """))
        XCTAssertEqual(bad.map(\.location.position.line), [7])
        XCTAssertEqual(findings("unreachable-rule", filter("-A INPUT -i lo -j ACCEPT\n-A INPUT -j LOG\n-A INPUT -j ACCEPT")), [])
    }

    func testUselessReturn() {
        let bad = findings("useless-return", filter("-A INPUT -j checks\n-A checks -s 10.0.0.1 -j DROP\n-A checks -s 10.0.0.2 -j RETURN",
                                                    chains: ":checks - [0:0]\n"))
        XCTAssertEqual(bad.map(\.location.position.line), [8])
        let clean = findings("useless-return", filter("-A INPUT -j checks\n-A checks -s 10.0.0.2 -j RETURN\n-A checks -j DROP",
                                                      chains: ":checks - [0:0]\n"))
        XCTAssertEqual(clean, [])
    }

    func testDuplicateRule() {
        let bad = findings("duplicate-rule", filter("""
        -A INPUT -p tcp -m tcp --dport 22 -m comment --comment ssh -j ACCEPT
        -A INPUT -p udp -m udp --dport 53 -j ACCEPT
        -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
        """))
        XCTAssertEqual(bad.map(\.location.position.line), [7])
        XCTAssertEqual(bad.first?.related.map(\.ruleNumber), [1])
        XCTAssertEqual(findings("duplicate-rule", filter("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 23 -j ACCEPT")), [])
    }

    func testPolicyRule() {
        XCTAssertEqual(findings("policy-rule", filter("-A INPUT -i lo -j ACCEPT\n-A INPUT -j DROP")).map(\.location.position.line), [6])
        XCTAssertEqual(findings("policy-rule", filter("-A INPUT -i lo -j ACCEPT\n-A INPUT -j DROP", policy: "ACCEPT")), [])
    }

    func testUnusedChainAndEmptyJump() {
        let unused = findings("unused-chain", filter("-A INPUT -j used\n-A used -j ACCEPT\n-A forgotten -j DROP",
                                                     chains: ":used - [0:0]\n:forgotten - [0:0]\n"))
        XCTAssertEqual(unused.map(\.location.position.line), [6])
        XCTAssertEqual(findings("unused-chain", filter("-A INPUT -j used\n-A used -j ACCEPT", chains: ":used - [0:0]\n:KUBE-PROXY-CANARY - [0:0]\n")), [],
                       "kube-proxy's canary chain is unreferenced by design")
        let empty = findings("jump-to-empty-chain", filter("-A INPUT -j nothing\n-A INPUT -j DOCKER-USER",
                                                           chains: ":nothing - [0:0]\n:DOCKER-USER - [0:0]\n"))
        XCTAssertEqual(empty.map(\.location.position.line), [7], "DOCKER-USER is empty by design")
    }

    func testStateMatchAndUnlimitedLog() {
        let state = findings("state-match", filter("-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT"))
        XCTAssertEqual(state.map(\.location.position.line), [5])
        XCTAssertEqual(findings("state-match", filter("-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")), [])
        let log = findings("log-without-limit", filter("-A INPUT -j LOG --log-prefix \"in: \""))
        XCTAssertEqual(log.map(\.location.position.line), [5])
        XCTAssertEqual(findings("log-without-limit", filter("-A INPUT -m limit --limit 5/min -j LOG --log-prefix \"in: \"")), [])
    }

    func testNeverHit() {
        let rules = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + "[0:0] -A INPUT -s 192.0.2.0/24 -j DROP\n[120:9000] -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n[0:0] -A INPUT -j LOG\nCOMMIT\n"
        XCTAssertEqual(findings("never-hit", rules).map(\.location.position.line), [5], "only rules with later hits")
        XCTAssertEqual(findings("never-hit", filter("-A INPUT -s 192.0.2.0/24 -j DROP")), [], "no counters, no claim")
    }

    func testLateEstablished() {
        let many = (1...12).map { "-A INPUT -p tcp -m tcp --dport \($0 + 1000) -j ACCEPT" }.joined(separator: "\n")
        let bad = findings("late-established", filter(many + "\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"))
        XCTAssertEqual(bad.map(\.location.position.line), [17])
        XCTAssertEqual(findings("late-established", filter("-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n" + many)), [])
    }

    func testIPv6Unfiltered() {
        let v6Open = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n"
        let bad = findings("ipv6-unfiltered", filter("-A INPUT -i lo -j ACCEPT"), ipv6: v6Open)
        XCTAssertEqual(bad.map(\.location.file), ["rules6", "rules6"], "INPUT and FORWARD")
        let v6Closed = "*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -j REJECT\nCOMMIT\n"
        XCTAssertEqual(findings("ipv6-unfiltered", filter("-A INPUT -i lo -j ACCEPT"), ipv6: v6Closed), [])
        XCTAssertEqual(findings("ipv6-unfiltered", filter("-A INPUT -i lo -j ACCEPT")), [], "no IPv6 rules, no claim")
    }

    func testDisableComments() {
        let text = filter("""
        -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
        # verdict: disable=duplicate-rule
        -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
        -A INPUT -p tcp -m tcp --dport 22 -m comment --comment "verdict: disable=duplicate-rule" -j ACCEPT
        -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
        """)
        XCTAssertEqual(findings("duplicate-rule", text).map(\.location.position.line), [9])
        let context = LintContext(inputs: [LintInput(file: "rules", ruleset: parse(text, family: .ipv4, file: #filePath, line: #line))])
        XCTAssertFalse(Linter(disabled: ["duplicate-rule"]).run(context).contains { $0.lint == "duplicate-rule" })
        XCTAssertEqual(Linter.disabledIDs(in: "# keep verdict:disable=a,b\"rest"), ["a", "b"])
        XCTAssertEqual(Linter.disabledIDs(in: "verdict: check me; verdict: disable=c d"), ["c"])
        XCTAssertEqual(Linter.disabledIDs(in: "verdict: disable="), [])
        XCTAssertEqual(Linter.disabledIDs(in: "verdict"), [])
    }

    func testRegistryIDsAreUniqueAndDocumented() throws {
        let ids = LintRegistry.all.map(\.descriptor.id)
        XCTAssertEqual(Set(ids).count, ids.count)
        let docs = try String(contentsOf: Corpus.repository.appendingPathComponent("docs/lints.md"), encoding: .utf8)
        for id in ids {
            XCTAssertTrue(docs.contains("### \(id)"), "docs/lints.md has no section for \(id)")
        }
    }

    /// One lint's findings on rule sets built in memory (the caller knows they load).
    func findings(_ id: String, in rulesets: Ruleset..., file: StaticString = #filePath,
                  line: UInt = #line) -> [LintFinding] {
        let inputs = rulesets.map { LintInput(file: "rules-\($0.family.rawValue)", ruleset: $0) }
        guard let lint = LintRegistry.lint(id) else {
            XCTFail("no lint \(id)", file: file, line: line)
            return []
        }
        return Linter(lints: [lint]).run(LintContext(inputs: inputs))
    }

    func testLintsOnALineOf100000Chains() {
        // The kernel loads a line of 100,000 chains (ValidatorTests: verdict too). These
        // lints looked each chain up by name, in time quadratic in the line.
        let line = ChainLines.ruleset(count: 100_000)
        XCTAssertEqual(findings("jump-to-empty-chain", in: line).map(\.message),
                       ["rule 1 of filter/C99999 jumps to C100000, which has no rules"])
        // FORWARD drops at the end of the IPv4 line, never in the IPv6 one.
        let dropping = ChainLines.ruleset(count: 100_000, last: "-j DROP")
        let open = ChainLines.ruleset(count: 100_000, family: .ipv6)
        XCTAssertEqual(findings("ipv6-unfiltered", in: dropping, open).map(\.location.chain), ["filter/FORWARD"])
    }

    func testChainsRewritingFieldsAreThoseThatReachARewrite() {
        let rules = filter("-A INPUT -j C\n-A A -j B\n-A B -j MARK --set-xmark 0x1/0xffffffff\n-A C -g A\n-A E -j D",
                           chains: ":A - [0:0]\n:B - [0:0]\n:C - [0:0]\n:D - [0:0]\n:E - [0:0]\n")
        let table = parse(rules, family: .ipv4, file: #filePath, line: #line).tables[0]
        XCTAssertEqual(table.chainsRewritingFields, ["INPUT", "A", "B", "C"])
        // Down a line of 100,000 chains (one chain more per pass, when it was a fixpoint).
        let line = ChainLines.ruleset(count: 100_000, last: "-j MARK --set-xmark 0x1/0xffffffff")
        XCTAssertEqual(line.tables.first?.chainsRewritingFields.count, 100_001)
    }
}
