import XCTest
@testable import Netfilter

/// The fields of a TRACE line (nf_log_syslog.c): the kernel's order and spelling, what it
/// leaves out, and `?` for what a class leaves open.
final class TraceHeaderTests: XCTestCase {
    func testFieldsInTheKernelsOrderAndSpelling() {
        var packet = Packet.tcp(IPv4Address(93, 184, 216, 34), 50000, IPv4Address(10, 0, 2, 15), 8080)
        packet.mark = 0x1
        XCTAssertEqual(TraceHeader(packet, in: "eth0", out: nil).fields,
                       "IN=eth0 OUT= SRC=93.184.216.34 DST=10.0.2.15 PROTO=TCP SPT=50000 DPT=8080 MARK=0x1")
    }

    func testAZeroMarkIsLeftOutAndOpenFieldsShowAsQuestionMarks() {
        var packet = Packet.tcp(IPv4Address(10, 0, 0, 1), 40000, IPv4Address(10, 0, 0, 2), 22)
        XCTAssertEqual(TraceHeader(packet, in: nil, out: "eth1").fields,
                       "IN= OUT=eth1 SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=40000 DPT=22")
        packet.source = nil
        packet.destinationPort = nil
        packet.open = .mark
        XCTAssertEqual(TraceHeader(packet, in: nil, out: "eth1").fields,
                       "IN= OUT=eth1 SRC=? DST=10.0.0.2 PROTO=TCP SPT=40000 DPT=? MARK=?")
    }

    func testBridgePortsOnlyWhereTheyDifferFromTheHooksDevices() {
        var packet = Packet.echoRequest(IPv4Address(172, 17, 0, 2), IPv4Address(172, 17, 0, 3))
        packet.physdevIn = "vethc1"
        packet.physdevOut = "vethc2"
        XCTAssertEqual(TraceHeader(packet, in: "docker0", out: "docker0").fields,
                       "IN=docker0 OUT=docker0 PHYSIN=vethc1 PHYSOUT=vethc2 SRC=172.17.0.2 DST=172.17.0.3 "
                        + "PROTO=ICMP TYPE=8 CODE=0")
        XCTAssertEqual(TraceHeader(packet, in: "vethc1", out: "vethc2").fields,
                       "IN=vethc1 OUT=vethc2 SRC=172.17.0.2 DST=172.17.0.3 PROTO=ICMP TYPE=8 CODE=0")
    }

    func testIPv6AddressesAreWrittenOutAndOtherProtocolsByNumber() throws {
        var packet = Packet(family: .ipv6)
        packet.protocol = IPProtocol.icmpv6
        packet.source = IPAddress(parsing: Array("2001:db8::1".utf8), family: .ipv6)
        packet.destination = IPAddress(parsing: Array("fe80::2".utf8), family: .ipv6)
        packet.icmpType = 128
        packet.icmpCode = 0
        XCTAssertEqual(TraceHeader(packet, in: "eth0", out: nil).fields,
                       "IN=eth0 OUT= SRC=2001:0db8:0000:0000:0000:0000:0000:0001 "
                        + "DST=fe80:0000:0000:0000:0000:0000:0000:0002 PROTO=ICMPv6 TYPE=128 CODE=0")
        packet.protocol = IPProtocol.gre
        XCTAssert(TraceHeader(packet, in: "eth0", out: nil).fields.hasSuffix(" PROTO=47"))
        packet.protocol = IPProtocol.icmp
        XCTAssert(TraceHeader(packet, in: "eth0", out: nil).fields.hasSuffix(" PROTO=1"), "ICMP of IPv4 in IPv6")
    }
}
