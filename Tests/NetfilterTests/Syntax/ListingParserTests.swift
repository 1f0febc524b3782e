import XCTest
@testable import Netfilter

/// The listing grammar (docs/grammar.md, section 3): chain headers, column headers, the
/// columns of each row, table header lines, and the errors and losses each reports.
final class ListingParserTests: XCTestCase {
    func parse(_ text: String, family: Family = .ipv4, options: ParseOptions = ParseOptions()) -> ParseResult {
        ListingParser.parse(text, family: family, options: options)
    }

    func rules(_ result: ParseResult, _ table: String = "filter", _ chain: String) -> [String] {
        result.ruleset.table(named: table)?.chain(named: chain)?.rules.map { SavePrinter.ruleText($0, family: result.ruleset.family) } ?? []
    }

    func testReadsEveryColumnOfAVerboseListingWithLineNumbers() throws {
        let result = parse("""
        # iptables -nL --line-numbers -v -t filter
        Chain INPUT (policy DROP 12 packets, 3456 bytes)
        num   pkts bytes target     prot opt in     out     source               destination
        1        5   300 ACCEPT     tcp  --  eth0   *       10.0.0.0/8           0.0.0.0/0            tcp dpt:22
        2     2558K  178M MINE       all  -f  *      !lo      0.0.0.0/0           !192.168.1.1
        3        0     0            !udp  !f  *      *      !10.1.0.0/255.255.0.255  0.0.0.0/0

        Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)
        num   pkts bytes target     prot opt in     out     source               destination

        Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
        num   pkts bytes target     prot opt in     out     source               destination

        Chain MINE (1 references)
        num   pkts bytes target     prot opt in     out     source               destination
        1        0     0 MINE2      all  --  *      *       0.0.0.0/0            0.0.0.0/0           [goto]

        Chain MINE2 (1 references)
        num   pkts bytes target     prot opt in     out     source               destination
        1        0     0 RETURN     all  --  *      *       0.0.0.0/0            0.0.0.0/0

        """)
        XCTAssertEqual(result.errors, [])
        let table = try XCTUnwrap(result.ruleset.table(named: "filter"))
        XCTAssertEqual(table.chains.map(\.name), ["INPUT", "FORWARD", "OUTPUT", "MINE", "MINE2"])
        XCTAssertEqual(table.chains.map(\.policy), [.drop, .accept, .accept, nil, nil])
        XCTAssertEqual(table.chains[0].counters, Counters(packets: 12, bytes: 3456))
        XCTAssertEqual(table.chains[3].counters, .zero, "a user chain prints [0:0], as iptables-save does")
        XCTAssertEqual(rules(result, "filter", "INPUT"), [
            "-s 10.0.0.0/8 -i eth0 -p tcp -m tcp --dport 22 -j ACCEPT",
            "! -d 192.168.1.1/32 ! -o lo -f -j MINE",
            "! -s 10.1.0.0/255.255.0.255 ! -p udp ! -f",
        ])
        XCTAssertEqual(rules(result, "filter", "MINE"), ["-g MINE2"])
        let input = table.chains[0].rules
        XCTAssertEqual(input.map(\.counters), [Counters(packets: 5, bytes: 300), Counters(packets: 2_558_000, bytes: 178_000_000),
                                               Counters(packets: 0, bytes: 0)])
        XCTAssertEqual(input[0].location, SourceLocation(line: 4, column: 1))
        XCTAssertEqual(input[0].targetLocation.column, 18)
        let note = try XCTUnwrap(result.diagnostics.first { $0.severity == .note })
        XCTAssertEqual(note.location, SourceLocation(line: 5, column: 7))
        XCTAssertEqual(note.message, "INPUT rule 2: counters rounded (2558K packets, 178M bytes); list with -x for exact counters")
        XCTAssertEqual(result.diagnostics.filter { $0.severity == .warning }, [])
    }

