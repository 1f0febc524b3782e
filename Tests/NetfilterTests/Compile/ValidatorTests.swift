import XCTest
@testable import Netfilter

/// The kernel's load-time checks, each with a real bad input.
final class ValidatorTests: XCTestCase {
    func diagnostics(_ text: String) -> [Diagnostic] {
        let result = SaveParser.parse(text, family: .ipv4)
        XCTAssertEqual(result.errors, [], "the input should parse")
        return Validator.validate(result.ruleset)
    }

    func testJumpToUndefinedChain() {
        let found = diagnostics("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j NOWHERE\nCOMMIT\n")
        XCTAssertEqual(found.count, 1)
        XCTAssert(found[0].message.contains("undefined chain 'NOWHERE'"))
        XCTAssertEqual(found[0].location, SourceLocation(line: 3, column: 17))
    }

    func testJumpToChainOfAnotherTableSaysSo() {
        let found = diagnostics("*nat\n:DOCKER - [0:0]\nCOMMIT\n*filter\n-A FORWARD -j DOCKER\nCOMMIT\n")
        XCTAssert(found.first?.message.contains("exists in table nat") == true, "\(found)")
    }

    func testJumpToBuiltinChain() {
        let found = diagnostics("*filter\n:MINE - [0:0]\n-A MINE -j INPUT\nCOMMIT\n")
        XCTAssert(found.first?.message.contains("built-in chain 'INPUT'") == true, "\(found)")
    }

    func testJumpLoop() {
        let found = diagnostics("*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -g A\nCOMMIT\n")
        XCTAssertEqual(found.count, 1)
        XCTAssert(found[0].message.contains("A -> B -> A"), found[0].message)
        XCTAssertEqual(found[0].location.line, 6)
    }

    func testLoopNoBuiltInChainReachesIsLoaded() {
        // Found by Scripts/kernel-conformance: the kernel checks loops from the hooks only.
        XCTAssertEqual(diagnostics("*filter\n:A - [0:0]\n-A A -j A\nCOMMIT\n"), [])
        XCTAssertEqual(diagnostics("*filter\n:A - [0:0]\n-A INPUT -j A\n-A A -j A\nCOMMIT\n").count, 1)
    }

    func testLoopsAreReportedInTheWalksOrder() {
        // Depth first from the built-in chains, jumps in rule order: a loop through A, a
        // chain jumping to itself, then one reached from FORWARD only (A is done by then).
        let rules = """
        *filter
        :A - [0:0]
        :B - [0:0]
        :C - [0:0]
        :D - [0:0]
        -A INPUT -j A
        -A A -j B
        -A B -j A
        -A A -j C
        -A C -j C
        -A FORWARD -j D
        -A D -j A
        -A D -g D
        COMMIT

        """
        let found = diagnostics(rules)
        XCTAssertEqual(found.map(\.message), ["jump loop: A -> B -> A (the kernel refuses loops)",
                                              "jump loop: C -> C (the kernel refuses loops)",
                                              "jump loop: D -> D (the kernel refuses loops)"])
        XCTAssertEqual(found.map(\.location.line), [8, 10, 13])
    }

    func testTheLineOfChainsBuiltInMemoryIsItsText() {
        // The tests below build their 100,000 chains in memory, where parsing takes seconds.
        for (verb, last) in [("-j", nil), ("-g", "-j C1"), ("-j", "-j DROP")] {
            let text = ChainLines.text(count: 5, verb: verb, last: last)
            let built = ChainLines.ruleset(count: 5, verb: verb, last: last)
            let parsed = SaveParser.parse(text, family: .ipv4).ruleset
            XCTAssertEqual(SavePrinter.print(built), SavePrinter.print(parsed))
            XCTAssertEqual(Validator.validate(built).map(\.location.line),
                           Validator.validate(parsed).map(\.location.line))
            XCTAssertEqual(built.tables[0].chains.map(\.location), parsed.tables[0].chains.map(\.location))
            XCTAssertEqual(built.tables[0].chains.flatMap(\.rules).map(\.location),
                           parsed.tables[0].chains.flatMap(\.rules).map(\.location))
        }
    }

    func testALineOf100000ChainsLoads() {
        // The kernel (iptables-legacy-restore) loads it; a recursive loop check overflowed
        // the stack from about 12,500 chains on.
        XCTAssertEqual(Validator.validate(ChainLines.ruleset(count: 100_000)), [])
    }

