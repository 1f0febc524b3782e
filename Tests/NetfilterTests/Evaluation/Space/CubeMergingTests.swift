import XCTest
@testable import Netfilter

final class CubeMergingTests: XCTestCase {
    /// Classes that differ only in the truths of conditions the outcome does not depend on
    /// (14 rules without a target, each with a match the algebra cannot express, made 16,384
    /// of them; found by Scripts/fuzz) join into one class that leaves them open.
    func testClassesAlikeButForConditionsJoinIntoOne() {
        let texts = (1...10).map { "-m connbytes --connbytes \($0)" }
        var cubes: [PacketCube] = []
        for bits in 0..<(1 << texts.count) {
            var cube = PacketCube()
            cube.restrict(.protocol, to: .intervals(IntervalSet(value: 1)))
            for (index, text) in texts.enumerated() { cube.require(text, bits & (1 << index) != 0) }
            cubes.append(cube)
        }
        let merged = PacketCube.merged(cubes, family: .ipv4)
        XCTAssertEqual(merged.count, 1)
        XCTAssertEqual(merged.first?.conditions.count, 0)
        XCTAssertEqual(merged.first?[.protocol], .intervals(IntervalSet(value: 1)))
    }

    /// Only both truths of a condition (or a class leaving it open) join: one truth alone, or
    /// classes that differ elsewhere too, stay apart.
    func testClassesThatDifferElsewhereStayApart() {
        func cube(_ proto: UInt128, _ holds: Bool, other: Bool) -> PacketCube {
            var cube = PacketCube()
            cube.restrict(.protocol, to: .intervals(IntervalSet(value: proto)))
            cube.require("-m recent --rcheck", holds)
            cube.require("-m limit --limit 1/s", other)
            return cube
        }
        // Each differs from the other in the protocol and in a condition: no union is one class.
        let apart = [cube(1, true, other: false), cube(2, false, other: false)]
        XCTAssertEqual(Set(PacketCube.merged(apart, family: .ipv4)), Set(apart))
        let pair = [cube(7, true, other: true), cube(7, false, other: true)]
        let joined = PacketCube.merged(pair + apart, family: .ipv4)
        XCTAssertEqual(joined.count, 3)
        let seven: FieldSet = .intervals(IntervalSet(value: 7))
        let open = joined.filter { $0[.protocol] == seven }
        XCTAssertEqual(open.count, 1)
        XCTAssertNil(open.first?.condition("-m recent --rcheck"))
        XCTAssertEqual(open.first?.condition("-m limit --limit 1/s"), true)
    }
}