    func testReadsAPlainListingAndSaysTheInterfacesAreNotShown() throws {
        let result = parse("""
        Chain INPUT (policy ACCEPT)
        target     prot opt source               destination
        ACCEPT     all  --  0.0.0.0/0            0.0.0.0/0            state RELATED,ESTABLISHED
                   tcp  --  0.0.0.0/0            10.0.0.1             tcp dpts:1024:65535
        LOG_DROP   all  --  127.0.0.0/8          0.0.0.0/0

        Chain LOG_DROP (1 references)
        target     prot opt source               destination
        DROP       all  --  0.0.0.0/0            0.0.0.0/0
        """)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(rules(result, "filter", "INPUT"), [
            "-m state --state RELATED,ESTABLISHED -j ACCEPT", "-d 10.0.0.1/32 -p tcp -m tcp --dport 1024:65535",
            "-s 127.0.0.0/8 -j LOG_DROP",
        ])
        XCTAssertNil(result.ruleset.tables[0].chains[0].counters, "no -v: no counters")
        XCTAssertNil(result.ruleset.tables[0].chains[0].rules[0].counters)
        let warnings = result.diagnostics.filter { $0.severity == .warning }
        XCTAssertEqual(warnings.count, 1)
        XCTAssertEqual(warnings[0].location.line, 3)
        XCTAssertEqual(warnings[0].message, "INPUT rule 1 and the rest of this table: listed without -v, so -i/-o are not shown (read as none)")
    }

