import XCTest
@testable import Netfilter

final class NATTests: XCTestCase {
    func testDestinationRanges() {
        assertSaves("-p tcp -j DNAT --to-destination 172.17.0.2:80", table: "nat", chain: "PREROUTING")
        assertSaves("-p tcp -j DNAT --to 1.1.1.1-1.1.1.10:1000-2000/ftp",
                    as: "-p tcp -j DNAT --to-destination 1.1.1.1-1.1.1.10:1000-2000/21", table: "nat", chain: "PREROUTING")
        assertSaves("-p tcp -j DNAT --to-destination [2001:db8::1]:80", table: "nat", chain: "PREROUTING", family: .ipv6)
    }

    func testKernelRestrictions() {
        assertRefuses("-j DNAT --to-destination 1.1.1.1:80", containing: "needs -p tcp", table: "nat", chain: "PREROUTING")
        assertRefuses("-j DNAT --to-destination 1.1.1.1", containing: "only valid in the nat table")
        assertRefuses("-j DNAT --to-destination 1.1.1.1", containing: "not allowed at hook POSTROUTING", table: "nat", chain: "POSTROUTING")
        assertRefuses("-j SNAT --to-source 1.1.1.1", containing: "not allowed at hook PREROUTING", table: "nat", chain: "PREROUTING")
        assertRefuses("-j REDIRECT", containing: "not allowed at hook POSTROUTING", table: "nat", chain: "POSTROUTING")
    }

    func testMasqueradeAndRedirect() {
        assertSaves("-o eth0 -j MASQUERADE --random-fully", table: "nat", chain: "POSTROUTING")
        assertSaves("-p udp -j REDIRECT --to-ports 512-512", as: "-p udp -j REDIRECT --to-ports 512", table: "nat", chain: "PREROUTING")
    }
}
