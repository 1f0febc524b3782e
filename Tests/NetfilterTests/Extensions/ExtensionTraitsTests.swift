import XCTest
@testable import Netfilter

/// The traits extensions declare are what lints, renderers, the path and the diff read
/// instead of extension names: a declaration that contradicts itself would make one of
/// them wrong without a word, so each combination that goes together is checked here.
final class ExtensionTraitsTests: XCTestCase {
    func testEveryNATTargetSaysWhatItRewritesAndEndsTheWalk() {
        let nat = ExtensionRegistry.all.filter { $0.nat != nil }
        XCTAssertEqual(Set(nat.map(\.name)), ["DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP"])
        for spec in nat {
            XCTAssertEqual(spec.kind, .target, spec.name)
            XCTAssertNotNil(spec.natRewrites, "\(spec.name) declares no rewrites: the class walk would not follow it")
            XCTAssertTrue(spec.traits.contains(.endsWalk), spec.name)
        }
    }

    func testTargetsThatAnswerTheSenderNameTheirAnswer() throws {
        let parsed = SaveParser.parse("""
        *filter
        -A INPUT -p tcp -j REJECT --reject-with tcp-reset
        -A INPUT -j REJECT
        COMMIT

        """, family: .ipv4)
        XCTAssertEqual(parsed.errors, [])
        let rules = try XCTUnwrap(parsed.ruleset.table(named: "filter")?.chain(named: "INPUT")?.rules)
        let answers = rules.compactMap { (rule: Rule) -> String? in
            guard let call = rule.target.call else { return nil }
            return call.spec.answer?(call)
        }
        XCTAssertEqual(answers, ["tcp-reset", "icmp-port-unreachable"])
        for spec in ExtensionRegistry.all where spec.traits.contains(.answersSender) {
            XCTAssertNotNil(spec.answer, spec.name)
        }
    }

    func testTraitsBelongToTheirKindOfExtension() {
        let matchTraits: ExtensionTraits = [.annotates, .limitsRate, .readsConnectionState]
        for spec in ExtensionRegistry.all {
            let misplaced = spec.kind == .match ? spec.traits.subtracting(matchTraits) : spec.traits.intersection(matchTraits)
            XCTAssertEqual(misplaced, [], "\(spec.name) (\(spec.kind)) declares traits of the other kind")
            if spec.traits.contains(.observes) {
                XCTAssertFalse(spec.traits.contains(.endsWalk), "\(spec.name) both watches and ends the walk")
                XCTAssertNil(spec.symbolic, spec.name)
            }
        }
    }

    func testEveryExtensionButTwoReadsItsListingBack() {
        let unlisted = ExtensionRegistry.all.filter { $0.listing == nil }.map(\.name)
        // -j TRACE and -j NOTRACK print their name only; the target column holds it.
        XCTAssertEqual(Set(unlisted), ["TRACE", "NOTRACK"])
        let leads = ExtensionRegistry.listingCandidates(.ipv4).map(\.lead.utf8.count)
        XCTAssertEqual(leads, leads.sorted(by: >), "listing forms are tried longest lead first")
    }
}
