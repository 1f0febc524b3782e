import XCTest
@testable import Netfilter

/// Every dump in the corpus that iptables-save wrote prints back byte for byte, and every
/// other rules file in it loads.
final class CorpusRoundTripTests: XCTestCase {
    /// Files SOURCES.md calls "save" whose text iptables-save cannot have printed as it
    /// stands, each with the reason. The test also checks that each still differs, so the
    /// list cannot go stale.
    static let notWrittenByIptablesSave: [String: String] = [
        "net-network/online_linux_gda_pl.rules": "double spaces inside rules and '--syn': hand-edited, not iptables-save output",
    ]

    func testSavedDumpsPrintBackByteForByte() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        let entries = try Corpus.entries().filter { $0.kind == "save" || $0.kind == "save-ip6" }
        XCTAssertGreaterThan(entries.count, 100)
        var identical = 0
        var failures: [String] = []
        for entry in entries {
            let bytes = try Corpus.bytes(entry.path)
            let family: Family = entry.kind == "save-ip6" ? .ipv6 : Family.detect(in: bytes, fileName: entry.path)
            let result = SaveParser.parse(bytes, family: family)
            let printed = SavePrinter.bytes(result.ruleset)
            let same = !result.hasErrors && printed == bytes
            if let reason = Self.notWrittenByIptablesSave[entry.path] {
                XCTAssertFalse(same, "\(entry.path) now round-trips; remove it from the exception list (\(reason))")
                continue
            }
            if same {
                identical += 1
            } else if result.hasErrors {
                failures.append("\(entry.path): \(result.errors.count) errors, first: \(result.errors[0])")
            } else {
                failures.append("\(entry.path): " + Self.firstDifference(printed, bytes))
            }
        }
        print("corpus round trip: \(identical) of \(entries.count - Self.notWrittenByIptablesSave.count) saved dumps identical")
        XCTAssert(failures.isEmpty, "\(failures.count) saved dumps do not print back unchanged:\n" + failures.joined(separator: "\n"))
    }

    func testEveryRulesFileLoads() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        let entries = try Corpus.entries().filter { $0.path.hasSuffix(".rules") && $0.kind != "broken" }
        var failures: [String] = []
        for entry in entries {
            let bytes = try Corpus.bytes(entry.path)
            let family: Family = entry.kind.hasSuffix("ip6") ? .ipv6 : Family.detect(in: bytes, fileName: entry.path)
            let result = SaveParser.parse(bytes, family: family)
            if result.hasErrors {
                failures.append("\(entry.path) (\(entry.kind)): \(result.errors.count) errors, first: \(result.errors[0])")
            }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) corpus files do not load:\n" + failures.joined(separator: "\n"))
    }

    func testBrokenDumpIsRefusedWithItsLine() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        let bytes = try Corpus.bytes("broken/openwrt_ticket18787_raw.rules")
        let result = SaveParser.parse(bytes, family: .ipv4)
        var diagnostics = result.diagnostics
        diagnostics += Validator.validate(result.ruleset)
        XCTAssert(diagnostics.contains { $0.severity == .error && $0.location.line > 0 },
                  "the deliberately broken dump must give an error with a line number")
    }

    static func firstDifference(_ printed: [UInt8], _ original: [UInt8]) -> String {
        let a = String(decoding: printed, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: original, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? String(a[index]) : "<end>"
            let right = index < b.count ? String(b[index]) : "<end>"
            if left != right { return "line \(index + 1):\n    got:      \(left)\n    expected: \(right)" }
        }
        return "differs"
    }
}
