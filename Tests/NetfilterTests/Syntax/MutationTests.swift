import Foundation
import XCTest
@testable import Netfilter

/// Damaged input gives diagnostics, never a crash: real dumps with bytes inserted,
/// deleted and replaced at random (a fixed seed, so every run tries the same cases).
final class MutationTests: XCTestCase {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
    }

    static let fragments: [[UInt8]] = ["-A", "-j", "!", "\"", "\\", "--dport", ":", "-", "/", "65536", "-p", "tcp",
                                       "*nat\n", "COMMIT\n", ":X - [0:0]\n", "-m", "conntrack", "--ctstate", ",", "\r",
                                       "\t", "[", "]", "0x", "99999999999999999999", "::", ".", "-g", "=", "--to",
                                       "[::1]:", "1-", "\n"].map { Array($0.utf8) } + [[0xFF, 0xFE], [0x00]]

    func testDamagedDumpsGiveDiagnosticsNotCrashes() throws {
        let seeds: [[UInt8]]
        if Corpus.root != nil {
            seeds = try ["moby/iptabler_hairpin-true_internal-false_icc-false_masq-true_snat-true_gwm-routed_bindlh-false.rules",
                         "net-network/home_user.rules", "kubernetes/kube-proxy_TestOverallIPTablesRules.rules",
                         "net-network/ipv6_webserver.ip6tables.rules", "iptables-tests/dumps/wireless.rules"].map(Corpus.bytes)
        } else {
            seeds = [Array("*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n".utf8)]
        }
        damage(seeds, rounds: 600, seed: 2026, fragments: Self.fragments) { bytes, family, options in
            SaveParser.parse(bytes, family: family, options: options)
        }
    }

    static let listingFragments: [[UInt8]] = ["Chain ", "(policy ", "ACCEPT", " references)", "!", "--", "-f", "*", "any",
                                              "anywhere", "[goto]", "tcp", "dpt:", "flags:", "0x", "/*", "*/", "\"", "`",
                                              "K", "M", "99999999999999999999", "::", "/", ":", "!f", "\n", "\r", "\t",
                                              "# iptables -t nat -L\n", "target prot opt source destination\n", "LOG",
                                              "to:", "[", "]"].map { Array($0.utf8) } + [[0xFF, 0xFE], [0x00]]

    func testDamagedListingsGiveDiagnosticsNotCrashes() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/listings")
        let seeds = try ["lab/docker-28/nv.listing", "lab/kube-proxy/nvx-lines.listing", "lab/docker-27/v.listing",
                         "extensions/libxt_conntrack.nv.listing", "extensions/libip6t_frag.v.listing"].map {
            [UInt8](try Data(contentsOf: folder.appendingPathComponent($0)))
        }
        damage(seeds, rounds: 250, seed: 2027, fragments: Self.listingFragments) { bytes, family, options in
            ListingParser.parse(bytes, family: family, options: options)
        }
    }

    /// Damages the seeds round after round (fragments inserted, bytes removed or
    /// replaced) and runs parser, validator, printer and diagnostics on each result.
    func damage(_ seeds: [[UInt8]], rounds: Int, seed: UInt64, fragments: [[UInt8]],
                parse: ([UInt8], Family, ParseOptions) -> ParseResult) {
        var random = Generator(state: seed)
        for round in 0..<rounds {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + random.next(10)) {
                let position = random.next(bytes.count + 1)
                switch random.next(3) {
                case 0: bytes.insert(contentsOf: fragments[random.next(fragments.count)], at: position)
                case 1: bytes.removeSubrange(position..<min(bytes.count, position + 1 + random.next(8)))
                default: bytes.insert(UInt8(random.next(256)), at: position)
                }
            }
            for family in Family.allCases {
                for lenient in [false, true] {
                    let result = parse(bytes, family, ParseOptions(lenient: lenient))
                    _ = Validator.validate(result.ruleset)
                    _ = SavePrinter.bytes(result.ruleset)
                    let source = SourceText(name: "case", bytes: bytes)
                    for diagnostic in result.diagnostics {
                        XCTAssertGreaterThan(diagnostic.location.line, 0)
                        _ = source.render(diagnostic)
                    }
                }
            }
        }
    }
}
