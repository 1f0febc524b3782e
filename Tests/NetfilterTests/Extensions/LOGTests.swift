import XCTest
@testable import Netfilter

final class LOGTests: XCTestCase {
    func testLevelsAndPrefixes() {
        assertSaves("-j LOG --log-prefix \"dropped: \" --log-level warning", as: "-j LOG --log-prefix \"dropped: \"")
        assertSaves("-j LOG --log-level alert --log-uid", as: "-j LOG --log-level 1 --log-uid")
        assertSaves("-j NFLOG --nflog-group 5 --nflog-prefix blocked", as: "-j NFLOG --nflog-prefix blocked --nflog-group 5")
        assertRefuses("-j LOG --log-prefix 123456789012345678901234567890", containing: "longer than 29")
    }

    func testRejectAlwaysPrintsItsType() {
        assertSaves("-j REJECT", as: "-j REJECT --reject-with icmp-port-unreachable")
        assertSaves("-p tcp -j REJECT --reject-with tcp-rst", as: "-p tcp -j REJECT --reject-with tcp-reset")
        assertRefuses("-j REJECT --reject-with tcp-reset", containing: "only valid with -p tcp")
        assertSaves("-j REJECT", as: "-j REJECT --reject-with icmp6-port-unreachable", family: .ipv6)
    }
}
