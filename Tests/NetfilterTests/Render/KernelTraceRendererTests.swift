import XCTest
@testable import Netfilter

/// The header each TRACE line of a hook carries: the mark as the targets before the entry
/// left it, the addresses before NAT up to the nat table and after it in later tables.
final class KernelTraceRendererTests: XCTestCase {
    func lines(_ rules: String, hook: Hook, in inDevice: String?, out outDevice: String?) throws -> [String] {
        let parsed = SaveParser.parse(rules, family: .ipv4)
        XCTAssertEqual(parsed.errors, [])
        var packet = Packet.tcp(IPv4Address(10, 0, 0, 1), 40000, IPv4Address(10, 0, 0, 2), 22)
        packet.hookState.inInterface = inDevice ?? ""
        packet.hookState.outInterface = outDevice ?? ""
        packet.conntrack.state = .new
        let results = HookWalker.walk(parsed.ruleset, hook: hook, packet: packet)
        let result = try XCTUnwrap(results.first)
        XCTAssertEqual(results.count, 1)
        return KernelTraceRenderer.traceLines(result.steps, fromStart: true, hook: hook,
                                              entering: TraceHeader(packet, in: inDevice, out: outDevice),
                                              leaving: TraceHeader(result.packet, in: inDevice, out: outDevice))
            .map(\.kernelText)
    }

    func testAMarkRulesOwnLineShowsTheMarkBeforeItAndLaterLinesTheNewMark() throws {
        let header = "IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=40000 DPT=22"
        XCTAssertEqual(try lines("""
        *raw
        :PREROUTING ACCEPT [0:0]
        -A PREROUTING -j MARK --set-mark 0x1
        COMMIT
        *mangle
        :PREROUTING ACCEPT [0:0]
        -A PREROUTING -j MARK --or-mark 0x4
        COMMIT

        """, hook: .prerouting, in: "eth0", out: nil), [
            "TRACE: raw:PREROUTING:rule:1 \(header)",
            "TRACE: raw:PREROUTING:policy:2 \(header) MARK=0x1",
            "TRACE: mangle:PREROUTING:rule:1 \(header) MARK=0x1",
            "TRACE: mangle:PREROUTING:policy:2 \(header) MARK=0x5",
        ])
    }

    func testNatLinesShowTheOriginalDestinationAndLaterTablesTheRewrittenOne() throws {
        XCTAssertEqual(try lines("""
        *nat
        :OUTPUT ACCEPT [0:0]
        -A OUTPUT -p tcp -m conntrack --ctstate NEW -j DNAT --to-destination 10.0.0.9:80
        COMMIT
        *filter
        :OUTPUT ACCEPT [0:0]
        COMMIT

        """, hook: .output, in: nil, out: "eth1"), [
            "TRACE: nat:OUTPUT:rule:1 IN= OUT=eth1 SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=40000 DPT=22",
            "TRACE: filter:OUTPUT:policy:1 IN= OUT=eth1 SRC=10.0.0.1 DST=10.0.0.9 PROTO=TCP SPT=40000 DPT=80",
        ])
    }

    func testSourceNATRunsLastSoNoLineOfItsHookShowsItsRewrite() throws {
        XCTAssertEqual(try lines("""
        *filter
        :INPUT ACCEPT [0:0]
        COMMIT
        *nat
        :INPUT ACCEPT [0:0]
        -A INPUT -m conntrack --ctstate NEW -j SNAT --to-source 10.0.0.7
        COMMIT

        """, hook: .input, in: "eth0", out: nil), [
            "TRACE: filter:INPUT:policy:1 IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=40000 DPT=22",
            "TRACE: nat:INPUT:rule:1 IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=40000 DPT=22",
        ])
    }
}
