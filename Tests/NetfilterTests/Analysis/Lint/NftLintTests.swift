import XCTest
@testable import Netfilter

/// The generic lints on nft rules: shadowed (exact over the relations' packets, in every
/// family an inet table sees), unreachable and duplicate rules, unused chains, jumps to empty
/// chains; tools' own tables left out of the placeholder lints.
final class NftLintTests: XCTestCase {
    func findings(_ text: String) -> [String] {
        let parsed = NftParser.parse(text)
        XCTAssertEqual(parsed.diagnostics, [])
        let context = LintContext(inputs: [], nft: [NftLintInput(file: "rules.nft", ruleset: parsed.ruleset)])
        return Linter(disabled: []).run(context).map { "\($0.location.position.line) \($0.lint): \($0.message)" }
    }

    static let rules = """
    table inet t {
    \tchain input {
    \t\ttype filter hook input priority filter; policy drop;
    \t\ttcp dport { 22, 80 } accept
    \t\tip saddr 10.0.0.0/8 tcp dport 80 counter packets 0 bytes 0 accept
    \t\ttcp dport 1 tcp dport 2 accept
    \t\ttcp dport 443 accept
    \t\ttcp dport 443 accept
    \t\tjump empty
    \t\tdrop
    \t\ttcp dport 8080 accept
    \t}

    \tchain empty {
    \t}

    \tchain orphan {
    \t\taccept
    \t}
    }

    """

    func testGenericLintsFindWhatTheKernelNeverRuns() {
        XCTAssertEqual(findings(Self.rules).sorted(), [
            "11 unreachable-rule: rule 8 of inet t/input is never reached: rule 7 (drop) ends the chain for every "
                + "packet",
            "17 unused-chain: no rule jumps or goes to inet t/orphan: its 1 rule never run",
            "5 shadowed-rule: rule 2 of inet t/input can never match: rule 1 before it already takes every packet "
                + "it matches",
            "6 shadowed-rule: rule 3 of inet t/input matches no packet at all: its conditions contradict each other",
            "8 duplicate-rule: rule 5 of inet t/input repeats rule 4: tcp dport 443 accept",
            "9 jump-to-empty-chain: rule 6 of inet t/input jumps or goes to empty, which has no rules",
        ])
    }

    /// A rule that changes what later rules read ends the search for shadowing; a rule of
    /// another family's packets (ip saddr in an inet table) is shadowed by what covers its own.
    func testShadowingStopsWhereRulesChangeThePacket() {
        let text = """
        table inet t {
        \tchain input {
        \t\ttype filter hook input priority filter; policy accept;
        \t\tmeta mark 0x00000001 accept
        \t\tmeta mark set 0x00000001
        \t\tmeta mark 0x00000001 accept
        \t}
        }

        """
        XCTAssertEqual(findings(text), [])
    }

    /// Docker's nftables tables are left out of the placeholder lints (their empty chains and
    /// maps are by design), and its goldens lint clean.
    func testDockersGoldensLintClean() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/corpus/nftables/moby")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw XCTSkip("../shared/corpus is absent (a fresh clone): Docker's goldens are not linted")
        }
        var linted = 0
        for name in names.sorted() where name.hasSuffix(".golden") {
            let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
            XCTAssertEqual(findings(text), [], name)
            linted += 1
        }
        XCTAssertEqual(linted, 282)
    }
}
