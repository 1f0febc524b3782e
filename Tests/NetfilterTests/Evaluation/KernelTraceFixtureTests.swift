import Foundation
import XCTest
@testable import Netfilter

/// Traces captured from the kernel on this project's machine and kept under
/// Tests/Fixtures/kernel-traces (Scripts/capture-kernel-trace: an exchange over loopback, or
/// routed between two namespaces through the rules' namespace). Each case has CASE.rules, CASE.packet (the request and the reply
/// in the compact form) and CASE.trace (the kernel's lines for the request, "--", then for
/// the reply). verdict's kernel-format lines must be the same.
final class KernelTraceFixtureTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/kernel-traces")

    /// The hooks a loopback packet passes, with its devices there.
    static let loopback: [(Hook, String?, String?)] = [(.output, nil, "lo"), (.postrouting, nil, "lo"), (.prerouting, "lo", nil), (.input, "lo", nil)]
    /// The routed topology's hooks: client (10.0.1.2, behind rc0) to server (10.0.2.2, behind rs0) and back.
    static let routedRequest: [(Hook, String?, String?)] = [(.prerouting, "rc0", nil), (.forward, "rc0", "rs0"), (.postrouting, nil, "rs0")]
    static let routedReply: [(Hook, String?, String?)] = [(.prerouting, "rs0", nil), (.forward, "rs0", "rc0"), (.postrouting, nil, "rc0")]

    func trip(_ packet: Packet, _ ruleset: Ruleset, _ name: String,
              through hooks: [(Hook, String?, String?)] = loopback) -> (lines: [String], accepted: Bool) {
        var packet = packet
        var steps: [TraceStep] = []
        var accepted = true
        for (hook, input, output) in hooks {
            packet.hookState.inInterface = input
            packet.hookState.outInterface = output
            let outcomes = HookWalker.walk(ruleset, hook: hook, packet: packet)
            XCTAssertEqual(outcomes.count, 1, "\(name): every match is decidable")
            guard let outcome = outcomes.first else { return ([], false) }
            steps += outcome.steps
            packet = outcome.packet
            if outcome.verdict != .accept {
                accepted = false
                break
            }
        }
        return (KernelTraceRenderer.lines(steps, fromStart: !KernelTraceRenderer.hasTraceRules(ruleset)), accepted)
    }

    func testLoopbackExchangesMatchTheKernel() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".rules") }.map { String($0.dropLast(6)) }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 20, "fixtures are part of the repository")
        for name in names {
            let file = { (suffix: String) in try String(contentsOf: Self.folder.appendingPathComponent(name + suffix), encoding: .utf8) }
            let parsed = SaveParser.parse(try file(".rules"), family: .ipv4)
            XCTAssertEqual(parsed.errors, [], name)
            let packets = try file(".packet").split(separator: "\n").map { try PacketDescription.parse(String($0)) }
            let expected = try file(".trace").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let separator = try XCTUnwrap(expected.firstIndex(of: "--"), name)
            let routed = packets[0].source == .v4(IPv4Address(10, 0, 1, 2))
            let request = trip(packets[0], parsed.ruleset, name, through: routed ? Self.routedRequest : Self.loopback)
            XCTAssertEqual(request.lines, Array(expected[..<separator]), "\(name): request")
            let expectedReply = expected[(separator + 1)...].filter { !$0.isEmpty }
            let reply = request.accepted ? trip(packets[1], parsed.ruleset, name, through: routed ? Self.routedReply : Self.loopback).lines : []
            XCTAssertEqual(reply, Array(expectedReply), "\(name): reply")
        }
    }
}
