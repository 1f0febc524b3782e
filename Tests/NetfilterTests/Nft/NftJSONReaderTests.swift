import Foundation
import XCTest
@testable import Netfilter

/// `nft -j list ruleset` read into the AST the text parser builds from `nft list ruleset`: what
/// this machine's nft 1.0.6 printed, both ways, for the rule sets of Tests/Fixtures/nft
/// (Tests/Fixtures/nft/json), and bad JSON.
final class NftJSONReaderTests: XCTestCase {
    static let fixtures = NftCorpusTests.fixtures

    /// The ruleset with every source location forgotten (the JSON's are in the JSON, the text's in
    /// the text).
    static func unlocated(_ ruleset: NftRuleset) -> NftRuleset {
        var ruleset = ruleset
        for table in ruleset.tables.indices {
            ruleset.tables[table].location = .unknown
            for member in ruleset.tables[table].members.indices {
                switch ruleset.tables[table].members[member] {
                case .chain(var chain):
                    chain.location = .unknown
                    for rule in chain.rules.indices {
                        chain.rules[rule].location = .unknown
                        for statement in chain.rules[rule].statements.indices {
                            guard case .tokens(var tokens) = chain.rules[rule].statements[statement] else { continue }
                            for token in tokens.indices { tokens[token].location = .unknown }
                            chain.rules[rule].statements[statement] = .tokens(tokens)
                        }
                    }
                    ruleset.tables[table].members[member] = .chain(chain)
                case .set(var set):
                    set.location = .unknown
                    ruleset.tables[table].members[member] = .set(set)
                case .block(var block):
                    block.location = .unknown
                    ruleset.tables[table].members[member] = .block(block)
                }
            }
        }
        return ruleset
    }

