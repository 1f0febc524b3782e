import XCTest
@testable import Netfilter

/// A chain's repeated rules are found alike whether the chain is short (rules compared pair
/// by pair) or long (rules hashed): comments, counters and where `-j` stood aside.
final class RepeatedRulesTests: XCTestCase {
    private func chain(_ rules: [String]) throws -> Chain {
        let text = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:C - [0:0]\n"
            + rules.map { "-A C \($0)\n" }.joined() + "COMMIT\n"
        let result = SaveParser.parse(text, family: .ipv4)
        XCTAssertFalse(result.hasErrors, "\(result.diagnostics.map(\.message))")
        return try XCTUnwrap(result.ruleset.tables.first?.chain(named: "C"))
    }

    /// Rules that differ in a port each, then the repeats under test.
    private func rules(count: Int) -> [String] {
        (0..<count).map { "-p tcp -m tcp --dport \(1000 + $0) -j ACCEPT" }
    }

    private let repeats = [
        "-p tcp -m comment --comment first -m tcp --dport 1000 -j ACCEPT",
        "-p tcp -m tcp --dport 1001 -m comment --comment again -c 5 300 -j ACCEPT",
        "-p tcp -m tcp --dport 1000 -j DROP",
        "-p tcp -m tcp --dport 1002 -j  ACCEPT",
        "-p tcp -m tcp ! --dport 1002 -j ACCEPT",
        "-p tcp -j MARK --set-xmark 0x1/0xff",
        "-p tcp -j MARK  --set-xmark 0x1/0xff",
        "-p tcp -j MARK --set-xmark 0x2/0xff",
    ]

    func testShortAndLongChainsFindTheSameRepeats() throws {
        for (count, offset) in [(3, 3), (20, 20)] {
            let found = try chain(rules(count: count) + repeats).repeatedRules
            XCTAssertEqual(found, [offset: 0, offset + 1: 1, offset + 3: 2, offset + 6: offset + 5],
                           "chain of \(count + repeats.count) rules")
        }
    }

    func testDistinctRulesRepeatNothing() throws {
        XCTAssertEqual(try chain(rules(count: 5)).repeatedRules, [:])
        XCTAssertEqual(try chain(rules(count: 40)).repeatedRules, [:])
        XCTAssertEqual(try chain(["-j ACCEPT"]).repeatedRules, [:])
    }
}