    func testExactCountersAreExactAndSuffixedOnesRounded() throws {
        XCTAssertEqual(ListingCount("99999").map { [$0.value] }, [99999])
        XCTAssertEqual(ListingCount("99999")?.exact, true)
        XCTAssertEqual(ListingCount("2558K")?.value, 2_558_000)
        XCTAssertEqual(ListingCount("5263M")?.value, 5_263_000_000)
        XCTAssertEqual(ListingCount("19G")?.value, 19_000_000_000)
        XCTAssertEqual(ListingCount("70T")?.exact, false)
        XCTAssertEqual(ListingCount("70T")?.value, 70_000_000_000_000)
        XCTAssertNil(ListingCount("12X"))
        XCTAssertNil(ListingCount("K"))
        let result = parse("""
        Chain INPUT (policy ACCEPT 123456789012 packets, 10370370356 bytes)
        num      pkts      bytes target     prot opt in     out     source               destination
        1    24000000000000000 2016000000000000006 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0
        """)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.ruleset.tables[0].chains[0].counters, Counters(packets: 123_456_789_012, bytes: 10_370_370_356))
        XCTAssertEqual(result.ruleset.tables[0].chains[0].rules[0].counters,
                       Counters(packets: 24_000_000_000_000_000, bytes: 2_016_000_000_000_000_006), "-x: wider than the columns")
        XCTAssertEqual(result.diagnostics, [])
    }

    func testTablesFromHeaderLinesPromptsCommentsAndBuiltInChains() throws {
        XCTAssertEqual(ListingHeaders.table(in: "# iptables -nL --line-numbers -v -t nat")?.name, "nat")
        XCTAssertEqual(ListingHeaders.table(in: "[user@sys-firewall ~]$ sudo iptables -vL -n -t raw")?.name, "raw")
        XCTAssertEqual(ListingHeaders.table(in: "root@host:~# ip6tables-legacy --table=mangle -L -n")?.name, "mangle")
        XCTAssertEqual(ListingHeaders.table(in: "$ iptables -tsecurity -nvL")?.name, "security")
        XCTAssertEqual(ListingHeaders.table(in: "# iptables -L -n -v")?.name, "filter", "no -t: the filter table")
        XCTAssertEqual(ListingHeaders.table(in: "# --- table: nat ---")?.name, "nat")
        XCTAssertNil(ListingHeaders.table(in: "# format: iptables -v -L --line-numbers"), "a sentence about iptables")
        XCTAssertNil(ListingHeaders.table(in: "# iptables-save"), "not a listing command")
        XCTAssertNil(ListingHeaders.table(in: "# iptables -t nat -S"), "-S prints rules, not a listing")

        // Without header lines: each table is told from its built-in chains, a built-in
        // chain listed again starts the next table.
        let result = parse("""
        Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
        Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
        Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
        Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
            0     0 MASQUERADE  all  --  *      !docker0  172.17.0.0/16        0.0.0.0/0
        Chain INPUT (policy DROP 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
        Chain FORWARD (policy DROP 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
        Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
        """)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.ruleset.tables.map(\.name), ["nat", "filter"])
        XCTAssertEqual(rules(result, "nat", "POSTROUTING"), ["-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"])
        let note = try XCTUnwrap(result.diagnostics.first)
        XCTAssertEqual(note.severity, .note)
        XCTAssertEqual(note.location.line, 1)
        XCTAssert(note.message.contains("read as 'nat' from its built-in chains (give --table to choose)"), note.message)

        let chosen = parse("Chain INPUT (policy ACCEPT)\ntarget prot opt source destination\n", options: ParseOptions(table: "security"))
        XCTAssertEqual(chosen.ruleset.tables.map(\.name), ["security"])
    }

    func testOldIp6tablesWithoutAnOptColumnAndEmptyTargets() throws {
        let result = parse("""
        Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
        55833 3952K            tcp      eth1.150 *       ::/0                 2001:db8::/48        state NEW tcp dpt:22flags: 0x17/0x02 recent: SET name: ratessh side: source
          19G   70T ACCEPT     all      *      *       ::/0                 ::/0                 state RELATED,ESTABLISHED,UNTRACKED
            0     0 ACCEPT     icmpv6    *      *       ::/0                 ::/0
        """, family: .ipv6)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(rules(result, "filter", "FORWARD"), [
            "-d 2001:db8::/48 -i eth1.150 -p tcp -m state --state NEW -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -m recent --set --name ratessh --rsource",
            "-m state --state RELATED,ESTABLISHED,UNTRACKED -j ACCEPT",
            "-p ipv6-icmp -j ACCEPT",
        ])
    }

    func testErrorsPointAtTheirLineAndColumn() throws {
        let result = parse("""
        num   pkts bytes target     prot opt in     out     source               destination
        Chain INPUT (policy MAYBE 0 packets, 0 bytes)
        Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)
        num   pkts bytes target     prot opt in     out     source               destination
        1       12   ten ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0
        2        0     0 ACCEPT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:22 wibble 42
        3        0     0 ACCEPT     all  --  *      *       0.0.0.0/0            example.org
        4        0     0 ACCEPT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:99999
        Chain MINE (policy ACCEPT 0 packets, 0 bytes)
        Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)
        some text that is not a listing
        """)
        let found = result.errors.map { "\($0.location): \($0.message)" }
        XCTAssertEqual(found, [
            "1:1: column header outside a chain (a 'Chain NAME (...)' line must come first)",
            "2:7: invalid policy in '(policy MAYBE 0 packets, 0 bytes)' (a policy is ACCEPT or DROP)",
            "5:14: FORWARD rule 1: expected the byte counter of the bytes column, found 'ten'",
            "6:106: FORWARD rule 2: cannot read 'wibble 42': no extension prints this",
            "7:74: FORWARD rule 3: address printed as the name 'example.org' (listed without -n): names are not resolved offline; list with -n",
            "8:99: FORWARD rule 4: tcp: --dport: port \"99999\" is out of range (0-65535)",
            "9:7: 'MINE' has a policy but is not a built-in chain of table 'filter' (its built-in chains are INPUT, FORWARD, OUTPUT)",
            // Without header lines a built-in chain listed again starts another table.
            "10:1: table 'filter' is listed twice (first at line 3)",
            "11:1: unexpected line: expected 'Chain NAME (...)', a column header, a rule or a # comment",
        ])
        XCTAssertEqual(result.errors.first { $0.location.line == 6 }?.length, 9)
        XCTAssertEqual(ListingParser.parse("", family: .ipv4).errors.map(\.message),
                       ["no chain in this listing (expected lines such as 'Chain INPUT (policy ACCEPT)')"])
        XCTAssertEqual(ListingParser.parse("# iptables -L\nChain INPUT (policy ACCEPT)\nChain INPUT (policy ACCEPT)\n", family: .ipv4)
            .errors.map { "\($0.location): \($0.message)" }, ["3:7: chain 'INPUT' is listed twice in this table (first at line 2)"])
        XCTAssertEqual(ListingParser.parse("# iptables -t nut -L\nChain INPUT (policy ACCEPT)\n", family: .ipv4).errors.map { "\($0.location)" },
                       ["1:15"], "the unknown table's name is marked")
    }

    func testLenientKeepsARuleItCannotReadAsOpaqueText() throws {
        let listing = """
        Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
            0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80 OS fingerprint match linux
        """
        XCTAssert(parse(listing).hasErrors)
        let result = parse(listing, options: ParseOptions(lenient: true))
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.diagnostics.map(\.severity), [.warning])
        XCTAssert(result.diagnostics[0].message.contains("cannot read 'OS fingerprint match linux'"))
        let rule = try XCTUnwrap(result.ruleset.tables.first?.chains.first?.rules.first)
        XCTAssertEqual(rule.opaqueText, "-p tcp -m tcp --dport 80 -j ACCEPT OS fingerprint match linux")
        XCTAssertEqual(SavePrinter.print(result.ruleset).split(separator: "\n")[2],
                       "[0:0] -A INPUT -p tcp -m tcp --dport 80 -j ACCEPT OS fingerprint match linux")
        // An option verdict does not know (owner's PID match, gone since Linux 2.6.14).
        let old = parse("""
        Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
         pkts bytes target     prot opt in     out     source               destination
            0     0 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            owner PID match 42
        """, options: ParseOptions(lenient: true))
        XCTAssertEqual(old.errors, [])
        XCTAssertEqual(old.ruleset.tables.first?.chains.first?.rules.first?.opaqueText, "-m owner --pid-owner 42 -j DROP")
        XCTAssert(old.diagnostics.contains { $0.message.contains("unknown option '--pid-owner'") && $0.message.contains("opaque") })
    }

    func testNamesWithoutNumericOutputAreReadAndReported() throws {
        let result = parse("""
        Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
        num   pkts bytes target     prot opt in     out     source               destination
        1        0     0 DOCKER     all  --  any    any     anywhere            !loopback/8           ADDRTYPE match dst-type LOCAL
        2        0     0 ACCEPT     tcp  --  !br0   br0     anywhere             localhost            tcp dpt:http-alt
        """)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(rules(result, "filter", "OUTPUT"), [
            "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
            "-d 127.0.0.1/32 ! -i br0 -o br0 -p tcp -m tcp --dport 8080 -j ACCEPT",
        ])
        XCTAssertEqual(result.diagnostics.filter { $0.severity == .warning }.map(\.message), [
            "OUTPUT rule 1: address printed as the name 'loopback' (listed without -n): read as 127.0.0.0",
            "OUTPUT rule 2: address printed as the name 'localhost' (listed without -n): read as 127.0.0.1",
            "OUTPUT rule 2: port printed as the service name 'http-alt' (listed without -n): read as 8080",
        ])
    }

    func testTellsAListingFromADumpAndItsFamily() {
        XCTAssertEqual(RulesInput.detectFormat(Array("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n".utf8)), .save)
        XCTAssertEqual(RulesInput.detectFormat(Array("# Generated by iptables-save\n*nat\nCOMMIT\n".utf8)), .save)
        XCTAssertEqual(RulesInput.detectFormat(Array("-A INPUT -j ACCEPT\n".utf8)), .save)
        XCTAssertEqual(RulesInput.detectFormat(Array("\n# iptables -L -n\nChain INPUT (policy ACCEPT)\n".utf8)), .listing)
        XCTAssertEqual(RulesInput.detectFormat(Array("$ sudo iptables -vnL\r\nChain DOCKER (2 references)\r\n".utf8)), .listing)
        XCTAssertEqual(RulesInput.detectFormat(Array("Chain of thought\n".utf8)), .save)
        let v6 = Array("Chain INPUT (policy ACCEPT)\ntarget prot opt source destination\nACCEPT all  --  ::/0  ::1\n".utf8)
        XCTAssertEqual(RulesInput.detectFamily(v6), .ipv6)
        XCTAssertEqual(RulesInput.detectFamily(Array("# ip6tables -L -v\nChain INPUT (policy ACCEPT)\n".utf8)), .ipv6)
        XCTAssertEqual(RulesInput.detectFamily(Array("Chain INPUT (policy ACCEPT)\n".utf8), fileName: "rules.v6"), .ipv6)
        let parsed = RulesInput.parse(v6, family: .ipv6)
        XCTAssertEqual(parsed.errors, [])
        XCTAssertEqual(parsed.ruleset.ruleCount, 1)
    }
}
