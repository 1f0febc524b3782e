import XCTest
@testable import Netfilter

final class MARKTests: XCTestCase {
    /// Every MARK form is the kernel's (mark, mask) pair, printed as --set-xmark.
    func testEveryFormBecomesSetXmark() {
        assertSaves("-j MARK --set-mark 1", as: "-j MARK --set-xmark 0x1/0xffffffff")
        assertSaves("-j MARK --set-mark 0x10/0xf0", as: "-j MARK --set-xmark 0x10/0xf0")
        assertSaves("-j MARK --or-mark 0x4000", as: "-j MARK --set-xmark 0x4000/0x4000")
        assertSaves("-j MARK --xor-mark 0x4000", as: "-j MARK --set-xmark 0x4000/0x0")
        assertSaves("-j MARK --and-mark 0xff", as: "-j MARK --set-xmark 0x0/0xffffff00")
    }

    func testMarkMatchAndConnmark() {
        assertSaves("-m mark ! --mark 0x4000/0x4000")
        assertSaves("-m connmark --mark 0/0xffffffff", as: "-m connmark --mark 0x0")
        assertSaves("-j CONNMARK --save-mark", as: "-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff",
                    table: "mangle", chain: "PREROUTING")
        assertSaves("-j CONNMARK --restore-mark --mask 0xff", as: "-j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff",
                    table: "mangle", chain: "PREROUTING")
    }

    func testRefusals() {
        assertRefuses("-j MARK", containing: "needs one of")
        assertRefuses("-j MARK --set-mark 4294967296", containing: "out of range")
    }
}
