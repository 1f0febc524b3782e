import XCTest
@testable import Netfilter

/// The nft reader: tables, chains, sets and rules read into their structure, printed back.
final class NftParserTests: XCTestCase {
    static let docker = """
    table ip docker-bridges {
    \tmap filter-forward-in-jumps {
    \t\ttype ifname : verdict
    \t\telements = { "br-dummy" : jump filter-forward-in__br-dummy }
    \t}

    \tchain nat-OUTPUT {
    \t\ttype nat hook output priority dstnat; policy accept;
    \t\tip daddr != 127.0.0.0/8 fib daddr type local counter packets 0 bytes 0 jump nat-prerouting-and-output
    \t}

    \tchain nat-prerouting-and-output {
    \t\tiifname != "br-dummy" tcp dport 8080 counter packets 0 bytes 0 dnat to 192.168.0.2:80 comment "DNAT"
    \t\tct state established,related counter packets 0 bytes 0 accept
    \t\toifname vmap @filter-forward-in-jumps
    \t}
    }

    """

    func testReadsTablesChainsAndMapsAndPrintsThemBack() throws {
        let result = NftParser.parse(Self.docker)
        XCTAssertEqual(result.diagnostics, [])
        let table = try XCTUnwrap(result.ruleset.tables.first)
        XCTAssertEqual(table.family, .ip)
        XCTAssertEqual(table.name, "docker-bridges")
        XCTAssertEqual(table.sets.map(\.name), ["filter-forward-in-jumps"])
        XCTAssert(table.sets[0].isMap && table.sets[0].isVerdictMap)
        XCTAssertEqual(table.sets[0].elements,
                       [NftSetElement(key: .value("\"br-dummy\""),
                                      value: .verdict(.jump("filter-forward-in__br-dummy")))])
        let output = table.chains[0]
        XCTAssertEqual(output.base, NftBaseChain(type: "nat", hook: "output", priority: .named("dstnat", offset: 0),
                                                 policy: "accept"))
        XCTAssertEqual(output.base?.priority.value(in: .ip), -100)
        XCTAssertEqual(table.chains[1].base, nil)
        XCTAssertEqual(NftPrinter.text(result.ruleset), Self.docker)
    }

    func testRulesAreStatementsWithRelations() throws {
        let chains = try XCTUnwrap(NftParser.parse(Self.docker).ruleset.tables.first).chains
        XCTAssertEqual(chains[0].rules[0].statements, [
            .match(NftRelation(left: .payload(protocol: "ip", field: "daddr"), operator: .notEqual,
                               right: .prefix(address: "127.0.0.0", length: 8))),
            .match(NftRelation(left: .fib(flags: ["daddr"], result: "type"), right: .value("local"))),
            .counter(packets: 0, bytes: 0),
            .verdict(.jump("nat-prerouting-and-output")),
        ])
        XCTAssertEqual(chains[1].rules[0].statements, [
            .match(NftRelation(left: .meta(key: "iifname", qualified: false), operator: .notEqual,
                               right: .value("\"br-dummy\""))),
            .match(NftRelation(left: .payload(protocol: "tcp", field: "dport"), right: .value("8080"))),
            .counter(packets: 0, bytes: 0),
            .nat(NftNat(kind: "dnat", to: .value("192.168.0.2:80"))),
            .comment("DNAT"),
        ])
        XCTAssertEqual(chains[1].rules[0].comment, "DNAT")
        XCTAssertEqual(chains[1].rules[1].statements.first,
                       .match(NftRelation(left: .ct(direction: nil, family: nil, key: "state"),
                                          right: .list(["established", "related"]))))
        XCTAssertEqual(chains[1].rules[2].statements,
                       [.verdictMap(key: .meta(key: "oifname", qualified: false),
                                    map: .setReference("filter-forward-in-jumps"))])
    }

    func rule(_ text: String) -> NftRule {
        let tokens = NftLexer.words(Substring(text), lineNumber: 1).tokens
        return NftRuleParser.rule(tokens)
    }

    func testExpressionsAndStatements() {
        XCTAssertEqual(rule("ip saddr . tcp dport { 10.0.0.1 . 22, 10.0.0.0/8 . 1-1024 } accept").statements, [
            .match(NftRelation(
                left: .concatenation([.payload(protocol: "ip", field: "saddr"),
                                      .payload(protocol: "tcp", field: "dport")]),
                right: .set([
                    NftSetElement(key: .concatenation([.value("10.0.0.1"), .value("22")])),
                    NftSetElement(key: .concatenation([.prefix(address: "10.0.0.0", length: 8),
                                                       .range(low: "1", high: "1024")])),
                ]))),
            .verdict(.accept),
        ])
        XCTAssertEqual(rule("ct mark & 0x000000ff == 0x00000001 meta mark set ct mark").statements, [
            .match(NftRelation(left: .binary(operator: "&", left: .ct(direction: nil, family: nil, key: "mark"),
                                             right: .value("0x000000ff")),
                               operator: .equal, right: .value("0x00000001"))),
            .set(target: .meta(key: "mark", qualified: true), value: .ct(direction: nil, family: nil, key: "mark")),
        ])
        XCTAssertEqual(rule("meta l4proto tcp reject with tcp reset").statements, [
            .match(NftRelation(left: .meta(key: "l4proto", qualified: true), right: .value("tcp"))),
            .reject(with: ["tcp", "reset"]),
        ])
        XCTAssertEqual(rule("fib saddr . iif oif missing drop").statements, [
            .match(NftRelation(left: .fib(flags: ["saddr", "iif"], result: "oif"), right: .value("missing"))),
            .verdict(.drop),
        ])
        XCTAssertEqual(rule("oifname \"eth0\" masquerade random,persistent").statements.last,
                       .nat(NftNat(kind: "masquerade", flags: ["random", "persistent"])))
        XCTAssertEqual(rule("dnat ip to ip saddr map @m").statements,
                       [.nat(NftNat(kind: "dnat", family: "ip",
                                    to: .map(key: .payload(protocol: "ip", field: "saddr"), map: .setReference("m"))))])
        XCTAssertEqual(rule("limit rate over 1 mbytes/second burst 2 mbytes drop").statements,
                       [.limit(NftLimit(over: true, rate: "1 mbytes/second", burst: "2 mbytes")), .verdict(.drop)])
        XCTAssertEqual(rule("log prefix \"in \" group 2").statements,
                       [.log([NftOption("prefix", "\"in \""), NftOption("group", "2")])])
        XCTAssertEqual(rule("ct original ip saddr 10.0.0.1 notrack").statements, [
            .match(NftRelation(left: .ct(direction: "original", family: "ip", key: "saddr"),
                               right: .value("10.0.0.1"))),
            .notrack,
        ])
        XCTAssertEqual(rule("xt match \"conntrack\" counter packets 1 bytes 2 xt target \"LOG\"").statements,
                       [.compat(kind: "match", name: "\"conntrack\""), .counter(packets: 1, bytes: 2),
                        .compat(kind: "target", name: "\"LOG\"")])
    }

