import XCTest
@testable import Netfilter

final class PacketDescriptionTests: XCTestCase {
    func testReadsAndWritesTheCompactForm() throws {
        let text = "tcp 172.17.0.2:40000 -> 93.184.216.34:443 in docker0 out eth0 ctstate NEW mark 0x1 flags SYN,ACK"
        let packet = try PacketDescription.parse(text)
        XCTAssertEqual(packet.protocol, 6)
        XCTAssertEqual(packet.destinationPort, 443)
        XCTAssertEqual(packet.hookState.inInterface, "docker0")
        XCTAssertEqual(packet.conntrack.state, .new)
        XCTAssertEqual(packet.tcpFlags, 0x12)
        XCTAssertEqual(PacketDescription.format(packet), text)
    }

    func testIPv6AndICMP() throws {
        let packet = try PacketDescription.parse("udp [2001:db8::1]:5353 -> [ff02::fb]:5353 in eth0")
        XCTAssertEqual(packet.family, .ipv6)
        XCTAssertEqual(packet.sourcePort, 5353)
        let ping = try PacketDescription.parse("icmp 10.0.0.1 -> 10.0.0.2 type 8/0")
        XCTAssertEqual(ping.icmpType, 8)
        XCTAssertNil(ping.sourcePort)
    }

    func testErrorsSayWhere() {
        XCTAssertThrowsError(try PacketDescription.parse("tcp 10.0.0.1 => 10.0.0.2")) { error in
            XCTAssertEqual((error as? PacketDescription.ParseError)?.column, 14)
        }
        XCTAssertThrowsError(try PacketDescription.parse("tcp 10.0.0.1 -> 10.0.0.2 ctstate MAYBE"))
        XCTAssertThrowsError(try PacketDescription.parse("tcp 10.0.0.1 -> ::1"))
    }
}
