import Foundation
import XCTest
@testable import Netfilter

/// Real `nft list ruleset` text: Docker's nftables goldens (../shared/corpus/nftables/moby, read
/// in place) and what this machine's nft 1.0.6 printed for the rule sets of Tests/Fixtures/nft.
final class NftCorpusTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/nft")

    /// Parses, checks nothing is lost, and counts the rules kept as words.
    func roundTrip(_ bytes: [UInt8], _ name: String) -> (rules: Int, asWords: Int) {
        XCTAssert(NftDetector.isNft(bytes), name)
        let result = NftParser.parse(bytes)
        XCTAssertEqual(result.diagnostics, [], name)
        XCTAssertEqual(NftPrinter.text(result.ruleset), String(decoding: bytes, as: UTF8.self), name)
        let rules = result.ruleset.tables.flatMap(\.chains).flatMap(\.rules)
        let words = rules.filter { $0.statements.contains { if case .tokens = $0 { true } else { false } } }
        return (rules.count, words.count)
    }

    func testEveryMobyGoldenParsesStructuredAndPrintsBackByteForByte() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        let files = Corpus.files(under: "nftables/moby", withExtension: "golden")
        XCTAssertEqual(files.count, 282)
        var rules = 0
        for path in files {
            let counts = roundTrip(try Corpus.bytes(path), path)
            rules += counts.rules
            XCTAssertEqual(counts.asWords, 0, "\(path): rules not modelled")
        }
        XCTAssertGreaterThan(rules, 4000)
    }

    func testKernelFixturesPrintBackByteForByte() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)
            .filter { $0.hasSuffix(".nft") }.sorted()
        XCTAssertEqual(names, ["devices-interval-map.nft", "families.nft", "sets-maps.nft"])
        var total = (rules: 0, asWords: 0)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
            let counts = roundTrip(bytes, name)
            total.rules += counts.rules
            total.asWords += counts.asWords
        }
        // tcp flags' `syn / syn,ack`, `update @set { ... }`, named counters and quotas, meta mark
        // against a set without an operator are kept as written; everything else is structured.
        XCTAssertEqual(total.rules, 69)
        XCTAssertLessThanOrEqual(total.asWords, 4)
    }

    func testFamiliesFixtureHasEveryFamilyAndItsBaseChains() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("families.nft")))
        let ruleset = NftParser.parse(bytes).ruleset
        XCTAssertEqual(ruleset.tables.map(\.family), [.inet, .ip, .ip6, .bridge, .netdev, .arp])
        let netdev = try XCTUnwrap(ruleset.tables.first { $0.family == .netdev }?.chains.first?.base)
        XCTAssertEqual(netdev.device, "\"lo\"")
        XCTAssertEqual(netdev.priority, .number(-500))
        let forwarding = try XCTUnwrap(ruleset.tables[0].chains.first { $0.name == "forwarding" }?.base)
        XCTAssertEqual(forwarding.priority, .named("filter", offset: 10))
    }
}
