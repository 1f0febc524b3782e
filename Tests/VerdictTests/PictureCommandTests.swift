import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `verdict flow --format svg` and `verdict graph`, end to end.
extension CLITests {
    /// Parses the output as XML; fails the test when it is not well-formed.
    func assertWellFormed(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let parser = XMLParser(data: Data(text.utf8))
        XCTAssert(parser.parse(), "well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")", file: file, line: line)
        XCTAssertFalse(text.contains("<script"), file: file, line: line)
        XCTAssertFalse(text.contains("href"), file: file, line: line)
    }

    func testFlowDrawsThePathAsSVG() throws {
        let result = try run(["flow"] + Self.publishedPort + ["--format", "svg"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssert(result.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        assertWellFormed(result.stdout)
        for id in ["ip-PREROUTING", "ip-INPUT", "ip-FORWARD", "ip-OUTPUT", "ip-POSTROUTING", "eb-BROUTING", "brnf-PREROUTING", "bridging"] {
            XCTAssert(result.stdout.contains("id=\"\(id)\""), id)
        }
        XCTAssert(result.stdout.contains("dnat → 172.17.0.2:80"))
        XCTAssert(result.stdout.contains("class=\"path-request\"") && result.stdout.contains("class=\"path-reply\""))
        let again = try run(["flow"] + Self.publishedPort + ["--format", "svg"])
        XCTAssertEqual(again.stdout, result.stdout, "deterministic")
        let request = try run(["trace"] + Self.publishedPort + ["--format", "svg"])
        XCTAssertEqual(request.status, 0, request.stderr)
        XCTAssertFalse(request.stdout.contains("class=\"path-reply\""), "trace draws the request only")
        let rules = try run(["trace", "rulesets/docker-default/iptables.rules", "--hook", "INPUT", "-p", "icmp", "--format", "svg"])
        XCTAssertEqual(rules.status, 2)
        XCTAssert(rules.stderr.contains("give a snapshot folder and --from"), rules.stderr)
    }

    func testGraphDrawsTheChains() throws {
        let svg = try run(["graph", "rulesets/docker-default", "--table", "filter"])
        XCTAssertEqual(svg.status, 0, svg.stderr)
        assertWellFormed(svg.stdout)
        XCTAssert(svg.stdout.contains("id=\"chain-filter-DOCKER-FORWARD\""))
        XCTAssert(svg.stdout.contains("policy DROP · 2 rules"), "FORWARD with its policy and rule count")
        XCTAssertFalse(svg.stdout.contains("id=\"table-nat\""), "--table keeps one table")
        let dot = try run(["graph", "rulesets/docker-default/iptables.rules", "--format", "dot"])
        XCTAssertEqual(dot.status, 0, dot.stderr)
        XCTAssert(dot.stdout.contains("subgraph \"cluster_nat\""))
        XCTAssert(dot.stdout.contains("\"filter/FORWARD\" -> \"filter/DOCKER-USER\" [label=\"#1\"];"), dot.stdout)
        let chain = try run(["graph", "rulesets/kube-proxy", "--chain", "nat/KUBE-SERVICES", "--format", "dot"])
        XCTAssertEqual(chain.status, 0, chain.stderr)
        XCTAssertFalse(chain.stdout.contains("\"nat/PREROUTING\""), "only what KUBE-SERVICES reaches")
        XCTAssert(chain.stdout.contains("\"nat/KUBE-SERVICES\" -> "))
        let stdin = try run(["graph", "-", "--format", "dot"], stdin: "*filter\n:INPUT ACCEPT [0:0]\n:X - [0:0]\n-A INPUT -g X\nCOMMIT\n")
        XCTAssertEqual(stdin.status, 0, stdin.stderr)
        XCTAssert(stdin.stdout.contains("\"filter/INPUT\" -> \"filter/X\" [label=\"#1\", style=dashed"), stdin.stdout)
    }

    func testGraphUsageErrors() throws {
        let ambiguous = try run(["graph", "rulesets/docker-default", "--chain", "OUTPUT"])
        XCTAssertEqual(ambiguous.status, 2)
        XCTAssert(ambiguous.stderr.contains("give TABLE/OUTPUT"), ambiguous.stderr)
        let format = try run(["graph", "rulesets/docker-default", "--format", "png"])
        XCTAssertEqual(format.status, 2)
        let table = try run(["graph", "rulesets/docker-default", "--table", "broute"])
        XCTAssertEqual(table.status, 2)
        XCTAssert(table.stderr.contains("no table 'broute'"), table.stderr)
        let broken = try run(["graph", "-"], stdin: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j NOWHERE\nCOMMIT\n")
        XCTAssertEqual(broken.status, 1)
        XCTAssert(broken.stderr.contains("<stdin>:3:"), broken.stderr)
        XCTAssertEqual(broken.stdout, "", "nothing half-written")
        let missing = try run(["graph", "no/such/file"])
        XCTAssertEqual(missing.status, 2)
    }
}
