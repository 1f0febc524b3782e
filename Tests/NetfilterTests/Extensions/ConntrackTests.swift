import XCTest
@testable import Netfilter

final class ConntrackTests: XCTestCase {
    func testStatesPrintInTheKernelsOrder() {
        assertSaves("-m conntrack --ctstate ESTABLISHED,RELATED", as: "-m conntrack --ctstate RELATED,ESTABLISHED")
        assertSaves("-m conntrack ! --ctstate DNAT")
        assertSaves("-m state --state established,new", as: "-m state --state NEW,ESTABLISHED")
    }

    /// The states are read once into bits; --ctstate and --state agree on them, and the
    /// packet's state is tested against them.
    func testStatesAreBitsDecidedPerPacket() {
        let conntrack = parseRule("-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT").rule?.matches.first
        let state = parseRule("-m state --state RELATED,ESTABLISHED -j ACCEPT").rule?.matches.first
        XCTAssertEqual(conntrack?.setting("ctstate")?.value, .keywords(KeywordSet(bits: 0b1100)))
        XCTAssertEqual(state?.setting("state")?.value, conntrack?.setting("ctstate")?.value)
        var packet = Packet.tcp(IPv4Address(10, 0, 0, 1), 1000, IPv4Address(10, 0, 0, 2), 80)
        for (given, expected) in [(ConntrackState.established, true), (.related, true), (.new, false), (.invalid, false)] {
            packet.conntrack.state = given
            for match in [conntrack, state].compactMap({ $0 }) {
                let outcome = match.spec.evaluate?(match, packet)
                XCTAssertEqual(outcome == .matches, expected, "\(given) \(match.spec.name): \(String(describing: outcome))")
            }
        }
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
