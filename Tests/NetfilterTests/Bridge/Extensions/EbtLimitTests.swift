import XCTest
@testable import Netfilter

/// ebt_limit.c: whether a frame finds a token depends on the frames before it.
final class EbtLimitTests: XCTestCase {
    func testTheRateStaysACondition() throws {
        let rules = "-A FORWARD --limit 10/second --limit-burst 5 -j DROP"
        let results = try BridgeWalk.walk(rules, BridgeWalk.packet())
        XCTAssertEqual(Set(results.map(\.verdict)), [.accept, .drop])
        let cube = results.first { $0.verdict == .drop }?.packets?.cubes.first
        XCTAssertEqual(cube?.condition("eb filter/FORWARD #1 --limit 10/second --limit-burst 5"), true)
    }

    func testAnotherMatchThatFailsStillDecides() throws {
        let rules = "-A FORWARD -p IPv4 --ip-proto udp --limit 10/second -j DROP"
        XCTAssertEqual(try BridgeWalk.verdicts(rules, BridgeWalk.packet()), [.accept])
    }
}
