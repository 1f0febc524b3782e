import XCTest
@testable import Netfilter

/// Every rules file of ../shared/corpus through every lint: nothing crashes, and the
/// findings per lint stay the ones reviewed in docs/lints.md ("On real rule sets"). A
/// change that alters them must be reviewed again and the table updated.
final class LintCorpusTests: XCTestCase {
    static let reviewed: [String: Int] = [
        "duplicate-rule": 459, "state-match": 251, "log-without-limit": 104, "shadowed-rule": 71,
        "unused-chain": 40, "unreachable-rule": 31, "jump-to-empty-chain": 22, "published-port": 20,
        "docker-forward-accept": 17, "policy-rule": 14, "late-established": 6, "never-hit": 5,
        "useless-return": 4, "docker-user-not-first": 3, "docker-no-isolation": 1,
    ]

    func testCorpusFindingsAreTheReviewedOnes() throws {
        guard let root = Corpus.root else { throw XCTSkip(Corpus.skipReason) }
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "rules" } ?? []
        XCTAssertEqual(files.count, 143)
        var counts: [String: Int] = [:]
        var linted = 0
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            let family = Family.detect(in: bytes, fileName: file.lastPathComponent)
            let parsed = SaveParser.parse(bytes, family: family, options: ParseOptions(lenient: true))
            guard !(parsed.diagnostics + Validator.validate(parsed.ruleset)).contains(where: { $0.severity == .error }) else { continue }
            linted += 1
            for finding in Linter().run(LintContext(inputs: [LintInput(file: file.path, ruleset: parsed.ruleset)])) {
                counts[finding.lint, default: 0] += 1
                XCTAssertGreaterThan(finding.location.position.line, 0, "\(finding.lint) in \(file.lastPathComponent) has no line")
            }
        }
        XCTAssertEqual(linted, 122)
        XCTAssertEqual(counts, Self.reviewed)
    }
}
