import XCTest
@testable import Netfilter

/// Spec files as users write them: every clause read, every error of a file reported with
/// its line and column, misspelt keywords answered with the closest valid one.
final class SpecParserTests: XCTestCase {
    func parse(_ text: String, mode: SpecParser.Mode = .spec) -> (spec: ExpectationSpec, diagnostics: [Diagnostic]) {
        SpecParser.parse(Array(text.utf8), file: "t.spec", mode: mode)
    }

    func testAFullCaseIsReadClauseByClause() throws {
        let text = """
        # published port
        expect ACCEPT  tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 with ctstate NEW mark 0x10 assume statistic=true by filter/DOCKER:1 dnat 172.17.0.2:80 via PREROUTING,FORWARD to vethc1 reply ACCEPT by "docker reply" snat 10.0.2.15:8080 to eth0  # the web port

        """
        let (spec, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(spec.lines.count, 2)
        guard case .text("# published port") = spec.lines[0] else { return XCTFail("comment line kept verbatim") }
        let item = try XCTUnwrap(spec.cases.first)
        XCTAssertEqual(item.line, 2)
        XCTAssertEqual(item.packetText, "tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn")
        XCTAssertEqual(item.packet.destinationPort, 8080)
        // `syn` is iptables' --syn: SYN set, FIN, RST and ACK clear (ECN's flags may be set).
        XCTAssertEqual(item.described.packets?.cubes.first?[.tcpFlags], .ternary(TernarySet(value: 0x02, mask: 0x17)))
        XCTAssertEqual(item.packet.conntrack.state, .new)
        XCTAssertEqual(item.packet.mark, 0x10)
        XCTAssertEqual(item.origin?.value, .device("eth0"))
        XCTAssertEqual(item.pinned, ["statistic": true])
        XCTAssertEqual(item.state, ["ctstate NEW", "mark 0x10"])
        let request = try XCTUnwrap(item.request)
        XCTAssertEqual(request.fate.value, .accept)
        XCTAssertFalse(request.maybe)
        XCTAssertEqual(request.decider?.value, .rule(table: "filter", chain: "DOCKER", number: 1))
        XCTAssertEqual(request.destinationNAT.map { OutcomeWords.endpoint($0.value) }, "172.17.0.2:80")
        XCTAssertEqual(request.hooks?.value, [.prerouting, .forward])
        XCTAssertEqual(request.exit?.value, .device("vethc1"))
        let reply = try XCTUnwrap(item.reply)
        XCTAssertEqual(reply.decider?.value, .comment("docker reply"))
        XCTAssertEqual(reply.sourceNAT.map { OutcomeWords.endpoint($0.value) }, "10.0.2.15:8080")
        XCTAssertEqual(reply.exit?.value, .device("eth0"))
        XCTAssertEqual(item.trailingComment, "# the web port")
    }

    func testOutcomesPoliciesAndRulesFileClauses() throws {
        let (spec, diagnostics) = parse("""
        expect REJECT tcp-reset tcp 10.0.0.1:1 -> 10.0.0.2:23 in eth0 at filter/INPUT by filter/INPUT:policy
        expect maybe DROP icmp 10.0.0.1 -> 10.0.0.2 type 8 at PREROUTING,INPUT
        expect REJECT ipv6-icmp 2001:db8::1 -> 2001:db8::2 at OUTPUT
        expect RETURN udp 10.0.0.1:5 -> 10.0.0.2:53 at filter/DOCKER-USER by allow-dns
        """)
        XCTAssertEqual(diagnostics, [])
        let cases = spec.cases
        XCTAssertEqual(cases.count, 4)
        XCTAssertEqual(cases[0].request?.fate.value, .reject("tcp-reset"))
        XCTAssertEqual(cases[0].point?.value, .chain(table: "filter", chain: "INPUT"))
        XCTAssertEqual(cases[0].request?.decider?.value, .rule(table: "filter", chain: "INPUT", number: nil))
        XCTAssertEqual(cases[0].packet.hookState.inInterface, "eth0")
        XCTAssertEqual(cases[1].request?.maybe, true)
        XCTAssertEqual(cases[1].point?.value, .hooks([.prerouting, .input]))
        // A protocol name with a dash is the packet, not a REJECT kind.
        XCTAssertEqual(cases[2].request?.fate.value, .reject(nil))
        XCTAssertEqual(cases[2].packet.family, .ipv6)
        XCTAssertEqual(cases[3].request?.decider?.value, .comment("allow-dns"))
    }

    func testEveryErrorOfAFileInOnePassWithLineAndColumn() {
        let (spec, diagnostics) = parse("""
        expct ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from eth0
        expect ACCPET tcp 1.2.3.4 -> 5.6.7.8 from eth0
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 ctstate NEW from eth0
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from eth0 dant 1.2.3.4
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from eth0 via FORWRAD
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.300 from eth0
        expect DROP tcp 1.2.3.4 -> 5.6.7.8 from eth0 to eth0
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 at INPUT,POSTROUTING
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from eth0 by filter/FORWARD:first
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from eth0 from eth1
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from eth0 reply ACCEPT with ctstate NEW
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from eth0 syn
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 in eth0 with ttl 3
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 frmo eth0
        """)
        XCTAssertEqual(spec.cases.count, 0, "a line with an error yields no case")
        let found = diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        XCTAssertEqual(found, [
            "1:1: a case starts with 'expect OUTCOME'; found 'expct' (did you mean 'expect'?)",
            "2:8: unknown outcome 'ACCPET' (ACCEPT, DROP, REJECT or RETURN) (did you mean 'ACCEPT'?)",
            "3:38: 'ctstate' goes after 'with' in a spec: write 'with ctstate NEW'",
            "4:48: unknown clause 'dant' (did you mean 'dnat'?)",
            "5:52: unknown hook 'FORWRAD' (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING) (did you mean 'FORWARD'?)",
            "6:30: packet: invalid destination address '5.6.7.300' (ADDR, ADDR/LEN or ADDR/MASK)",
            "7:46: 'to' says where an accepted packet goes; a DROP case has no way out",
            "8:47: POSTROUTING does not follow INPUT on a packet's way (PREROUTING then INPUT or FORWARD, FORWARD then POSTROUTING, OUTPUT then POSTROUTING)",
            "9:51: 'by' takes a rule number from 1 or 'policy' after the chain, not 'first'",
            "10:48: 'from' is given twice",
            "11:61: 'with' describes the request: write it before 'reply'",
            "12:48: 'syn' is part of the packet: write it before the clauses (from, at, with, by, ...)",
            "13:42: 'from' needs a value",
            "14:51: 'with' takes ctstate STATE, mark N or connmark N, not 'ttl': 'ttl' is part of the packet, before the clauses",
            "15:38: unknown word 'frmo' after the packet (did you mean 'from'?)",
        ])
    }

    func testBlankAndCommentLinesAndQuotedHashes() throws {
        let (spec, diagnostics) = parse("\n   \n# only a comment\nexpect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from eth0 by \"# not a comment\"\r\n")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(spec.lines.count, 4)
        XCTAssertEqual(spec.cases.first?.request?.decider?.value, .comment("# not a comment"))
        XCTAssertNil(spec.cases.first?.trailingComment)
    }

    func testPacketListsForRecordingNeedNoExpectation() throws {
        let (spec, diagnostics) = parse("""
        tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 reply
        expect DROP udp 1.2.3.4:1 -> 5.6.7.8:2 from eth0 by raw/PREROUTING:1
        """, mode: .packets)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(spec.cases.count, 2)
        XCTAssertNil(spec.cases[0].request)
        XCTAssertTrue(spec.cases[0].recordsReply)
        XCTAssertEqual(spec.cases[1].request?.fate.value, .drop)
        // The same bare packet is an error in a spec.
        let strict = parse("tcp 1.2.3.4 -> 5.6.7.8 from eth0\n")
        XCTAssertEqual(strict.diagnostics.first?.location, SourceLocation(line: 1, column: 1))
    }

    func testSuggestionsOnlyForCloseWords() {
        XCTAssertEqual(Suggestion.closest(to: "masqerade", among: SpecParser.clauseKeywords), "masquerade")
        XCTAssertEqual(Suggestion.closest(to: "vai", among: SpecParser.clauseKeywords), "via")
        XCTAssertNil(Suggestion.closest(to: "banana", among: SpecParser.clauseKeywords))
    }
}
