import XCTest
@testable import Netfilter

/// xt_pkttype: the link-layer type is a field of the packet classes, so packets whose type
/// is not given split by it, and classes of two types at once cannot arise.
final class PkttypeTests: XCTestCase {
    static let rules = """
    *filter
    :INPUT ACCEPT [0:0]
    :FORWARD ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    -A INPUT -m pkttype --pkt-type broadcast -j MARK --set-mark 1
    -A INPUT -m pkttype --pkt-type multicast -j DROP
    -A INPUT -m pkttype --pkt-type outgoing -j DROP
    COMMIT

    """

    func walk(_ options: [DescribedOption]) throws -> [WalkResult] {
        let parsed = SaveParser.parse(Self.rules, family: .ipv4)
        XCTAssertEqual(parsed.errors, [])
        let described = try PacketDescription.describe(options: options)
        return HookEvaluator(parsed.ruleset).walk(hook: .input, packet: described.packet, packets: described.packets)
    }

    func testAnOpenTypeSplitsIntoTypes() throws {
        let results = try walk([DescribedOption("-p", "udp"), DescribedOption("-i", "eth0")])
        XCTAssertEqual(results.count, 3)
        for result in results {
            XCTAssertEqual(result.conditions.count, 0, "decided on the field, no condition")
        }
        let dropped = results.filter { $0.verdict == .drop }
        XCTAssertEqual(dropped.map(\.packet.packetType), ["multicast"])
        XCTAssertEqual(dropped.first?.packet.mark, 0, "a multicast packet is not a broadcast one: not marked")
        let marked = results.filter { $0.verdict == .accept && $0.packet.mark == 1 }
        XCTAssertEqual(marked.map(\.packet.packetType), ["broadcast"])
    }

    func testDescriptionsTakeTypeSets() throws {
        let results = try walk([DescribedOption("-p", "udp"), DescribedOption("--pkt-type", "unicast,otherhost")])
        XCTAssertEqual(results.map(\.verdict), [.accept])
        XCTAssertEqual(results.first?.packet.mark, 0)
        let negated = try walk([DescribedOption("-p", "udp"), DescribedOption("--pkt-type", "broadcast", negated: true)])
        XCTAssertEqual(Set(negated.map(\.verdict)), [.accept, .drop])
        XCTAssertThrowsError(try walk([DescribedOption("--pkt-type", "sideways")]))
    }
}
