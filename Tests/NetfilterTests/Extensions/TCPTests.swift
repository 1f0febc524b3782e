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
        XCTAssertEqual(rule?.matches.first?.setting("tcp-flags")?.value, .masked(value: 0x02, mask: 0x12), "the kernel's flag bits")
    }

    /// A later fragment has no transport header: port matches fail for it, negated or not
    /// (observed on this machine: docs/semantics.md), and their packet sets leave it out.
    func testLaterFragmentsMatchNoPortsNegatedOrNot() throws {
        var fragment = Packet.tcp(IPv4Address(10, 0, 0, 1), 40000, IPv4Address(10, 0, 0, 2), 9999)
        fragment.isFragment = true
        var first = fragment
        first.isFragment = false
        for text in ["-p tcp -m tcp --dport 9999", "-p tcp -m tcp ! --dport 9999", "-p tcp -m multiport ! --dports 1", "-p tcp -m tcp"] {
            let rule = try XCTUnwrap(parseRule(text).rule)
            let call = try XCTUnwrap(rule.matches.last)
            XCTAssertEqual(call.spec.evaluate?(call, fragment), .fails("a later fragment carries no transport header"), text)
            XCTAssertFalse(RuleSpace.matching(rule, family: .ipv4).cubes.contains { $0.contains(fragment) }, text)
        }
        let plain = try XCTUnwrap(parseRule("-p tcp -m tcp --dport 9999").rule?.matches.first)
        XCTAssertEqual(plain.spec.evaluate?(plain, first), .matches)
    }
}
