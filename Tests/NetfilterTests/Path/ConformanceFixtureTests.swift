import XCTest
@testable import Netfilter

/// Regression cases from Scripts/kernel-conformance (Tests/Fixtures/conformance/NAME: the
/// host's snapshot with a random ruleset, case.args, and case.trace with the kernel's TRACE
/// lines for the request, `--`, and the reply). Each was a disagreement once; verdict's flow
/// must now print the kernel's lines exactly: with the fields verdict models (IN= OUT= SRC=
/// ... MARK=, as the script cuts them from dmesg) where the fixture has them, else the bare
/// `TRACE: table:chain:type:num` of the older fixtures. `Scripts/kernel-conformance --adopt`
/// adds one.
final class ConformanceFixtureTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/conformance")

    func testRegressionCasesMatchTheKernel() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 9)
        for name in names {
            let base = Self.folder.appendingPathComponent(name)
            let snapshot = try HostSnapshot.load(base.path)
            let arguments = try FlowArguments(try String(contentsOf: base.appendingPathComponent("case.args"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines))
            let expected = try String(contentsOf: base.appendingPathComponent("case.trace"), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
            let lines = arguments.kernelLines(HostPath(snapshot), name: name)
            // A line with fields is compared with verdict's line with its header.
            let compared = zip(lines, expected).map { line, kernel in kernel.contains(" IN=") ? line.full : line.bare }
                + lines.dropFirst(expected.count).map(\.full)
            XCTAssertEqual(compared, Array(expected), name)
        }
    }
}
