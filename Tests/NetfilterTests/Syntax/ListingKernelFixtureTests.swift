import Foundation
import XCTest
@testable import Netfilter

/// Listings captured from the kernel on this project's machine (Scripts/capture-listings,
/// Tests/Fixtures/listings) convert back to the rules of the iptables-save taken of the
/// same tables (rule for rule, and for every packet by `verdict diff`): Docker's and kube-proxy's rule sets listed five ways, and every rule of
/// iptables' own test suite this kernel loads, listed with -n -v and with -v only.
final class ListingKernelFixtureTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/listings")

    func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(path)))
    }

    func testDockerAndKubeProxyListingsAreTheirSavedRules() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.appendingPathComponent("lab").path).sorted()
        XCTAssertEqual(names, ["docker-27", "docker-28", "docker-28-internal", "docker-28-noicc", "docker-28-usernet", "kube-proxy"])
        for name in names {
            let save = SaveParser.parse(try read("lab/\(name)/save.rules"), family: .ipv4)
            XCTAssertEqual(save.errors, [], name)
            XCTAssertGreaterThan(save.ruleset.ruleCount, 5, name)
            for variant in ["nv", "nvx-lines", "n", "v"] {
                let bytes = try read("lab/\(name)/\(variant).listing")
                XCTAssertEqual(RulesInput.detectFormat(bytes), .listing)
                let listing = ListingParser.parse(bytes, family: .ipv4)
                XCTAssertEqual(listing.errors, [], "\(name) \(variant)")
                XCTAssertEqual(listing.ruleset.tables.map(\.name), ["raw", "mangle", "nat", "filter", "security"], "\(name) \(variant)")
                let comparison = ListingEquivalence.compare(listing: listing, save: save.ruleset,
                                                            required: save.ruleset.tables.map(\.name),
                                                            withoutInterfaces: variant == "n")
                XCTAssertEqual(comparison.differences, [], "\(name) \(variant)")
                XCTAssertEqual(comparison.compared, save.ruleset.ruleCount, "\(name) \(variant)")
                if variant != "n" {
                    // The semantic diff finds no packet the two treat differently.
                    let diff = try SemanticDiff.compare(old: listing.ruleset, new: save.ruleset)
                    XCTAssertFalse(diff.changesPackets, "\(name) \(variant): \(diff.classes.count) classes differ")
                }
                let warnings = listing.diagnostics.filter { $0.severity == .warning }
                switch variant {
                case "nv", "nvx-lines":
                    XCTAssertEqual(warnings, [], "\(name) \(variant): nothing is lost with -n -v")
                case "n":
                    XCTAssert(warnings.contains { $0.message.contains("listed without -v, so -i/-o are not shown") }, "\(name)")
                default:
                    XCTAssert(warnings.allSatisfy { $0.message.contains("(listed without -n)") }, "\(name) v: \(warnings)")
                }
                try assertCounters(listing.ruleset, save.ruleset, exact: variant == "nvx-lines", present: variant != "n",
                                   notes: listing.diagnostics.filter { $0.severity == .note }, "\(name) \(variant)")
            }
        }
    }

    /// -x gives the counters exactly; without it each is the saved one rounded to its unit
    /// (xtables_print_num: above 99999, to the nearest thousand, million, ...), with a note.
    func assertCounters(_ listed: Ruleset, _ saved: Ruleset, exact: Bool, present: Bool, notes: [Diagnostic], _ name: String) throws {
        var rounded = 0
        for table in saved.tables {
            let other = try XCTUnwrap(listed.table(named: table.name))
            for (a, b) in zip(other.chains, table.chains) {
                let pairs = [(a.counters, b.counters, a.location.line)] + zip(a.rules, b.rules).map { ($0.counters, $1.counters, $0.location.line) }
                for (got, want, line) in pairs {
                    guard present else {
                        XCTAssert(got == nil || got == .zero || a.policy == nil, "\(name) line \(line): no counters listed")
                        continue
                    }
                    guard let want, let got else { continue }
                    if exact || (want.packets <= 99999 && want.bytes <= 99999) {
                        XCTAssertEqual(got, want, "\(name) line \(line)")
                    } else {
                        rounded += 1
                        XCTAssert(Self.rounds(want.packets, to: got.packets) && Self.rounds(want.bytes, to: got.bytes),
                                  "\(name) line \(line): \(got) is not \(want) rounded")
                        XCTAssert(notes.contains { $0.location.line == line && $0.message.contains("rounded") }, "\(name) line \(line): a note")
                    }
                }
            }
        }
        if present && !exact { XCTAssertGreaterThan(rounded, 5, "\(name): the fixture has counters of every size") }
    }

    /// Whether the listing's `value` is `exact` as xtables_print_num rounds it.
    static func rounds(_ exact: UInt64, to value: UInt64) -> Bool {
        var number = exact
        var scale: UInt64 = 1
        if number <= 99999 { return value == exact }
        while true {
            number = (number + 500) / 1000
            scale *= 1000
            if number <= 9999 || scale == 1_000_000_000_000 { return value == number * scale }
        }
    }

    /// The test suite's rules whose extensions verdict does not know: both the listing
    /// and the save are refused, each with its reason.
    static let unknownExtensions: [String: String] = [
        "libipt_osf": "osf", "libxt_HMARK": "HMARK", "libxt_RATEEST": "RATEEST", "libxt_bpf": "bpf",
    ]

    func testEveryTestSuiteRuleTheKernelLoadsReadsBackFromItsListing() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.appendingPathComponent("extensions").path)
            .filter { $0.hasSuffix(".save") }.map { String($0.dropLast(5)) }.sorted()
        XCTAssertGreaterThan(files.count, 100, "fixtures are part of the repository")
        var compared = 0
        var explained: [String: Int] = [:]
        for name in files {
            let family: Family = name.hasPrefix("libip6t_") ? .ipv6 : .ipv4
            let save = SaveParser.parse(try read("extensions/\(name).save"), family: family)
            for variant in ["nv", "v"] {
                let listing = ListingParser.parse(try read("extensions/\(name).\(variant).listing"), family: family)
                if let module = Self.unknownExtensions[name] {
                    XCTAssert(save.hasErrors, "\(name): verdict now knows \(module); compare it")
                    XCTAssert(listing.errors.contains { $0.message.contains("cannot read") }, "\(name) \(variant): \(listing.errors)")
                    continue
                }
                XCTAssertEqual(save.errors, [], name)
                XCTAssertEqual(listing.errors, [], "\(name) \(variant)")
                let comparison = ListingEquivalence.compare(listing: listing, save: save.ruleset, required: save.ruleset.tables.map(\.name),
                                                            allowances: ListingEquivalence.kernelAllowances)
                XCTAssertEqual(comparison.differences, [], "\(name) \(variant)")
                compared += comparison.compared
                explained.merge(comparison.explained, uniquingKeysWith: +)
                if variant == "nv" {
                    let lost = listing.diagnostics.filter { $0.severity == .warning }
                    XCTAssert(lost.allSatisfy { $0.message.contains("hashlimit") || $0.message.contains("quota") }, "\(name): \(lost)")
                }
            }
        }
        print("listing fixtures: \(compared) rules compared; explained: \(explained.sorted { $0.key < $1.key })")
        XCTAssertGreaterThan(compared, 1300)
        XCTAssertEqual(explained["hashlimit's name is not shown in listings (reported)"], 2 * 24, "every hashlimit rule, in both listings")
    }
}
