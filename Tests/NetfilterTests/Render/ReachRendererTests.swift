import Foundation
import XCTest
@testable import Netfilter

/// The matrix of `verdict reach` drawn wide: the text in blocks of 40 services with their
/// numbers written downwards, the picture cut at 200 services with a heading that says so.
final class ReachRendererTests: XCTestCase {
    /// One source and `count` services, the cells alternately open and dropped.
    static func wide(_ count: Int) -> ReachMatrix {
        let source = ReachSource(name: "eth0 link", kind: .link, origin: .device("eth0"),
                                 addresses: IntervalSet(0x0A00_0200, 0x0A00_02FF), family: .ipv4)
        let services = (0..<count).map { index in
            ReachService(kind: .nat, protocol: IPProtocol.tcp, address: .v4(IPv4Address(10, 96, 0, 1)),
                         port: UInt16(1000 + index))
        }
        let cells = services.indices.map { index in
            ReachCell(source: 0, service: index, classes: [
                ReachClass(packets: nil, packetsText: "tcp 10.0.2.0/24 -> 10.96.0.1",
                           outcome: index % 2 == 0 ? .open : .dropped,
                           by: [], nat: [], leadsTo: [], why: nil, detail: "", probability: nil, witness: nil,
                           confirmed: nil),
            ])
        }
        return ReachMatrix(family: .ipv4, sources: [source], services: services, cells: cells)
    }

    func testTextMatrixComesInBlocksOfFortyServices() {
        let text = ReachRenderer.text([Self.wide(45)], brief: true)
        let rows = text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("  eth0 link") }
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0], "  eth0 link  " + Array(repeating: "O .", count: 20).joined(separator: " "))
        XCTAssertEqual(rows[1], "  eth0 link  O . O . O")
        XCTAssertTrue(text.contains("\n             4 4 4 4 4\n             1 2 3 4 5\n"), text)
    }

    func testPictureDrawsTheFirstTwoHundredServices() throws {
        let svg = ReachPictureRenderer.svg([Self.wide(250)])
        XCTAssertEqual(svg.components(separatedBy: "<g class=\"cell ").count - 1, 200)
        XCTAssertTrue(svg.contains("IPv4: 1 sources × 250 services (the first 200 drawn: --to and -p choose others)"))
        let narrow = ReachPictureRenderer.svg([Self.wide(20)])
        XCTAssertTrue(narrow.contains("IPv4: 1 sources × 20 services<"), "no cut below 200")
    }
}
