import XCTest
@testable import Netfilter

/// ebt_ip.c / ebt_ip6.c: ICMP types, and the transport header only of first fragments.
final class EbtIPTests: XCTestCase {
    func testTheICMPTypeDecides() throws {
        let rules = "-A FORWARD -p IPv4 --ip-proto icmp --ip-icmp-type echo-request -j DROP"
        var packet = BridgeWalk.packet()
        packet.protocol = IPProtocol.icmp
        packet.icmpType = 8
        packet.icmpCode = 0
        XCTAssertEqual(try BridgeWalk.verdicts(rules, packet), [.drop])
        packet.icmpType = 0
        let results = try BridgeWalk.walk(rules, packet)
        XCTAssertEqual(results.map(\.verdict), [.accept])
        XCTAssertEqual(BridgeWalk.skipReason(results), "--ip-icmp-type: ICMP type 0 code 0")
        packet.icmpType = nil
        packet.icmpCode = nil
        let split = try BridgeWalk.walk(rules, packet)
        XCTAssertEqual(Set(split.map(\.verdict)), [.accept, .drop], "an open type splits the packets")
        packet.icmpType = 8
        XCTAssert(BridgeWalk.holds(try XCTUnwrap(split.first { $0.verdict == .drop }?.packets), packet))
    }

    func testICMPv6TypesAndCodeRanges() throws {
        let rules = "-A FORWARD -p IPv6 --ip6-proto ipv6-icmp ! --ip6-icmp-type 1/0:3 -j DROP"
        var packet = BridgeWalk.packet(family: .ipv6)
        packet.protocol = IPProtocol.icmpv6
        packet.icmpType = 1
        packet.icmpCode = 4
        XCTAssertEqual(try BridgeWalk.verdicts(rules, packet), [.drop], "code 4 is outside 0:3")
        packet.icmpCode = 3
        XCTAssertEqual(try BridgeWalk.verdicts(rules, packet), [.accept])
    }

    func testPortsAreReadOnlyFromFirstFragments() throws {
        let rules = "-A FORWARD -p IPv4 --ip-proto tcp --ip-dport 80 -j DROP"
        var packet = BridgeWalk.packet()
        packet.isFragment = true
        XCTAssertEqual(try BridgeWalk.verdicts(rules, packet), [.accept])
        packet.isFragment = false
        XCTAssertEqual(try BridgeWalk.verdicts(rules, packet), [.drop])
    }

    func testTheTrafficClassDecides() throws {
        var packet = BridgeWalk.packet(family: .ipv6)
        packet.tos = 0x20
        XCTAssertEqual(try BridgeWalk.verdicts("-A FORWARD -p IPv6 --ip6-tclass 0x20 -j DROP", packet), [.drop])
        packet.tos = 0
        XCTAssertEqual(try BridgeWalk.verdicts("-A FORWARD -p IPv6 --ip6-tclass 0x20 -j DROP", packet), [.accept])
    }
}