    func testALoopClosingALineOf100000ChainsIsOneError() {
        let found = Validator.validate(ChainLines.ruleset(count: 100_000, last: "-j C1"))
        XCTAssertEqual(found.count, 1)
        let message = found.first?.message ?? ""
        XCTAssert(message.hasPrefix("jump loop: C1 -> C2 -> C3 -> "), String(message.prefix(80)))
        XCTAssert(message.hasSuffix(" -> C99999 -> C100000 -> C1 (the kernel refuses loops)"),
                  String(message.suffix(80)))
        // The rule that closes the loop: after the tables' 4 header lines, 100,000 chain
        // declarations and FORWARD's rule.
        XCTAssertEqual(found.first?.location.line, 4 + 100_000 + 100_000 + 1)
    }

    func testRulesAfterAnUnconditionalVerdictAreNotHookChecked() {
        // Found by Scripts/kernel-conformance: mark_source_chains turns back at an
        // unconditional RETURN, so the MASQUERADE after it is never checked against PREROUTING.
        let rules = "*nat\n:MINE - [0:0]\n-A PREROUTING -p tcp -j MINE\n-A MINE -j RETURN\n-A MINE -p udp -j MASQUERADE\nCOMMIT\n"
        XCTAssertEqual(diagnostics(rules), [])
        let conditional = rules.replacingOccurrences(of: "-A MINE -j RETURN", with: "-A MINE -p tcp -j RETURN")
        XCTAssert(diagnostics(conditional).first?.message.contains("MASQUERADE target is not allowed at hook PREROUTING") == true)
        // The table is checked for every rule.
        XCTAssertEqual(diagnostics("*filter\n-A INPUT -j ACCEPT\n-A INPUT -j MASQUERADE\nCOMMIT\n").count, 1)
    }

    func testInterfaceOptionsRefusedByChainName() {
        // iptables refuses -o in PREROUTING/INPUT and -i in OUTPUT/POSTROUTING, in any table.
        let outgoing = diagnostics("*mangle\n-A INPUT -o eth0 -j ACCEPT\nCOMMIT\n")
        XCTAssert(outgoing.first?.message.contains("can't use -o with INPUT") == true, "\(outgoing)")
        XCTAssertEqual(outgoing.first?.location.line, 2)
        let incoming = diagnostics("*nat\n-A POSTROUTING ! -i eth0 -j ACCEPT\nCOMMIT\n")
        XCTAssert(incoming.first?.message.contains("can't use -i with POSTROUTING") == true, "\(incoming)")
        // A user chain reached from POSTROUTING is not checked: there -i matches the input device.
        XCTAssertEqual(diagnostics("*nat\n:MINE - [0:0]\n-A POSTROUTING -j MINE\n-A MINE -i eth0 -j ACCEPT\nCOMMIT\n"), [])
    }

    func testTargetOutsideItsTable() {
        let found = diagnostics("*filter\n-A FORWARD -j MASQUERADE\nCOMMIT\n")
        XCTAssert(found.first?.message.contains("only valid in the nat table") == true, "\(found)")
        XCTAssertEqual(found.first?.location, SourceLocation(line: 2, column: 12))
    }

    func testTargetAtAHookTheKernelRefuses() {
        let found = diagnostics("*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j MASQUERADE\nCOMMIT\n")
        XCTAssert(found.first?.message.contains("not allowed at hook PREROUTING") == true, "\(found)")
    }

    func testHookRestrictionFollowsJumpsIntoUserChains() {
        let text = "*nat\n:MINE - [0:0]\n-A POSTROUTING -j MINE\n-A PREROUTING -j MINE\n-A MINE -j MASQUERADE\nCOMMIT\n"
        let found = diagnostics(text)
        XCTAssertEqual(found.count, 1)
        XCTAssert(found[0].message.contains("chain 'MINE' is reached from PREROUTING, POSTROUTING"), found[0].message)
    }

    func testUnreachableUserChainIsNotHookChecked() {
        // The kernel checks a target only against the hooks its chain is reached from.
        XCTAssertEqual(diagnostics("*nat\n:MINE - [0:0]\n-A MINE -j MASQUERADE\nCOMMIT\n"), [])
    }

    func testCleanRulesetHasNoFindings() {
        XCTAssertEqual(diagnostics("*filter\n:MINE - [0:0]\n-A INPUT -j MINE\n-A MINE -j RETURN\nCOMMIT\n"), [])
    }
}
