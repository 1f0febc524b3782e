import XCTest
@testable import Netfilter

/// ebt_pkttype.c: the frame's packet type, given or read off its destination MAC.
final class EbtPkttypeTests: XCTestCase {
    func testThePacketTypeDecides() throws {
        let rules = "-A FORWARD --pkttype-type broadcast -j DROP"
        var packet = BridgeWalk.packet()
        packet.packetType = "broadcast"
        XCTAssertEqual(try BridgeWalk.verdicts(rules, packet), [.drop])
        packet.packetType = "unicast"
        let results = try BridgeWalk.walk(rules, packet)
        XCTAssertEqual(results.map(\.verdict), [.accept])
        XCTAssertEqual(BridgeWalk.skipReason(results), "--pkttype-type: packet type unicast")
        XCTAssertEqual(try BridgeWalk.verdicts("-A FORWARD --pkttype-type host -j DROP", packet), [.drop],
                       "host is PACKET_HOST, verdict's unicast")
        XCTAssertEqual(try BridgeWalk.verdicts("-A FORWARD ! --pkttype-type host -j DROP", packet), [.accept])
    }

    func testABroadcastOrMulticastDestinationTellsTheType() throws {
        var packet = BridgeWalk.packet()
        packet.packetType = nil
        packet.destinationMAC = MACAddress(0xFFFF_FFFF_FFFF)
        XCTAssertEqual(try BridgeWalk.verdicts("-A FORWARD --pkttype-type broadcast -j DROP", packet), [.drop])
        packet.destinationMAC = MACAddress(0x0100_5E00_0001)
        XCTAssertEqual(try BridgeWalk.verdicts("-A FORWARD --pkttype-type broadcast -j DROP", packet), [.accept])
        XCTAssertEqual(try BridgeWalk.verdicts("-A FORWARD --pkttype-type multicast -j DROP", packet), [.drop])
    }

    func testAnOpenTypeIsAConditionOnTheField() throws {
        var packet = BridgeWalk.packet()
        packet.packetType = nil
        let results = try BridgeWalk.walk("-A FORWARD ! --pkttype-type otherhost -j DROP", packet)
        XCTAssertEqual(Set(results.map(\.verdict)), [.accept, .drop])
        let cube = results.first { $0.verdict == .drop }?.packets?.cubes.first
        XCTAssertEqual(cube?.condition("the frame's packet type is otherhost"), false)
    }
}
