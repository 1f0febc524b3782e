import XCTest
@testable import Netfilter

final class AddrtypeTests: XCTestCase {
    func testTypesAndHookRestrictions() {
        assertSaves("-m addrtype --dst-type LOCAL", table: "nat", chain: "PREROUTING")
        assertSaves("-m addrtype --dst-type local,broadcast", as: "-m addrtype --dst-type LOCAL,BROADCAST")
        assertRefuses("-m addrtype --src-type LOCAL --limit-iface-in", containing: "not allowed at hook OUTPUT", chain: "OUTPUT")
        assertRefuses("-m addrtype", containing: "needs --src-type or --dst-type")
    }

    func testMatchesThatNeedAMACHeaderOrASocket() {
        assertRefuses("-m mac --mac-source 00:11:22:33:44:55", containing: "not allowed at hook OUTPUT", chain: "OUTPUT")
        assertSaves("-m mac --mac-source 00:11:22:aa:bb:cc", as: "-m mac --mac-source 00:11:22:AA:BB:CC")
        assertRefuses("-m owner --uid-owner 0", containing: "not allowed at hook INPUT")
        assertSaves("-m owner --uid-owner root", as: "-m owner --uid-owner 0", chain: "OUTPUT")
        // Captured from this kernel: only OUTPUT refuses --physdev-out without --physdev-is-bridged.
        assertRefuses("-m physdev --physdev-out eth0", containing: "not allowed at hook OUTPUT", chain: "OUTPUT")
        assertRefuses("-m physdev --physdev-is-out", containing: "not allowed at hook OUTPUT", chain: "OUTPUT")
        assertSaves("-m physdev --physdev-out eth0", chain: "FORWARD")
        assertSaves("-m physdev --physdev-out eth0 --physdev-is-bridged", chain: "FORWARD")
    }
}
