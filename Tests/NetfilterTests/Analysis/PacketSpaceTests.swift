import XCTest
@testable import Netfilter

/// The header-space algebra: set operations stay exact and disjoint.
final class PacketSpaceTests: XCTestCase {
    func testIntervalSetOperations() {
        let a = IntervalSet(intervals: [.init(1, 10), .init(20, 30)])
        let b = IntervalSet(5, 25)
        XCTAssertEqual(a.intersection(b).intervals, [.init(5, 10), .init(20, 25)])
        XCTAssertEqual(a.subtracting(b).intervals, [.init(1, 4), .init(26, 30)])
        XCTAssertEqual(a.complement(within: 0, 40).intervals, [.init(0, 0), .init(11, 19), .init(31, 40)])
        XCTAssertEqual(IntervalSet(0, .max).complement(within: 0, .max).intervals, [])
        XCTAssertEqual(IntervalSet(intervals: [.init(1, 2), .init(3, 4)]).intervals, [.init(1, 4)], "adjacent intervals merge")
        XCTAssertTrue(a.contains(25) && !a.contains(15))
        XCTAssertEqual(a.count, 21)
    }

    func testTernarySubtractionIsDisjointAndExact() {
        let all = TernarySet.full
        let bit = TernarySet(value: 0x4000, mask: 0x4000)
        let rest = all.subtracting(bit)
        XCTAssertFalse(rest.contains(0x4000))
        XCTAssertTrue(rest.contains(0x1))
        let lowByte = TernarySet(value: 0x12, mask: 0xFF)
        let pieces = lowByte.complement
        for value: UInt64 in [0, 0x12, 0x112, 0x13, 0xFF12] {
            XCTAssertEqual(pieces.contains(value), value & 0xFF != 0x12, "value \(value)")
        }
        // Disjoint pieces: no value in two of them.
        for value: UInt64 in 0..<512 {
            XCTAssertLessThanOrEqual(pieces.patterns.filter { value & $0.mask == $0.value }.count, 1)
        }
    }

    func testInterfaceWildcardIsOneInterval() {
        let prefix = InterfaceName("eth+").encodedRange
        XCTAssertTrue(prefix.contains(InterfaceName.encode("eth0".utf8)))
        XCTAssertTrue(prefix.contains(InterfaceName.encode("eth".utf8)), "the kernel's eth+ matches eth itself")
        XCTAssertFalse(prefix.contains(InterfaceName.encode("et".utf8)))
        XCTAssertTrue(prefix.contains(InterfaceName.encode("ethernet".utf8)))
        XCTAssertFalse(prefix.contains(InterfaceName.encode("docker0".utf8)))
        XCTAssertEqual(InterfaceName.decode(InterfaceName.encode("br-1a2b".utf8)), "br-1a2b")
    }

    func testRuleSpacesAndCoverage() throws {
        let rules = try parse("""
        *filter
        :INPUT ACCEPT [0:0]
        -A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT
        -A INPUT -s 10.1.0.0/16 -p tcp -m multiport --dports 22,80 -j DROP
        -A INPUT ! -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j DROP
        -A INPUT -p tcp -m tcp --dport 22 -m recent --rcheck --name x -j DROP
        COMMIT
        """)
        let chain = try XCTUnwrap(rules.table(named: "filter")?.chain(named: "INPUT"))
        let spaces = chain.rules.map { RuleSpace.matching($0, family: .ipv4) }
        XCTAssertTrue(spaces[1].intersects(spaces[0]))
        XCTAssertEqual(spaces[1].isSubset(of: spaces[0]), false, "port 80 is not covered")
        let first = try XCTUnwrap(spaces[0].union(spaces[2]))
        let port22 = RuleSpace.matching(chain.rules[3], family: .ipv4)
        XCTAssertEqual(port22.cubes.first?.conditions.first?.text, "-m recent --rcheck --name x")
        XCTAssertEqual(PacketSpace(family: .ipv4, cubes: port22.cubes.map(\.withoutConditions)).isSubset(of: first), true,
                       "every tcp/22 packet is taken by rule 1 or rule 3")
        XCTAssertEqual(port22.isSubset(of: spaces[0]), false)
    }

    func testNegatedMatchAndNetworkEdges() throws {
        let rules = try parse("""
        *filter
        :INPUT ACCEPT [0:0]
        -A INPUT -p tcp -m tcp ! --dport 1024:65535 -j ACCEPT
        -A INPUT -s 0.0.0.0/0 -d 255.255.255.255/32 -j DROP
        COMMIT
        """)
        let chain = try XCTUnwrap(rules.table(named: "filter")?.chain(named: "INPUT"))
        let low = RuleSpace.matching(chain.rules[0], family: .ipv4)
        XCTAssertEqual(low.cubes.count, 1)
        XCTAssertEqual(low.cubes.first?[.destinationPort], .intervals(IntervalSet(0, 1023)))
        let broadcast = RuleSpace.matching(chain.rules[1], family: .ipv4)
        XCTAssertEqual(broadcast.cubes.first?[.destination], .intervals(IntervalSet(value: UInt128(UInt32.max))))
    }

    func parse(_ text: String) throws -> Ruleset {
        let result = SaveParser.parse(Array(text.utf8), family: .ipv4)
        XCTAssertTrue(result.diagnostics.isEmpty, "\(result.diagnostics)")
        return result.ruleset
    }
}
