import Foundation
import XCTest

/// `verdict check` and `verdict fmt` on the JSON of `nft -j list ruleset`, end to end.
extension CLITests {
    /// What nft 1.0.6 printed with -j for a ruleset whose text is `nftJSONRulesetText` (on one line:
    /// here broken between values).
    static let nftJSONRuleset = #"""
    {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
    {"table": {"family": "inet", "name": "filter", "handle": 1}}, {"set": {"family": "inet", "name": "allowed",
    "table": "filter", "type": "inet_service", "handle": 3, "elem": [22, 80]}}, {"chain": {"family": "inet",
    "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 10,
    "policy": "drop"}}, {"chain": {"family": "inet", "table": "filter", "name": "web", "handle": 2}},
    {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 4, "expr": [{"match": {"op": "in",
    "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}},
    {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"match": {"op": "==",
    "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": "@allowed"}}, {"counter":
    {"packets": 0, "bytes": 0}}, {"accept": null}]}}, {"rule": {"family": "inet", "table": "filter",
    "chain": "input", "handle": 6, "expr": [{"jump": {"target": "web"}}]}}, {"rule": {"family": "inet",
    "table": "filter", "chain": "web", "handle": 7, "expr": [{"match": {"op": "==", "left": {"meta":
    {"key": "iifname"}}, "right": "lo"}}, {"accept": null}]}}]}

    """#

    /// What the same nft printed without -j.
    static let nftJSONRulesetText = """
    table inet filter {
    \tset allowed {
    \t\ttype inet_service
    \t\telements = { 22, 80 }
    \t}

    \tchain input {
    \t\ttype filter hook input priority filter + 10; policy drop;
    \t\tct state established,related accept
    \t\ttcp dport @allowed counter packets 0 bytes 0 accept
    \t\tjump web
    \t}

    \tchain web {
    \t\tiifname "lo" accept
    \t}
    }

    """

    func testCheckSummarisesNftJSONAsNftText() throws {
        let result = try run(["check", try temporaryFile(Self.nftJSONRuleset)])
        XCTAssertEqual(result.status, 0, result.stderr)
        assertLines(result.stdout, contain: [": nft, 1 table(s), 4 rule(s), ok",
                                             "table inet filter: 2 chains (1 base), 1 sets, 0 maps, 4 rules",
                                             "input: filter hook input priority filter + 10 policy drop"])
        let json = try run(["check", "--format", "json", try temporaryFile(Self.nftJSONRuleset)])
        XCTAssert(json.stdout.contains("\"hook\": \"input\", \"priority\": \"filter + 10\""), json.stdout)
    }

    func testFmtPrintsNftJSONAsNftListsIt() throws {
        let printed = try run(["fmt", try temporaryFile(Self.nftJSONRuleset)])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertEqual(printed.stdout, Self.nftJSONRulesetText)
        let forced = try run(["fmt", "--from", "nft-json", "-"], stdin: "  " + Self.nftJSONRuleset)
        XCTAssertEqual(forced.stdout, Self.nftJSONRulesetText, forced.stderr)
        // What check refuses in the text it refuses in the JSON: here a jump to no chain.
        let path = try temporaryFile(Self.nftJSONRuleset.replacingOccurrences(of: "\"target\": \"web\"",
                                                                               with: "\"target\": \"nowhere\""))
        let refused = try run(["fmt", path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stdout, "")
        assertLines(refused.stderr, contain: ["\(path):10:51: error: no chain 'nowhere' in table inet filter"])
    }

    func testBadNftJSONIsAnErrorAtItsPath() throws {
        let path = try temporaryFile(Self.nftJSONRuleset.replacingOccurrences(of: "{\"jump\": {\"target\": \"web\"}}",
                                                                               with: "{\"foo\": {}}"))
        let checked = try run(["check", path])
        XCTAssertEqual(checked.status, 1)
        assertLines(checked.stderr,
                    contain: ["\(path):11:41: error: nftables[7].rule.expr[0]: unknown statement \"foo\""])
        let printed = try run(["fmt", path])
        XCTAssertEqual(printed.status, 1)
        XCTAssertEqual(printed.stdout, "")
        let broken = try run(["fmt", try temporaryFile("{\"nftables\": [\n  {\"table\": }]}")])
        XCTAssertEqual(broken.status, 1)
        XCTAssert(broken.stderr.contains(":2:13: error: not valid JSON: expected a value"), broken.stderr)
    }

    func testOtherCommandsSayNftJSONIsForCheckAndFmt() throws {
        let result = try run(["graph", try temporaryFile(Self.nftJSONRuleset)])
        XCTAssertNotEqual(result.status, 0)
        XCTAssert(result.stderr.contains("this is nftables JSON"), result.stderr)
    }
}
