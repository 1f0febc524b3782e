import XCTest
@testable import Netfilter

/// ebt_dnat.c, ebt_snat.c, ebt_redirect.c: the MAC rewrites and the verdicts they give.
final class EbtNATTests: XCTestCase {
    func testDNATRewritesTheDestinationAndGivesItsVerdict() throws {
        let rules = "-A PREROUTING -j dnat --to-dst ff:ff:ff:ff:ff:ff --dnat-target CONTINUE\n-A PREROUTING -j DROP"
        let results = try BridgeWalk.walk(rules, BridgeWalk.packet(), table: "nat", chain: "PREROUTING")
        XCTAssertEqual(results.map(\.verdict), [.drop])
        XCTAssertEqual(results.first?.packet.destinationMAC, MACAddress(0xFFFF_FFFF_FFFF))
        XCTAssertEqual(results.first?.packet.packetType, "broadcast")
    }

    func testSNATAndRedirect() throws {
        let snat = try BridgeWalk.walk("-A POSTROUTING -j snat --to-src 02:00:00:00:00:09",
                                       BridgeWalk.packet(), table: "nat", chain: "POSTROUTING")
        XCTAssertEqual(snat.map(\.verdict), [.accept])
        XCTAssertEqual(snat.first?.packet.sourceMAC, MACAddress(0x0200_0000_0009))
        let redirected = try BridgeWalk.walk("-A PREROUTING -j redirect --redirect-target DROP",
                                             BridgeWalk.packet(), table: "nat", chain: "PREROUTING")
        XCTAssertEqual(redirected.map(\.verdict), [.drop])
        XCTAssertNil(redirected.first?.packet.destinationMAC, "the bridge's address, which the walk does not know")
        XCTAssertEqual(redirected.first?.packet.packetType, "unicast")
    }
}
