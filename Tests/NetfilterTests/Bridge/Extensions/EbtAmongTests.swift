import XCTest
@testable import Netfilter

/// ebt_among.c: MAC entries, and `MAC=IP` entries that check the frame's IPv4 address too.
final class EbtAmongTests: XCTestCase {
    static let rules = "-A FORWARD --among-src 02:00:00:00:00:01=10.0.0.1,02:00:00:00:00:03 -j DROP"

    func testAnEntryWithAnAddressChecksTheAddress() throws {
        var packet = BridgeWalk.packet()
        XCTAssertEqual(try BridgeWalk.verdicts(Self.rules, packet), [.drop], "MAC and address listed")
        packet.source = IPv4Address("10.0.0.9").map { .v4($0) }
        let results = try BridgeWalk.walk(Self.rules, packet)
        XCTAssertEqual(results.map(\.verdict), [.accept], "the MAC is listed with another address")
        XCTAssertEqual(BridgeWalk.skipReason(results), "--among-src: MAC 02:00:00:00:00:01 address 10.0.0.9")
        packet.sourceMAC = MACAddress(0x0200_0000_0003)
        XCTAssertEqual(try BridgeWalk.verdicts(Self.rules, packet), [.drop], "an entry without an address")
        packet.sourceMAC = MACAddress(0x0200_0000_0004)
        XCTAssertEqual(try BridgeWalk.verdicts(Self.rules, packet), [.accept], "an unlisted MAC")
    }

    func testNonIPv4FramesMatchOnlyEntriesWithoutAnAddress() throws {
        var packet = BridgeWalk.packet(family: .ipv6)
        let results = try BridgeWalk.walk(Self.rules, packet)
        XCTAssertEqual(results.map(\.verdict), [.accept])
        XCTAssertEqual(BridgeWalk.skipReason(results), "--among-src: MAC 02:00:00:00:00:01 (no IPv4 address)")
        packet.source = nil
        XCTAssertEqual(try BridgeWalk.walk(Self.rules, packet).map(\.verdict), [.accept],
                       "whatever its address, an IPv6 frame has none for among: decided, not split")
        packet.sourceMAC = MACAddress(0x0200_0000_0003)
        XCTAssertEqual(try BridgeWalk.verdicts(Self.rules, packet), [.drop])
        let negated = "-A FORWARD ! --among-src 02:00:00:00:00:01=10.0.0.1 -j DROP"
        packet.sourceMAC = MACAddress(0x0200_0000_0001)
        XCTAssertEqual(try BridgeWalk.verdicts(negated, packet), [.drop], "not contained, so the negation matches")
    }

    func testAnOpenAddressSplitsIntoClasses() throws {
        var packet = BridgeWalk.packet()
        packet.source = nil
        let results = try BridgeWalk.walk(Self.rules, packet)
        XCTAssertEqual(Set(results.map(\.verdict)), [.accept, .drop])
        let dropped = try XCTUnwrap(results.first { $0.verdict == .drop }?.packets)
        var listed = BridgeWalk.packet()
        XCTAssert(BridgeWalk.holds(dropped, listed))
        listed.source = IPv4Address("10.0.0.9").map { .v4($0) }
        XCTAssertFalse(BridgeWalk.holds(dropped, listed))
    }

    func testAnOpenMACStaysACondition() throws {
        var packet = BridgeWalk.packet()
        packet.sourceMAC = nil
        let results = try BridgeWalk.walk(Self.rules, packet)
        XCTAssertEqual(Set(results.map(\.verdict)), [.accept, .drop])
        let cube = results.first { $0.verdict == .drop }?.packets?.cubes.first
        XCTAssertEqual(cube?.condition("eb filter/FORWARD #1 --among-src (the frame's MAC address)"), true)
    }
}
