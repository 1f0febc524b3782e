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

    /// An open type splits the packets on the packet type field: the classes are the types,
    /// which exclude each other, so no class stands for a frame of two types at once.
    func testAnOpenTypeSplitsOnTheField() throws {
        var packet = BridgeWalk.packet()
        packet.packetType = nil
        let results = try BridgeWalk.walk("-A FORWARD ! --pkttype-type otherhost -j DROP", packet)
        XCTAssertEqual(Set(results.map(\.verdict)), [.accept, .drop])
        let accepted = try XCTUnwrap(results.first { $0.verdict == .accept })
        XCTAssertEqual(accepted.packet.packetType, "otherhost", "one type left: the class's packets have it")
        let dropped = try XCTUnwrap(results.first { $0.verdict == .drop }?.packets?.cubes.first)
        XCTAssertEqual(dropped.intervals(.packetType), IntervalSet(0, 2), "unicast, broadcast, multicast")
        XCTAssertTrue(dropped.conditions.isEmpty)
        // Two rules on two types: a frame is of one type, so the second sees only the rest.
        let two = try BridgeWalk.walk("""
            -A FORWARD --pkttype-type broadcast -j CONTINUE
            -A FORWARD --pkttype-type multicast -j DROP
            """, packet)
        for result in two {
            for cube in result.packets?.cubes ?? [] {
                XCTAssertFalse(cube.intervals(.packetType)?.isEmpty ?? false, "no class of no packet type")
            }
        }
        XCTAssertEqual(two.filter { $0.verdict == .drop }.map(\.packet.packetType), ["multicast"])
        XCTAssertEqual(try BridgeWalk.verdicts("-A FORWARD --pkttype-type outgoing -j DROP", packet), [.accept],
                       "no frame at a bridge hook is PACKET_OUTGOING")
    }
}
