import XCTest
@testable import Netfilter

/// The matches of other frames than verdict's untagged IPv4 and IPv6 Ethernet II frames
/// (vlan, arp, 802_3, stp): their rules are decided, not conditions.
final class EbtFrameMatchTests: XCTestCase {
    func testRulesOfOtherFramesAreDecidedForIPFrames() throws {
        let rules = """
        -A FORWARD -p 802_1Q --vlan-id 5 -j DROP
        -A FORWARD -p ARP --arp-opcode Request --arp-ip-src 10.0.0.1 -j DROP
        -A FORWARD -p Length --802_3-sap 0x42 -j DROP
        -A FORWARD -d BGA --stp-type config -j DROP
        """
        for family in [Family.ipv4, .ipv6] {
            var packet = BridgeWalk.packet(family: family)
            packet.destinationMAC = nil
            let results = try BridgeWalk.walk(rules, packet)
            XCTAssertEqual(results.map(\.verdict), [.accept], "\(family)")
            XCTAssertEqual(results.first?.steps.filter(\.isNoMatch).count, 4)
        }
    }

    func testEachMatchSaysWhichFramesItReads() throws {
        let table = try BridgeWalk.table("""
        -A FORWARD --stp-type config -j DROP
        -A FORWARD ! --stp-root-cost 10:20 -j DROP
        """)
        let packet = BridgeWalk.packet()
        for rule in table.chain(named: "FORWARD")?.rules ?? [] {
            guard case .fails(let reason)? = rule.matches.first?.base.check(packet, place: "here") else {
                return XCTFail("the stp match should fail for an IPv4 frame")
            }
            XCTAssertEqual(reason, "the stp match reads STP BPDUs (LLC header 42 42 03); the frame is an untagged "
                           + "IPv4 frame")
        }
        let vlan = EbtVLAN(EbtablesOptions(written: []))
        guard case .fails(let reason) = vlan.check(packet, place: "here") else { return XCTFail("vlan matched") }
        XCTAssert(reason.hasPrefix("the vlan match reads 802.1Q-tagged frames"), reason)
    }

    func testTheOptionsAreTyped() throws {
        let table = try BridgeWalk.table("""
        -A FORWARD -p ARP --arp-opcode Reply ! --arp-ip-dst 10.0.0.0/8 --arp-gratuitous -j DROP
        -A FORWARD -p 802_1Q --vlan-id 5 --vlan-prio 3 --vlan-encap IPv4 -j DROP
        """)
        let rules = table.chain(named: "FORWARD")?.rules ?? []
        let arp = try XCTUnwrap(rules.first?.matches.first?.base as? EbtARP)
        XCTAssertEqual(arp.opcode?.value, 2)
        XCTAssertEqual(arp.ipDestination?.negated, true)
        XCTAssertEqual(arp.gratuitous?.value, true)
        let vlan = try XCTUnwrap(rules.last?.matches.first?.base as? EbtVLAN)
        XCTAssertEqual([vlan.id?.value, UInt16(vlan.priority?.value ?? 0), vlan.encapsulated?.value], [5, 3, 0x0800])
    }
}
