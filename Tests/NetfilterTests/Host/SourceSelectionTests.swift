import XCTest
@testable import Netfilter

/// MASQUERADE's source (inet_select_addr with scope universe): a global address of the out
/// device, the one on the next hop's subnet first; else the first device's global address.
final class SourceSelectionTests: XCTestCase {
    func address(_ text: String, _ prefix: Int, scope: String = "global") throws -> HostInterface.Address {
        HostInterface.Address(address: try XCTUnwrap(IPAddress(parsing: Array(text.utf8), family: .ipv4)),
                              prefixLength: prefix, scope: scope)
    }

    func testOutOfLoTheFirstDevicesGlobalAddressOutOfAnotherDeviceItsOwn() throws {
        let selection = SourceSelection([
            HostInterface(index: 3, name: "eth0", addresses: [try address("10.0.2.15", 24)]),
            HostInterface(index: 1, name: "lo", addresses: [try address("127.0.0.1", 8, scope: "host")]),
            HostInterface(index: 2, name: "docker0", addresses: [try address("172.17.0.1", 16)]),
            HostInterface(index: 4, name: "eth1", addresses: [try address("192.168.100.1", 24),
                                                            try address("192.168.200.1", 24)]),
        ])
        let local = IPAddress.v4(IPv4Address(127, 0, 0, 1))
        // lo has no address of global scope: docker0 (index 2) comes first among the others.
        XCTAssertEqual(selection.source(outOf: "lo", toward: local), .v4(IPv4Address(172, 17, 0, 1)))
        XCTAssertEqual(selection.source(outOf: "eth0", toward: .v4(IPv4Address(93, 184, 216, 34))),
                       .v4(IPv4Address(10, 0, 2, 15)))
        XCTAssertEqual(selection.source(outOf: "eth1", toward: .v4(IPv4Address(192, 168, 200, 9))),
                       .v4(IPv4Address(192, 168, 200, 1)), "the address on the next hop's subnet")
        XCTAssertEqual(selection.source(outOf: "eth1", toward: .v4(IPv4Address(8, 8, 8, 8))),
                       .v4(IPv4Address(192, 168, 100, 1)), "else the first")
    }
}
