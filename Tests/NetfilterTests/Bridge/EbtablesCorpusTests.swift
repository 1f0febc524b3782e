import XCTest
@testable import Netfilter

/// The corpus's ebtables files (../shared/corpus/ebtables/*.ebt, listings/*.ebt-listing):
/// told from iptables text, checked as ebtables-nft-restore checks them, printed back.
final class EbtablesCorpusTests: XCTestCase {
    /// The files ebtables-nft-restore 1.8.9 refuses (tried in a scratch network namespace:
    /// `ip netns exec x ebtables-nft-restore < FILE`), each with what verdict reports. They are
    /// ferm's expected command lines converted to ebtables-save layout, never loaded as such.
    static let refused: [String: [String]] = [
        // ebtables-nft-restore: "Use -o only in OUTPUT, FORWARD and POSTROUTING chains", line 16.
        "ebtables/ferm-test_basic.ebt": ["16:47: Use -o only", "16:68: Use --logical-out only"],
        // The same at line 10.
        "ebtables/ferm-test_negated.ebt": ["10:53: Use -o only", "10:76: Use --logical-out only"],
        // "RULE_APPEND failed (Invalid argument)" for dnat, redirect, snat and arpreply in the filter
        // table (ebt_dnat.c and the others check the table and hooks; arpreply also wants -p ARP).
        "ebtables/ferm-test_targets.ebt": ["7:27: -j arpreply runs only", "7:39: --arpreply-mac needs -p ARP",
                                           "8:27: -j dnat runs only", "10:27: -j redirect runs only",
                                           "11:27: -j snat runs only", "12:27: -j snat runs only"],
    ]

    static func files() -> [String] {
        Corpus.files(under: "ebtables", withExtension: "ebt")
            + Corpus.files(under: "listings", withExtension: "ebt-listing")
    }

    func testEveryEbtablesFileIsToldFromIptablesText() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        for path in Self.files() {
            let expected: RulesInput.Format = path.hasSuffix(".ebt") ? .ebtablesSave : .ebtablesListing
            XCTAssertEqual(RulesInput.detectFormat(try Corpus.bytes(path)), expected, path)
        }
        let iptables = try Corpus.entries().map(\.path).filter { $0.hasSuffix(".rules") || $0.hasSuffix(".listing") }
        XCTAssertGreaterThan(iptables.count, 100)
        for path in iptables {
            XCTAssertFalse(RulesInput.detectFormat(try Corpus.bytes(path)).isEbtables, path)
        }
    }

    func testEveryEbtablesFileChecksAsEbtablesNftRestoreDoes() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        var clean = 0
        for path in Self.files() {
            let result = EbtablesValidator.read(try Corpus.bytes(path))
            let found = result.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
            if let expected = Self.refused[path] {
                XCTAssertEqual(found.count, expected.count, "\(path): \(found)")
                for (message, prefix) in zip(found, expected) {
                    XCTAssert(message.hasPrefix(prefix), "\(path): \(message)")
                }
            } else {
                XCTAssertEqual(found, [], path)
                clean += 1
            }
        }
        print("ebtables corpus: \(clean) of \(Self.files().count) files check clean, "
              + "\(Self.refused.count) refused as ebtables-nft-restore refuses them")
        XCTAssertEqual(clean, Self.files().count - Self.refused.count)
    }

    func testEverySaveFilePrintsBackByteForByte() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        let files = Corpus.files(under: "ebtables", withExtension: "ebt")
        var same = 0
        for path in files {
            let bytes = try Corpus.bytes(path)
            let printed = EbtablesSavePrinter.text(EbtablesParser.read(bytes).ruleset)
            XCTAssertEqual(printed, String(decoding: bytes, as: UTF8.self), path)
            if Array(printed.utf8) == bytes { same += 1 }
        }
        print("ebtables corpus: \(same) of \(files.count) ebtables-save files print back byte for byte")
        XCTAssertEqual(same, files.count)
        XCTAssertGreaterThan(files.count, 0)
    }

    /// The listings and the ebtables-save text of the same rules, from one iptables test
    /// (0004-save-counters): `ebtables -L` is plain save, `-L --Lc` save -c.
    func testListingsPrintAsTheirSaveText() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        let pairs = [("listings/iptables-test_0004-save-counters_0.ebt-listing",
                      "ebtables/iptables-test_0004-save-counters_2.ebt"),
                     ("listings/iptables-test_0004-save-counters_1.ebt-listing",
                      "ebtables/iptables-test_0004-save-counters_3.ebt")]
        for (listing, save) in pairs {
            let printed = EbtablesSavePrinter.text(EbtablesParser.read(try Corpus.bytes(listing)).ruleset)
            let expected = String(decoding: try Corpus.bytes(save), as: UTF8.self)
            XCTAssertEqual(Self.withoutComments(printed), Self.withoutComments(expected), listing)
        }
    }

    static func withoutComments(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }
            .joined(separator: "\n")
    }
}
