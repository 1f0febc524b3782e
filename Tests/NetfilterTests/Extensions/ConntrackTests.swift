import XCTest
@testable import Netfilter

final class ConntrackTests: XCTestCase {
    func testStatesPrintInTheKernelsOrder() {
        assertSaves("-m conntrack --ctstate ESTABLISHED,RELATED", as: "-m conntrack --ctstate RELATED,ESTABLISHED")
        assertSaves("-m conntrack ! --ctstate DNAT")
        assertSaves("-m state --state established,new", as: "-m state --state NEW,ESTABLISHED")
    }

    func testTuplesAndProtocolNumbers() {
        assertSaves("-m conntrack --ctproto tcp --ctorigdst 10.0.0.1 --ctorigdstport 80",
                    as: "-m conntrack --ctproto 6 --ctorigdst 10.0.0.1 --ctorigdstport 80")
        assertSaves("-m conntrack --ctdir reply", as: "-m conntrack --ctdir REPLY")
    }

    func testRefusals() {
        assertRefuses("-m conntrack", containing: "at least one option")
        assertRefuses("-m conntrack --ctstate BOGUS", containing: "unknown value")
        assertRefuses("-m conntrack --ctproto 0", containing: "0 is not allowed")
    }
}
