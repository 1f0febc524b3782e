import XCTest
@testable import Netfilter

final class TCPTests: XCTestCase {
    func testPortsAndRangesPrintAsIptablesDoes() {
        assertSaves("-p tcp --dport 22", as: "-p tcp -m tcp --dport 22")
        assertSaves("-p tcp -m tcp --sport 1024:", as: "-p tcp -m tcp --sport 1024:65535")
        assertSaves("-p tcp -m tcp --dport ssh", as: "-p tcp -m tcp --dport 22")
        assertSaves("-p tcp -m tcp ! --dport 4:4", as: "-p tcp -m tcp ! --dport 4")
        assertSaves("-p tcp -m tcp --sport :", as: "-p tcp -m tcp")
    }

    func testSynIsTheFlagsShorthand() {
        assertSaves("-p tcp --syn", as: "-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN")
        assertSaves("-p tcp -m tcp --tcp-flags ALL NONE", as: "-p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG,ECE,CWR NONE")
    }

    func testValuesThePortFieldCannotHold() {
        assertRefuses("-p tcp --dport 65536", containing: "out of range")
        assertRefuses("-p tcp --dport 4:3", containing: "greater than")
        assertRefuses("-m tcp --dport 22", containing: "needs -p tcp")
    }

    func testTypedValuesForTheEvaluator() {
        let rule = parseRule("-p tcp --dport 1000:2000 --tcp-flags SYN,ACK SYN").rule
        XCTAssertEqual(rule?.matches.first?.setting("dport")?.value, .ports([PortRange(1000, 2000)]))
        XCTAssertEqual(rule?.matches.first?.setting("tcp-flags")?.value, .tuple([.words(["SYN", "ACK"]), .words(["SYN"])]))
    }
}
