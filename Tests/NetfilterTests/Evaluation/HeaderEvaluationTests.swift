import XCTest
@testable import Netfilter

/// ip_packet_match: addresses under masks, devices with `+`, protocol, fragments, `!`.
final class HeaderEvaluationTests: XCTestCase {
    func header(_ text: String) throws -> HeaderMatch {
        let parsed = SaveParser.parse("*filter\n-A FORWARD \(text)\nCOMMIT\n", family: .ipv4)
        XCTAssertEqual(parsed.errors, [])
        return try XCTUnwrap(parsed.ruleset.tables.first?.chains.first?.rules.first?.header)
    }

    func testDecisionsAndReasons() throws {
        var packet = Packet()
        packet.protocol = IPProtocol.udp
        packet.source = .v4(IPv4Address(10, 1, 2, 3))
        packet.destination = .v4(IPv4Address(192, 168, 0, 9))
        packet.hookState.inInterface = "veth12"
        XCTAssertEqual(try header("-s 10.0.0.0/8 -i veth+").evaluate(packet), .matches)
        XCTAssertEqual(try header("! -s 10.0.0.0/8").evaluate(packet), .fails("10.1.2.3 in 10.0.0.0/8"))
        XCTAssertEqual(try header("-d 192.168.7.9/255.255.0.255").evaluate(packet), .matches)
        // INPUT has no output device; where one is not given at a hook that has one, it is open.
        packet.hookState.hook = .input
        XCTAssertEqual(try header("-o eth0").evaluate(packet), .fails("-o eth0: device is none"))
        packet.hookState.hook = .forward
        XCTAssertEqual(try header("-o eth0").evaluate(packet), .unknown("-o eth0: the device was not given"))
        XCTAssertEqual(try header("-o eth0 ! -s 10.0.0.0/8").evaluate(packet), .fails("10.1.2.3 in 10.0.0.0/8"))
        packet.protocol = nil
        XCTAssertEqual(try header("-p tcp").evaluate(packet), .unknown("-p tcp: the packet's protocol was not given"))
    }

    /// The compiled header the walk decides with (device names as masked bytes, addresses
    /// as masked integers) agrees with the full evaluation, on random cases.
    func testCompiledHeaderAgreesWithEvaluation() throws {
        let headers = try ["-s 10.0.0.0/8", "! -s 10.0.0.0/8 -d 10.1.0.0/16", "-i eth+ ! -o eth1", "! -i lo -p tcp",
                           "! -p udp -f", "-d 10.1.2.3/32 -o veth+", "! -f", "-s 10.0.0.0/255.0.255.0 -i eth0",
                           "-i +", "! -o eth+", "-i veth0123456789a", "-o veth0123456789+", "-i et", "! -i eth0"].map(header)
        var random = MutationTests.Generator(state: 99)
        for _ in 0..<3000 {
            var packet = Packet()
            packet.protocol = [nil, IPProtocol.tcp, IPProtocol.udp][random.next(3)]
            packet.source = random.next(5) == 0 ? nil : .v4(IPv4Address(10, UInt8(random.next(3)), UInt8(random.next(3)), 3))
            packet.destination = .v4(IPv4Address(10, 1, UInt8(random.next(3)), UInt8(random.next(4))))
            packet.hookState.inInterface = [nil, "eth0", "eth1", "lo", "veth9", "et", "veth0123456789a", "eth10"][random.next(8)]
            packet.hookState.outInterface = [nil, "eth0", "eth1", "veth2", "veth0123456789b", "eth"][random.next(6)]
            packet.isFragment = random.next(2) == 0
            for header in headers {
                let full = header.evaluate(packet)
                switch CompiledHeader(header).decide(packet) {
                case nil:
                    if case .unknown = full {} else { XCTFail("quick decision undecided where evaluation says \(full)") }
                case true?:
                    XCTAssertEqual(full, .matches)
                case false?:
                    if case .fails = full {} else { XCTFail("quick decision fails where evaluation says \(full)") }
                }
            }
        }
    }
}
