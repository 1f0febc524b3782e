import Foundation
import XCTest
@testable import Netfilter

/// The seed document's two listings (`iptables -nL --line-numbers -v -t filter`, then
/// `-t nat`) convert to exactly the rules of its filter and nat tables as
/// rulesets/docker-17-seed/iptables.rules holds them.
final class ListingSeedTests: XCTestCase {
    /// The document's fenced blocks that start with an iptables command line, in order.
    static func listingBlocks(of document: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let block = current {
                    if block.first?.hasPrefix("# iptables") == true { blocks.append(block.joined(separator: "\n") + "\n") }
                    current = nil
                } else {
                    current = []
                }
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    func testTheSeedListingsAreItsFilterAndNatTables() throws {
        guard let document = Corpus.seedDocument else { throw XCTSkip("../shared/seeds is not beside this clone") }
        let blocks = Self.listingBlocks(of: document)
        XCTAssertEqual(blocks.map { $0.split(separator: "\n")[0] }, ["# iptables -nL --line-numbers -v -t filter", "# iptables -nL --line-numbers -v -t nat"])
        let text = blocks.joined()
        XCTAssertEqual(RulesInput.detectFormat(Array(text.utf8)), .listing)
        XCTAssertEqual(RulesInput.detectFamily(Array(text.utf8)), .ipv4)
        let listing = ListingParser.parse(text, family: .ipv4)
        XCTAssertEqual(listing.errors, [])
        XCTAssertEqual(listing.diagnostics.filter { $0.severity == .warning }, [], "-n -v shows everything but exact counters")
        let seed = try String(contentsOf: Corpus.repository.appendingPathComponent("rulesets/docker-17-seed/iptables.rules"), encoding: .utf8)
        let saved = SaveParser.parse(seed, family: .ipv4)
        XCTAssertEqual(saved.errors, [])
        XCTAssertEqual(listing.ruleset.tables.map(\.name), ["filter", "nat"])
        for name in ["filter", "nat"] {
            let listed = try XCTUnwrap(listing.ruleset.table(named: name))
            let expected = try XCTUnwrap(saved.ruleset.table(named: name))
            XCTAssertEqual(listed.chains.map(\.name), expected.chains.map(\.name), name)
            XCTAssertEqual(listed.chains.map(\.policy), expected.chains.map(\.policy), name)
            for (a, b) in zip(listed.chains, expected.chains) {
                XCTAssertEqual(a.rules.map { SavePrinter.ruleText($0, family: .ipv4) }, b.rules.map { SavePrinter.ruleText($0, family: .ipv4) },
                               "\(name)/\(a.name)")
            }
        }
        // The counters as listed: exact below 100000, rounded to K and M above, with a note.
        let filter = try XCTUnwrap(listing.ruleset.table(named: "filter"))
        XCTAssertEqual(filter.chain(named: "INPUT")?.counters, Counters(packets: 2_558_000, bytes: 178_000_000))
        XCTAssertEqual(filter.chain(named: "FORWARD")?.rules.map(\.counters),
                       [Counters(packets: 10, bytes: 840), Counters(packets: 10, bytes: 840), Counters(packets: 7, bytes: 588),
                        Counters(packets: 3, bytes: 252), Counters(packets: 0, bytes: 0), Counters(packets: 3, bytes: 252)])
        let notes = listing.diagnostics.filter { $0.severity == .note }
        XCTAssertEqual(notes.map(\.location.line), [2, 14, 35, 39])
        XCTAssert(notes[0].message.contains("policy counters rounded (2558K packets, 178M bytes); list with -x"), notes[0].message)
    }

    func testTheSeedListingsTraceLikeTheSeedRules() throws {
        guard let document = Corpus.seedDocument else { throw XCTSkip("../shared/seeds is not beside this clone") }
        let listing = ListingParser.parse(Self.listingBlocks(of: document).joined(), family: .ipv4)
        var packet = Packet(family: .ipv4)
        packet.protocol = IPProtocol.icmp
        packet.source = .v4(IPv4Address(192, 168, 0, 2))
        packet.destination = .v4(IPv4Address(93, 184, 216, 34))
        packet.hookState.inInterface = "docker0"
        packet.hookState.outInterface = "eth0"
        packet.conntrack.state = .new
        let walk = HookWalker.walk(listing.ruleset, hook: .forward, packet: packet)
        XCTAssertEqual(walk.map(\.verdict), [.accept], "container to the outside: FORWARD rule 5")
    }
}
