import XCTest
@testable import Netfilter

/// ebt_mark_m.c and ebt_mark.c: the mark match and the mark target.
final class EbtMarkTests: XCTestCase {
    func testTheTargetSetsOrsAndsAndXorsTheMark() throws {
        var packet = BridgeWalk.packet()
        packet.mark = 1
        for (option, mark) in [("--mark-set 0x10", UInt32(0x10)), ("--mark-or 0x4", 5), ("--mark-and 0x2", 0),
                               ("--mark-xor 0x3", 2)] {
            let results = try BridgeWalk.walk("-A FORWARD -j mark \(option) --mark-target CONTINUE", packet)
            XCTAssertEqual(results.map(\.verdict), [.accept])
            XCTAssertEqual(results.first?.packet.mark, mark, option)
        }
        let defaulted = try BridgeWalk.walk("-A FORWARD -j mark --mark-set 7\n-A FORWARD -j DROP", packet)
        XCTAssertEqual(defaulted.map(\.verdict), [.accept], "--mark-target is ACCEPT when not given")
    }

    func testASetMarkClosesAnOpenOne() throws {
        var packet = BridgeWalk.packet()
        packet.open.insert(.mark)
        let rules = """
        -A FORWARD -j mark --mark-set 0x10 --mark-target CONTINUE
        -A FORWARD --mark 0x10 -j DROP
        """
        let results = try BridgeWalk.walk(rules, packet)
        XCTAssertEqual(results.map(\.verdict), [.drop])
        XCTAssertEqual(results.first?.packet.mark, 0x10)
        XCTAssertEqual(results.first?.packet.open.contains(.mark), false)
    }

    func testAnyMaskedBitAndAnOpenMarkSplitting() throws {
        var packet = BridgeWalk.packet()
        let rules = "-A FORWARD --mark /0x3 -j DROP"
        packet.mark = 0x4
        XCTAssertEqual(try BridgeWalk.verdicts(rules, packet), [.accept])
        packet.mark = 0x6
        XCTAssertEqual(try BridgeWalk.verdicts(rules, packet), [.drop])
        packet.open.insert(.mark)
        let results = try BridgeWalk.walk(rules, packet)
        XCTAssertEqual(Set(results.map(\.verdict)), [.accept, .drop])
        let dropped = try XCTUnwrap(results.first { $0.verdict == .drop }?.packets)
        packet.open.remove(.mark)
        packet.mark = 0x8
        XCTAssertFalse(BridgeWalk.holds(dropped, packet))
        packet.mark = 0x1
        XCTAssert(BridgeWalk.holds(dropped, packet))
    }
}