    func testMaskedFlags() {
        XCTAssertEqual(rule("tcp flags syn / syn,ack counter").statements, [
            .match(NftRelation(left: .payload(protocol: "tcp", field: "flags"),
                               right: .binary(operator: "/", left: .value("syn"), right: .list(["syn", "ack"])))),
            .counter(packets: nil, bytes: nil),
        ])
    }

    func testWhatIsNotModelledIsKeptAsWrittenAfterWhatIs() {
        let text = "tcp dport 22 tcp option maxseg size set rt mtu"
        let parsed = rule(text)
        XCTAssertEqual(parsed.statements.first,
                       .match(NftRelation(left: .payload(protocol: "tcp", field: "dport"), right: .value("22"))))
        guard case .tokens(let tokens)? = parsed.statements.last else { return XCTFail("\(parsed.statements)") }
        XCTAssertEqual(tokens.first?.text, "tcp")
        XCTAssertEqual(NftPrinter.text(parsed), text)
        // Spacing nft would not print is kept too (the rule as words).
        let odd = "ip  saddr 10.0.0.1   accept"
        XCTAssertEqual(NftPrinter.text(rule(odd)), odd)
        XCTAssertEqual(rule(odd).statements.count, 1)
    }

    func testSetsListElementsOnTheLinesNftBreaksThem() throws {
        let text = """
        table inet t {
        \tflags dormant
        \tcomment "c"

        \tset s {
        \t\ttype ipv4_addr . inet_service
        \t\tflags interval,timeout
        \t\ttimeout 1h
        \t\telements = { 10.0.0.1 . 22 expires 59m,
        \t\t\t     10.0.0.2 . 80 }
        \t}

        \tflowtable f {
        \t\thook ingress priority filter
        \t\tdevices = { lo }
        \t}
        }

        """
        let result = NftParser.parse(text)
        XCTAssertEqual(result.diagnostics, [])
        let table = try XCTUnwrap(result.ruleset.tables.first)
        XCTAssertEqual(table.flags, ["dormant"])
        XCTAssertEqual(table.comment, "c")
        let set = try XCTUnwrap(table.sets.first)
        XCTAssertEqual(set.flags, ["interval", "timeout"])
        XCTAssertEqual(set.properties.first, .type(key: ["ipv4_addr", "inet_service"], data: [], intervalData: false))
        XCTAssertEqual(set.properties[2], .other("timeout 1h"))
        XCTAssertEqual(set.elements.map(\.startsLine), [false, true])
        XCTAssertEqual(set.elements[0].options, ["expires", "59m"])
        guard case .block(let block) = table.members[1] else { return XCTFail("\(table.members)") }
        XCTAssertEqual(block.kind, "flowtable")
        XCTAssertEqual(NftPrinter.text(result.ruleset), text)
    }

    func testPriorities() {
        XCTAssertEqual(NftParser.Reader.priority(["filter", "+", "10"]), .named("filter", offset: 10))
        XCTAssertEqual(NftParser.Reader.priority(["mangle", "-", "5"])?.value(in: .inet), -155)
        XCTAssertEqual(NftParser.Reader.priority(["-300"]), .number(-300))
        XCTAssertEqual(NftPriority.named("filter", offset: 0).value(in: .bridge), -200)
        XCTAssertEqual(NftPriority.named("srcnat", offset: -5).description, "srcnat - 5")
        XCTAssertNil(NftParser.Reader.priority(["filter", "+"]))
    }

    func testDetectsNftTextAndNothingElse() {
        XCTAssert(NftDetector.isNft(Array(Self.docker.utf8)))
        XCTAssertEqual(RulesInput.detectFormat(Array(Self.docker.utf8)), .nft)
        XCTAssert(NftDetector.isNft(Array("# comment\n\ntable netdev x {\n}\n".utf8)))
        XCTAssertFalse(NftDetector.isNft(Array("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n".utf8)))
        XCTAssertFalse(NftDetector.isNft(Array("table foo x {\n}\n".utf8)))
        XCTAssertFalse(NftDetector.isNft(Array("Bridge table: filter\n".utf8)))
    }
}
