import XCTest
@testable import Netfilter

/// Bad nft text: errors at FILE:LINE:COL of the offending word, never a trap.
final class NftDiagnosticTests: XCTestCase {
    func errors(_ text: String) -> [String] {
        NftParser.parse(text).diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
    }

    func testErrorsPointAtTheWord() {
        XCTAssertEqual(errors("table ipx t {\n}\n"),
                       ["1:7: unknown table family 'ipx' (ip, ip6, inet, bridge, arp, netdev)"])
        XCTAssertEqual(errors("tables ip t {\n}\n"),
                       ["1:1: expected 'table FAMILY NAME {'", "2:1: expected 'table FAMILY NAME {'"])
        let header = "table ip t {\n\tchain c {\n\t\t"
        XCTAssertEqual(errors(header + "type filter hook input priority; policy accept;\n\t}\n}\n"),
                       ["3:34: expected a priority (a number, or a name such as filter, dstnat, srcnat, with '+ N' "
                        + "or '- N') and ';'"])
        XCTAssertEqual(errors(header + "type filter hook input priority 0; policy maybe;\n\t}\n}\n"),
                       ["3:38: expected 'policy accept;' or 'policy drop;'"])
        XCTAssertEqual(errors("table ip t {\n\tchain c {\n\t\tcomment \"x\n\t}\n}\n"), ["3:11: unterminated string"])
        XCTAssertEqual(errors("table ip t {\n\tbogus\n}\n"),
                       ["2:2: expected 'chain', 'set', 'map', 'flags', 'comment' or '}' in table 't'"])
        XCTAssertEqual(errors("table ip t {\n\tchain c {\n\t\taccept\n"),
                       ["2:2: chain 'c' is not closed: '}' missing at the end of the file",
                        "1:1: table 't' is not closed: '}' missing at the end of the file"])
        XCTAssertEqual(errors("table ip t {\n\tset s {\n\t\ttype : x\n\t}\n}\n"),
                       ["3:3: expected 'type TYPE [. TYPE]... [: TYPE]'"])
        XCTAssertEqual(errors("table ip t {\n\tchain c {\n\t\tip saddr { 1.2.3.4\n\t}\n}\n"),
                       ["3:12: '{' not closed on this line"])
    }

    func testGarbageNeverTraps() {
        let pieces = ["table", "ip", "inet", "t", "{", "}", "chain", "set", "map", "elements", "=", "type", "hook",
                      "priority", ";", "policy", "\"", "@", ".", ":", ",", "-", "+", "\n", "\t", " ", "ip saddr",
                      "vmap", "jump", "counter", "packets", "limit rate", "fib", "ct", "dnat to", "é", "\r"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                text += pieces.randomElement(using: &generator) ?? ""
                text += Bool.random(using: &generator) ? " " : ""
            }
            let result = NftParser.parse(text)
            if !result.hasErrors, NftDetector.isNft(Array(text.utf8)) {
                // What reads without errors prints as text that reads to the same tree.
                let printed = NftPrinter.text(result.ruleset)
                XCTAssertEqual(NftParser.parse(printed).ruleset, result.ruleset, text)
            }
        }
    }
}
