import XCTest
@testable import Netfilter

/// Exchanges through a Docker host built in network namespaces on this machine, with the
/// kernel's TRACE lines for the request and the reply (Tests/Fixtures/host-flows, captured
/// by Scripts/capture-host-flows with the host's snapshot beside them). verdict's flow on
/// the snapshot must print the kernel's lines exactly.
final class HostFlowFixtureTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/host-flows")

    func testFlowsMatchTheKernel() throws {
        let snapshot = try HostSnapshot.load(Self.folder.appendingPathComponent("snapshot").path)
        let path = HostPath(snapshot)
        let cases = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".args") }.sorted()
        XCTAssertGreaterThanOrEqual(cases.count, 19)
        for name in cases {
            let base = Self.folder.appendingPathComponent(String(name.dropLast(".args".count)))
            let arguments = try FlowArguments(try String(contentsOf: base.appendingPathExtension("args"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines))
            let expected = try String(contentsOf: base.appendingPathExtension("trace"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            let lines = arguments.kernelLines(path, name: name)
            XCTAssertEqual(lines.map(\.bare), expected, name)
        }
    }
}
