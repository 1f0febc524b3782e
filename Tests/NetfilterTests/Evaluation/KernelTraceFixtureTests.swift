import Foundation
import XCTest
@testable import Netfilter

/// Traces captured from the kernel on this project's machine (Scripts/capture-kernel-trace:
/// one ping over loopback in a scratch namespace) and kept under Tests/Fixtures/kernel-traces:
/// verdict's kernel-format lines must be the same.
final class KernelTraceFixtureTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/kernel-traces")

    func testLoopbackPingTracesMatchTheKernel() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".rules") }.sorted()
        XCTAssertFalse(names.isEmpty, "fixtures are part of the repository")
        for name in names {
            let rules = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            let expected = try String(contentsOf: Self.folder.appendingPathComponent(name.replacingOccurrences(of: ".rules", with: ".trace")),
                                      encoding: .utf8).split(separator: "\n").map(String.init)
            let parsed = SaveParser.parse(rules, family: .ipv4)
            XCTAssertEqual(parsed.errors, [], name)
            var packet = Packet()
            packet.protocol = IPProtocol.icmp
            packet.source = .v4(IPv4Address(127, 0, 0, 1))
            packet.destination = .v4(IPv4Address(127, 0, 0, 1))
            packet.icmpType = 8
            packet.icmpCode = 0
            packet.conntrackState = .new
            packet.localAddresses = [.v4(IPv4Address(127, 0, 0, 1))]
            var steps: [TraceStep] = []
            // Out through OUTPUT and POSTROUTING, back in through PREROUTING and INPUT.
            for (hook, input, output) in [(Hook.output, nil, "lo"), (.postrouting, nil, "lo"), (.prerouting, "lo", nil), (.input, "lo", nil)]
                as [(Hook, String?, String?)] {
                packet.inInterface = input
                packet.outInterface = output
                let outcomes = HookWalker.walk(parsed.ruleset, hook: hook, packet: packet)
                XCTAssertEqual(outcomes.count, 1, name)
                guard let outcome = outcomes.first else { break }
                steps += outcome.steps
                packet = outcome.packet
                if outcome.verdict != .accept { break }
            }
            let lines = KernelTraceRenderer.lines(steps, fromStart: !KernelTraceRenderer.hasTraceRules(parsed.ruleset))
            XCTAssertEqual(lines, expected, name)
        }
    }
}