    func text(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent(path)), as: UTF8.self)
    }

    /// Reads the JSON, prints it, and compares the text and the AST with what nft listed and the
    /// text parser reads of it.
    func assertReadsAsText(_ json: String, _ expected: String, warnings: Int, file: StaticString = #filePath,
                           line: UInt = #line) {
        XCTAssert(NftJSONReader.isNftJSON(Array(json.utf8)), file: file, line: line)
        let result = NftJSONReader.read(json)
        XCTAssertEqual(result.diagnostics.filter { $0.severity == .error }, [], file: file, line: line)
        XCTAssertEqual(result.diagnostics.count, warnings, "\(result.diagnostics)", file: file, line: line)
        XCTAssertEqual(NftPrinter.text(result.ruleset), expected, file: file, line: line)
        let parsed = NftParser.parse(expected)
        XCTAssertEqual(parsed.diagnostics, [], file: file, line: line)
        XCTAssertEqual(Self.unlocated(result.ruleset), Self.unlocated(parsed.ruleset), file: file, line: line)
    }

    /// A rule set of hand-picked statements and expressions whose JSON nft 1.0.6 prints without
    /// loss: its text back byte for byte.
    func testConstructsPrintBackByteForByte() throws {
        assertReadsAsText(try text("json/constructs.json"), try text("json/constructs.nft"), warnings: 0)
    }

    /// The kernel fixtures: their text but for what nft 1.0.6 leaves out of its JSON.
    func testKernelFixturesPrintAsTheirTextButWhatTheJSONLeavesOut() throws {
        // A table's flags (its one flag is printed as freed memory: a warning) and comment, a
        // chain's comment and device (a warning), milliseconds of expiry times.
        var families = try text("families.nft")
        for (lost, kept) in [("\tflags dormant\n\tcomment \"host firewall\"\n\n", ""),
                             ("\t\tcomment \"main input\"\n", ""), (" device \"lo\"", "")] {
            XCTAssert(families.contains(lost), lost)
            families = families.replacingOccurrences(of: lost, with: kept)
        }
        families = families.replacing(/expires (\d+m\d+s)\d+ms/) { "expires " + $0.1 }
        assertReadsAsText(try text("json/families.json"), families, warnings: 2)

        // typeof (its types stay), a set's `dynamic` flag and `auto-merge`.
        var sets = try text("sets-maps.nft")
        for (lost, kept) in [("\t\tauto-merge\n", ""),
                             ("typeof ip protocol . th dport", "type inet_proto . inet_service"),
                             ("\t\tflags dynamic,timeout\n", ""),
                             ("typeof iifname : verdict", "type ifname : verdict")] {
            XCTAssert(sets.contains(lost), lost)
            sets = sets.replacingOccurrences(of: lost, with: kept)
        }
        assertReadsAsText(try text("json/sets-maps.json"), sets, warnings: 0)

        let devices = try text("devices-interval-map.nft")
        XCTAssert(devices.contains(" devices = { eth7, eth8 }"))
        assertReadsAsText(try text("json/devices-interval-map.json"),
                          devices.replacingOccurrences(of: " devices = { eth7, eth8 }", with: ""), warnings: 1)
    }

    func testKernelJSONIsCheckedAsTheKernelListedIt() throws {
        let result = NftJSONReader.read(try text("json/families.json"))
        // The netdev chain's device is not in the JSON: not an error, the kernel listed it.
        XCTAssertEqual(NftJSONReader.diagnostics(of: result).filter { $0.severity == .error }, [])
        let warning = try XCTUnwrap(result.diagnostics.first { $0.message.contains("device") })
        XCTAssertEqual(warning.location, SourceLocation(line: 1, column: 12_665))
        XCTAssert(warning.message.hasPrefix("nftables[64].chain: no \"dev\""), warning.message)
        let read = RulesInput.readNft(Array(try text("json/families.json").utf8), format: .nftJSON)
        XCTAssertEqual(read.diagnostics.count, 2)
    }

    func testFormatIsToldByItsStart() {
        for text in ["{\"nftables\": [", " \n{\"nftables\":[]}", "{ \"nftables\" : [ {\"metainfo\": {}} ] }"] {
            XCTAssertEqual(RulesInput.detectFormat(Array(text.utf8)), .nftJSON, text)
        }
        for text in ["[{\"ifname\": \"lo\"}]", "{\"nftable\": [", "{\"nftables\": {}}", "table ip t {\n}\n", ""] {
            XCTAssertNotEqual(RulesInput.detectFormat(Array(text.utf8)), .nftJSON, text)
        }
        XCTAssertEqual(RulesInput.detectFormat(Array("table inet t {\n}\n".utf8)), .nft)
    }

    func testPrioritiesAreNamedAsNftNamesThem() {
        let cases: [(Int, NftFamily, String, String)] = [
            (0, .inet, "input", "filter"), (10, .inet, "forward", "filter + 10"), (-5, .ip, "input", "filter - 5"),
            (-100, .ip, "output", "-100"), (-100, .ip, "prerouting", "dstnat"), (-95, .ip6, "prerouting", "dstnat + 5"),
            (100, .inet, "postrouting", "srcnat"), (45, .ip, "input", "security - 5"), (-300, .ip, "prerouting", "raw"),
            (-160, .inet, "prerouting", "mangle - 10"), (11, .ip, "input", "11"), (0, .arp, "input", "filter"),
            (-300, .arp, "input", "-300"), (-500, .netdev, "ingress", "-500"), (-200, .bridge, "forward", "filter"),
            (100, .bridge, "output", "out"), (100, .bridge, "input", "100"), (300, .bridge, "postrouting", "srcnat"),
            (-300, .bridge, "prerouting", "dstnat"),
        ]
        for (value, family, hook, text) in cases {
            XCTAssertEqual(NftJSONMembers.priority(value, family: family, hook: hook).description, text,
                           "\(value) \(family) \(hook)")
        }
    }

    func testValuesArePrintedForTheirDatatype() {
        XCTAssertEqual(NftJSONExpressions.time(milliseconds: 3_600_000), "1h")
        XCTAssertEqual(NftJSONExpressions.time(milliseconds: 93_784_005), "1d2h3m4s5ms")
        XCTAssertEqual(NftJSONMembers.bytes(10_485_760), "10 mbytes")
        XCTAssertEqual(NftJSONMembers.bytes(1536), "1536 bytes")
        XCTAssertEqual(NftJSONMembers.bytes(0), "0 bytes")
        XCTAssertEqual(NftJSONMembers.elementsPerLine(["inet_service"]), 5)
        XCTAssertEqual(NftJSONMembers.elementsPerLine(["ipv4_addr"]), 2)
        XCTAssertEqual(NftJSONMembers.elementsPerLine(["ipv4_addr", "inet_service"]), 1)
    }

    // MARK: - Bad JSON

    func messages(_ json: String) -> [String] {
        NftJSONReader.read(json).diagnostics.map {
            "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.message)"
        }
    }

    static let table = #"{"table": {"family": "ip", "name": "t", "handle": 1}}"#
    static let chain = #"{"chain": {"family": "ip", "table": "t", "name": "c", "handle": 1}}"#

    func rule(_ expr: String) -> String {
        #"{"nftables": [\#(Self.table), \#(Self.chain),"# + "\n"
            + #"  {"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [\#(expr)]}}]}"#
    }

    func testBadJSONIsAnErrorWhereItIs() {
        let notAValue = "error: not valid JSON: expected a value (object, array, string, number, true, false or null)"
        XCTAssertEqual(messages("table ip t {}"), ["1:1: " + notAValue])
        XCTAssertEqual(messages("{\"nftables\": [\n  {\"table\": {}},\n  x]}"), ["3:3: " + notAValue])
        XCTAssertEqual(messages("{\"nftables\": [1, 2,]}"), ["1:20: " + notAValue])
        XCTAssertEqual(messages("{\"nftables\": [\"abc"), ["1:15: error: not valid JSON: string not closed"])
        XCTAssertEqual(messages(""), ["1:1: error: not valid JSON: the document ends where a value should be"])
        XCTAssertEqual(messages("{\"nftables\": []} {}"),
                       ["1:18: error: not valid JSON: unexpected text after the JSON value"])
        XCTAssertEqual(messages(String(repeating: "[", count: 100_000)),
                       ["1:513: error: not valid JSON: arrays and objects nested more than 512 deep"])
    }

    func testWrongShapesAreErrorsNamingTheirPath() {
        XCTAssertEqual(messages("[]"),
                       ["1:1: error: expected an object {\"nftables\": [...]}, as `nft -j list ruleset` prints"])
        XCTAssertEqual(messages(#"{"nftables": [1, {"frob": {}}, {"add": {"table": {}}}]}"#), [
            "1:15: error: nftables[0]: expected an object with one member (\"table\", \"chain\", \"set\", "
                + "\"rule\", ...), not a number",
            "1:18: error: nftables[1]: unknown object \"frob\"",
            "1:32: error: nftables[2]: \"add\" is a command to nft, not what `nft -j list ruleset` prints",
        ])
        XCTAssertEqual(messages(#"{"nftables": [{"table": {"family": "ipx", "name": "t"}}]}"#),
                       ["1:36: error: nftables[0].table.family: unknown family \"ipx\" (ip, ip6, inet, bridge, arp, "
                        + "netdev)"])
        XCTAssertEqual(messages(#"{"nftables": [{"chain": {"family": "ip", "table": "t", "name": "c"}}]}"#),
                       ["1:51: error: nftables[0].chain.table: no table ip t listed before"])
        let rule = #"{"rule": {"family": "ip", "table": "t", "chain": "x", "expr": []}}"#
        XCTAssertEqual(messages(#"{"nftables": [\#(Self.table), \#(rule)]}"#),
                       ["1:119: error: nftables[1].rule.chain: no chain \"x\" in table ip t listed before"])
        let huge = #"{"chain": {"family": "ip", "table": "t", "name": "c", "hook": "input", "prio": 4294967296}}"#
        XCTAssertEqual(messages(#"{"nftables": [\#(Self.table), \#(huge)]}"#),
                       ["1:149: error: nftables[1].chain.prio: \"prio\" must be a 32-bit number, not 4294967296"])
        XCTAssertEqual(messages(#"{"nftables": [\#(Self.table), {"table": {"family": "ip", "name": 7}}]}"#),
                       ["1:105: error: nftables[1].table.name: \"name\" must be a string, not a number"])
    }

    func testUnknownStatementsAndExpressionsAreErrorsAtTheirObject() {
        XCTAssertEqual(messages(rule(#"{"accept": null}, {"foo": {}}"#)),
                       ["2:84: error: nftables[2].rule.expr[1]: unknown statement \"foo\""])
        XCTAssertEqual(messages(rule(#"{"match": {"op": "==", "left": {"bar": {}}, "right": 1}}"#)),
                       ["2:97: error: nftables[2].rule.expr[0].match.left: unknown expression \"bar\""])
        XCTAssertEqual(messages(rule(#"{"match": {"op": "=~", "left": {"meta": {"key": "mark"}}, "right": 1}}"#)),
                       ["2:83: error: nftables[2].rule.expr[0].match.op: unknown operator \"=~\""])
        XCTAssertEqual(messages(rule(#"{"match": {"left": {"meta": {"key": "mark"}}, "right": 1}}"#)),
                       ["2:76: error: nftables[2].rule.expr[0].match: missing \"op\""])
        XCTAssertEqual(messages(rule(#"{"jump": {"target": 3}}"#)),
                       ["2:86: error: nftables[2].rule.expr[0].jump.target: \"target\" must be a string, not a number"])
        XCTAssertEqual(messages(rule(#"{"counter": {"packets": -1, "bytes": 0}}"#)), [
            "2:90: error: nftables[2].rule.expr[0].counter.packets: \"packets\" must be a whole number of at least 0, "
                + "not -1",
        ])
        // A rule that cannot be read is left out; the rest is read.
        let result = NftJSONReader.read(rule(#"{"foo": 1}"#))
        XCTAssertEqual(NftPrinter.text(result.ruleset), "table ip t {\n\tchain c {\n\t}\n}\n")
        // A statement nft 1.0.6 has no JSON for is its text.
        let text = NftJSONReader.read(rule(#""update @m { ip saddr : 1.2.3.4 }""#))
        XCTAssertEqual(text.diagnostics, [])
        XCTAssertEqual(NftPrinter.text(text.ruleset),
                       "table ip t {\n\tchain c {\n\t\tupdate @m { ip saddr : 1.2.3.4 }\n\t}\n}\n")
    }

    /// Cut and damaged kernel JSON gives diagnostics, never a trap.
    func testDamagedJSONNeverTraps() throws {
        let bytes = Array(try text("json/constructs.json").utf8)
        for end in stride(from: 0, to: bytes.count, by: 211) {
            _ = NftJSONReader.read(Array(bytes[..<end]))
        }
        // Each member's value replaced by values of every JSON kind.
        let replacements = ["null", "true", "-1", "1.5", "18446744073709551615", "\"@x\"", "[]", "{}", "[1, 2]",
                            "{\"a\": 1}", "\"\""]
        let text = String(decoding: bytes, as: UTF8.self)
        var generator = SystemRandomNumberGenerator()
        let colons = text.indices.filter { text[$0] == ":" }
        for _ in 0..<100 {
            guard let colon = colons.randomElement(using: &generator) else { break }
            let start = text.index(after: colon)
            var end = start
            var depth = 0
            var inString = false
            while end < text.endIndex {
                let character = text[end]
                if inString {
                    if character == "\"" { inString = false }
                } else if character == "\"" {
                    inString = true
                } else if "[{".contains(character) {
                    depth += 1
                } else if "]}".contains(character) {
                    if depth == 0 { break }
                    depth -= 1
                } else if character == ",", depth == 0 {
                    break
                }
                end = text.index(after: end)
            }
            let damaged = String(text[..<start]) + " " + (replacements.randomElement(using: &generator) ?? "null")
                + String(text[end...])
            let result = NftJSONReader.read(damaged)
            _ = NftPrinter.text(result.ruleset)
            _ = NftJSONReader.diagnostics(of: result)
        }
    }
}
