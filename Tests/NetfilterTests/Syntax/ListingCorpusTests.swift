import Foundation
import XCTest
@testable import Netfilter

/// The shared corpus's real listings (../shared/corpus/listings, written by others): every
/// one parses, what each loses is reported at its rule, and those with a paired
/// iptables-save dump (SOURCES.md, appendix B) agree with it rule for rule.
final class ListingCorpusTests: XCTestCase {
    /// Corpus listings that cannot load as they stand, each with the reason and the text
    /// every error has. The test checks they still fail, so the list cannot go stale.
    static let cannotLoad: [String: (reason: String, error: String)] = [
        "listings/netnet_tails_1.4.1.Lv.listing": ("listed without -n: owner's user names, which are not resolved offline",
                                                    "names other than root are not resolved offline"),
        "listings/netnet_tum_i8_2014-07-25.Ln.listing": ("anonymised: the scrambled port range 60000:29, as in its save dump",
                                                          "60000 is greater than 29"),
        "listings/moby_iptablesdoc_usernet-portmap-routed.listing": ("an excerpt of the DOCKER chain repeated from the prose of the document",
                                                                     "chain 'DOCKER' is listed twice"),
    ]

    /// The corpus replaced its MAC addresses with XX:XX:XX:XX:XX:XX; both texts of a pair
    /// get a valid one instead so that the rules can be compared.
    static func bytes(_ path: String) throws -> [UInt8] {
        let text = String(decoding: try Corpus.bytes(path), as: UTF8.self)
        return Array(text.replacingOccurrences(of: "XX:XX:XX:XX:XX:XX", with: "02:00:00:00:00:01").utf8)
    }

    func testEveryCorpusListingParsesAndReportsWhatItLoses() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        let files = Corpus.files(under: "listings", withExtension: "listing")
        XCTAssertEqual(files.count, 27)
        var rules = 0
        var lost = 0
        for path in files {
            let bytes = try Self.bytes(path)
            XCTAssertEqual(RulesInput.detectFormat(bytes), .listing, path)
            let family = RulesInput.detectFamily(bytes, fileName: path)
            XCTAssertEqual(family, path.contains("ip6tables") ? .ipv6 : .ipv4, path)
            let result = ListingParser.parse(bytes, family: family)
            if let expected = Self.cannotLoad[path] {
                XCTAssert(result.hasErrors, "\(path) now loads; remove it from the list (\(expected.reason))")
                for error in result.errors { XCTAssert(error.message.contains(expected.error), "\(path): \(error)") }
            } else {
                XCTAssertEqual(result.errors, [], path)
                XCTAssertGreaterThan(result.ruleset.ruleCount, 0, path)
            }
            for diagnostic in result.diagnostics {
                XCTAssertGreaterThan(diagnostic.location.line, 0, "\(path): \(diagnostic)")
                guard diagnostic.severity == .warning else { continue }
                lost += 1
                XCTAssert(diagnostic.message.contains(" rule "), "\(path): a loss names its rule: \(diagnostic)")
            }
            rules += result.ruleset.ruleCount
        }
        print("corpus listings: \(files.count) files, \(rules) rules, \(lost) losses reported")
        XCTAssertGreaterThan(rules, 10_000)
    }

    /// SOURCES.md's appendix B: a listing and an iptables-save of the same host.
    static let pairs: [(listing: String, save: String)] = [
        ("netnet_tum_i8_2016-06-27.listing", "net-network/tum_i8_2016-06-27.rules"),
        ("netnet_tum_i8_2016-06-27.ip6tables.listing", "net-network/tum_i8_2016-06-27.ip6tables.rules"),
        ("netnet_tum_i8_2014-07-25.Ln.listing", "net-network/tum_i8_2014-07-25.rules"),
        ("netnet_kornwall.listing", "net-network/kornwall.rules"),
        ("netnet_vsrv.listing", "net-network/vsrv.rules"),
        ("netnet_openlab_stettenstr.listing", "net-network/openlab_stettenstr.rules"),
        ("netnet_psa_2016-07-07.listing", "net-network/psa_2016-07-07.rules"),
        ("netnet_psa_team_a_2016-03-02.listing", "net-network/psa_team_a_2016-03-02.rules"),
        ("netnet_shorewall_sqrl_2015-08.listing", "net-network/shorewall_sqrl_2015-08.rules"),
        ("netnet_shorewall_sqrl_2014-09.listing", "net-network/shorewall_sqrl_2014-09.rules"),
        ("netnet_ufw_server1.listing", "net-network/ufw_server1.rules"),
        ("netnet_synology_legacyiface.listing", "net-network/synology_ds414_2015-06_legacyiface.rules"),
        ("netnet_tails_1.4.1.listing", "net-network/tails_1.4.1.rules"),
        ("netnet_ugent.listing", "net-network/ugent_v1.4.21.rules"),
        ("netnet_ringofsaturn.listing", "iptables-semantics/ringofsaturn_com.rules"),
        ("netnet_qubes_sys-firewall.listing", "net-network/qubes_sys-firewall.rules"),
    ] + ["new-daemon", "swarm-portmap", "usernet-internal", "usernet-portmap-natunprot", "usernet-portmap-noicc",
         "usernet-portmap-noproxy", "usernet-portmap-routed", "usernet-portmap"].map {
        ("moby_iptablesdoc_\($0).listing", "moby/iptablesdoc_\($0).rules")
    }

    /// Whether the listing's column header has `in` and `out` (it was listed with -v).
    static func listsInterfaces(_ bytes: [UInt8]) -> Bool {
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if let columns = ListingColumns.parse(Array(line.utf8)[...]) { return columns.interfaces }
        }
        return true
    }

    /// Pairs that are not the same rules, each with the reason; checked to still differ.
    static let notTheSameRules: [String: String] = [
        "netnet_qubes_sys-firewall.listing": "listed at another moment than saved: the VMs' addresses and interfaces differ",
    ]

    func testPairedListingsAgreeWithTheirSaveDumpsRuleForRule() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        var compared = 0
        for (name, savePath) in Self.pairs {
            let path = "listings/" + name
            let listingBytes = try Self.bytes(path)
            let saveBytes = try Self.bytes(savePath)
            let family: Family = name.contains("ip6tables") ? .ipv6 : .ipv4
            let listing = ListingParser.parse(listingBytes, family: family)
            let save = SaveParser.parse(saveBytes, family: family)
            if Self.cannotLoad[path] != nil {
                XCTAssert(listing.hasErrors, path)
                continue
            }
            XCTAssertEqual(save.errors, [], savePath)
            let interfaces = Self.listsInterfaces(listingBytes)
            // The moby dumps hold only the tables of the document's `iptables -S` blocks.
            let comparison = ListingEquivalence.compare(listing: listing, save: save.ruleset, allowances: ListingEquivalence.kernelAllowances,
                                                        withoutInterfaces: !interfaces, partialSave: savePath.hasPrefix("moby/"))
            if let reason = Self.notTheSameRules[name] {
                XCTAssertFalse(comparison.differences.isEmpty, "\(name) now agrees with its dump; remove it from the list (\(reason))")
                continue
            }
            XCTAssertEqual(comparison.differences, [], name)
            XCTAssertGreaterThan(comparison.compared, 0, name)
            compared += comparison.compared
        }
        print("corpus listing pairs: \(compared) rules agree with their save dumps")
        XCTAssertGreaterThan(compared, 10_000)
    }
}
