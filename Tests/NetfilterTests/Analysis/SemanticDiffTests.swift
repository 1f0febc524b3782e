import Foundation
import XCTest
@testable import Netfilter

/// The semantic diff on hand-made and real rule sets: what is equal stays equal, what
/// changes is named exactly, what cannot be decided says so.
final class SemanticDiffTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/diff")

    func rules(_ text: String, family: Family = .ipv4) throws -> Ruleset {
        let result = SaveParser.parse(text, family: family)
        XCTAssertEqual(result.errors, [])
        return result.ruleset
    }

    func filter(_ lines: String, chains: String = "", input: String = "DROP") -> String {
        "*filter\n:INPUT \(input) [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n\(chains)\(lines)COMMIT\n"
    }

    func fixture(_ name: String) throws -> Ruleset {
        try rules(String(contentsOf: Self.fixtures.appendingPathComponent(name + ".rules"), encoding: .utf8))
    }

    func testTextualChangesDiffAsEqual() throws {
        let base = try rules(filter("""
            -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT
            -A INPUT -s 10.0.0.0/8 -j checks
            -A checks -p udp -m udp --dport 53 -j ACCEPT
            -A checks -p icmp -j ACCEPT

            """, chains: ":checks - [0:0]\n"))
        let rewritten = try rules(filter("""
            -A INPUT -p tcp -m tcp --dport 443 -j ACCEPT
            -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
            -A INPUT -p tcp -m tcp --dport 80 -j ACCEPT
            -A INPUT -s 10.0.0.0/8 -j lan
            -A lan -p icmp -j ACCEPT
            -A lan -p udp -m udp --dport 53 -j ACCEPT

            """, chains: ":lan - [0:0]\n"))
        let diff = try SemanticDiff.compare(old: base, new: rewritten)
        XCTAssertFalse(diff.changesPackets, "reordered, renamed and split rules: \(diff.classes.map { PacketClassText.describe($0.packets, family: .ipv4, walk: $0.walk) })")
        XCTAssertFalse(diff.structure.isEmpty, "the text did change")
        XCTAssertTrue(DiffRenderer.text([diff]).hasSuffix("no packet changes (the rulesets differ only in their text)\n"))
        let same = try SemanticDiff.compare(old: base, new: base)
        XCTAssertTrue(same.classes.isEmpty && same.structure.isEmpty)
    }

    func testOneChangedRuleIsOneExactClassWithAConfirmedWitness() throws {
        let old = try rules(filter("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"))
        let new = try rules(filter("-A INPUT -s 192.168.1.0/24 -p tcp -m tcp --dport 22 -j ACCEPT\n"))
        let diff = try SemanticDiff.compare(old: old, new: new, scope: DiffScope(hooks: [.input]))
        XCTAssertEqual(diff.classes.count, 1)
        let found = try XCTUnwrap(diff.classes.first)
        XCTAssertEqual(PacketClassText.describe(found.packets, family: .ipv4, walk: found.walk), "tcp from !192.168.1.0/24 to 0.0.0.0/0 dport 22")
        XCTAssertEqual(found.old.ending, .accept)
        XCTAssertEqual(found.new.ending, .drop)
        XCTAssertEqual(found.old.decidingRule?.reference, "filter/INPUT:1")
        XCTAssertEqual(found.new.decidingRule?.reference, "filter/INPUT:policy")
        XCTAssertEqual(found.confirmed, true)
        let witness = try XCTUnwrap(found.witness)
        XCTAssertEqual(witness.destinationPort, 22)
        XCTAssertFalse(RuleSpace.addresses(Network(parsing: Array("192.168.1.0/24".utf8), family: .ipv4)!)!.contains(RuleSpace.value(of: witness.source!)))
    }

    func testMarksAreComparedAsValuesNotAsRules() throws {
        // --set-xmark 0x1/0x1 and --or-mark 0x1 are the same rewrite; --set-mark 0x1 differs
        // only on packets whose other bits are set.
        let mangle = { (target: String) in "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -j MARK \(target)\nCOMMIT\n" }
        let or = try rules(mangle("--or-mark 0x1")), xmark = try rules(mangle("--set-xmark 0x1/0x1")), set = try rules(mangle("--set-mark 0x1"))
        XCTAssertFalse(try SemanticDiff.compare(old: or, new: xmark).changesPackets)
        let diff = try SemanticDiff.compare(old: or, new: set, scope: DiffScope(hooks: [.prerouting]))
        XCTAssertEqual(diff.classes.count, 1)
        let text = PacketClassText.describe(try XCTUnwrap(diff.classes.first).packets, family: .ipv4, walk: .hook(.prerouting))
        XCTAssertEqual(text, "all from 0.0.0.0/0 to 0.0.0.0/0 mark !0x0/0xfffffffe")
        for found in diff.classes {
            XCTAssertEqual(found.confirmed, true)
            XCTAssertNotEqual((found.witness?.mark ?? 0) & 0xFFFF_FFFE, 0, "only packets with other mark bits differ")
        }
    }

    func testUnknownMatchesMakeConditionalClasses() throws {
        let old = try rules(filter("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"))
        let new = try rules(filter("-A INPUT -p tcp -m tcp --dport 22 -m recent --rcheck --seconds 60 --name ssh --mask 255.255.255.255 --rsource -j DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"))
        let diff = try SemanticDiff.compare(old: old, new: new, scope: DiffScope(hooks: [.input]))
        XCTAssertEqual(diff.classes.count, 1)
        let found = try XCTUnwrap(diff.classes.first)
        XCTAssertEqual(found.conditions.map(\.holds), [true])
        XCTAssertTrue(found.conditions.first?.text.hasPrefix("-m recent --rcheck") ?? false)
        XCTAssertNil(found.confirmed, "the evaluator cannot decide recent: no claim either way")
        XCTAssertTrue(DiffRenderer.text([diff]).contains("when [-m recent --rcheck"))
    }

    func testScopeChainAndOrigin() throws {
        let old = try rules(filter("-A INPUT -j checks\n-A checks -i eth0 -j DROP\n", chains: ":checks - [0:0]\n", input: "ACCEPT"))
        let new = try rules(filter("-A INPUT -j checks\n-A checks -i eth1 -j DROP\n", chains: ":checks - [0:0]\n", input: "ACCEPT"))
        let chain = try SemanticDiff.compare(old: old, new: new, scope: DiffScope(chain: ("filter", "checks")))
        XCTAssertEqual(Set(chain.classes.map { "\($0.old.ending.name)→\($0.new.ending.name)" }), ["DROP→RETURN", "RETURN→DROP"])
        let fromEth0 = try SemanticDiff.compare(old: old, new: new, scope: DiffScope(origin: .device("eth0")))
        XCTAssertEqual(fromEth0.classes.map(\.walk), [.hook(.input)], "only INPUT sees eth0's packets differently")
        XCTAssertEqual(fromEth0.classes.first?.new.ending, .accept)
        let local = try SemanticDiff.compare(old: old, new: new, scope: DiffScope(origin: .local))
        XCTAssertFalse(local.changesPackets, "the host's own packets do not reach INPUT")
        XCTAssertThrowsError(try SemanticDiff.compare(old: old, new: new, scope: DiffScope(chain: ("filter", "nope"))))
    }

    func testPublishingADockerPortNamesExactlyThePort() throws {
        let diff = try SemanticDiff.compare(old: try fixture("docker-28-unpublished"), new: try fixture("docker-28"))
        XCTAssertEqual(Set(diff.classes.map(\.walk)), [.hook(.prerouting), .hook(.forward), .hook(.output)])
        let container = RuleSpace.value(of: .v4(IPv4Address(172, 17, 0, 2)))
        for found in diff.classes {
            let text = PacketClassText.describe(found.packets, family: .ipv4, walk: found.walk)
            let toContainer = found.packets[.destination] == .intervals(IntervalSet(value: container))
            let publishedPort = [8080, 5353].contains { found.packets[.destinationPort] == .intervals(IntervalSet(value: UInt128($0))) }
            XCTAssertTrue(toContainer || publishedPort, "\(found.walk) \(text) is about neither the container nor a published port")
            if publishedPort { XCTAssertTrue(DiffRenderer.outcomeText(found.new, family: .ipv4).contains("dnat 172.17.0.2:"), text) }
        }
        let forward = diff.classes.filter { $0.walk == .hook(.forward) }
        XCTAssertEqual(Set(forward.map { PacketClassText.describe($0.packets, family: .ipv4, walk: $0.walk) }),
                       ["tcp from 0.0.0.0/0 to 172.17.0.2 dport 80 in !docker0 out docker0 ctstate INVALID,NEW,UNTRACKED",
                        "udp from 0.0.0.0/0 to 172.17.0.2 dport 53 in !docker0 out docker0 ctstate INVALID,NEW,UNTRACKED"])
        XCTAssertTrue(forward.allSatisfy { $0.old.ending == .drop && $0.new.ending == .accept && $0.confirmed == true })
    }

    func testAddingADockerNetworkNamesExactlyItsTraffic() throws {
        let diff = try SemanticDiff.compare(old: try fixture("docker-28"), new: try fixture("docker-28-twonets"))
        XCTAssertTrue(diff.changesPackets)
        let bridge = IntervalSet(value: InterfaceName.encode("br-5d3a1c2e9f10".utf8))
        let subnet = try XCTUnwrap(RuleSpace.addresses(try XCTUnwrap(Network(parsing: Array("172.18.0.0/16".utf8), family: .ipv4))))
        for found in diff.classes {
            let text = PacketClassText.describe(found.packets, family: .ipv4, walk: found.walk)
            var onBridge = false
            for field in [PacketField.inInterface, .outInterface] {
                if case .intervals(let names)? = found.packets[field], names == bridge { onBridge = true }
            }
            var fromSubnet = false
            if case .intervals(let sources)? = found.packets[.source], sources.isSubset(of: subnet) { fromSubnet = true }
            XCTAssertTrue(onBridge || fromSubnet, "\(found.walk) \(text) is not the new network's traffic")
        }
        XCTAssertTrue(diff.classes.contains { $0.walk == .hook(.postrouting) && DiffRenderer.outcomeText($0.new, family: .ipv4).contains("masquerade") })
        XCTAssertEqual(diff.structure.chains.map { "\($0.table)/\($0.chain)" }.sorted(),
                       ["filter/DOCKER", "filter/DOCKER-BRIDGE", "filter/DOCKER-CT", "filter/DOCKER-FORWARD", "nat/DOCKER", "nat/POSTROUTING"])
    }

    func testStructuralDiffNamesAddedRemovedMovedAndRenamed() throws {
        let old = try rules(filter("-A INPUT -s 10.0.0.1/32 -j DROP\n-A INPUT -s 10.0.0.2/32 -j DROP\n-A INPUT -s 10.0.0.3/32 -j DROP\n-A old -j RETURN\n",
                                   chains: ":old - [0:0]\n"))
        let new = try rules(filter("-A INPUT -s 10.0.0.3/32 -j DROP\n-A INPUT -s 10.0.0.1/32 -j DROP\n-A INPUT -s 10.0.0.4/32 -j DROP\n-A new -j RETURN\n",
                                   chains: ":new - [0:0]\n", input: "ACCEPT"))
        let changes = StructuralDiff(old: old, new: new).chains
        let input = try XCTUnwrap(changes.first { $0.chain == "INPUT" })
        XCTAssertEqual(input.policy?.old, "DROP")
        XCTAssertEqual(input.policy?.new, "ACCEPT")
        XCTAssertEqual(input.removed.map(\.text), ["-s 10.0.0.2/32 -j DROP"])
        XCTAssertEqual(input.added.map(\.text), ["-s 10.0.0.4/32 -j DROP"])
        // 10.0.0.1 and 10.0.0.3 swapped places: one of them moved (the shortest script keeps the other).
        XCTAssertTrue([["1→2"], ["3→1"]].contains(input.moved.map { "\($0.from)→\($0.to)" }), "\(input.moved)")
        XCTAssertEqual(changes.first { $0.kind == .renamed }?.newName, "new")
        let script = EditScript(Array("abcabba"), Array("cbabac"))
        XCTAssertEqual(script.removed.count + script.added.count, 5, "Myers: the shortest script for the classic example")
    }

    func testALineOf100000ChainsIsNumberedWithoutRecursion() {
        // Chains are numbered callees first; a recursive walk overflowed the stack on a
        // line of chains the kernel loads. Each chain of the line (one jump more than the
        // next) has a behaviour of its own.
        let chains = SymbolicProgram(draft: SymbolicProgram.draft(ChainLines.ruleset(count: 100_000)),
                                     interner: StructureInterner()).tables[0].chains
        XCTAssertEqual(Set(chains.filter { !$0.isBuiltin }.map(\.behaviour)).count, 100_000)
        // Every callee numbered before its caller: a second numbering gives equal numbers
        // (a callee not done yet would get a fresh one).
        let interner = StructureInterner()
        let draft = SymbolicProgram.draft(ChainLines.ruleset(count: 1_000))
        XCTAssertEqual(SymbolicProgram(draft: draft, interner: interner).tables[0].chains.map(\.behaviour),
                       SymbolicProgram(draft: draft, interner: interner).tables[0].chains.map(\.behaviour))
    }

    func testJumpsDeeperThanTheEvaluatorFollowsAreUndecided() throws {
        // The evaluator stops at ChainWalker.maximumDepth nested jumps; the diff stops there too.
        let depth = ChainWalker.maximumDepth
        let shallow = ChainLines.ruleset(count: depth), deep = ChainLines.ruleset(count: depth + 1)
        let deeper = ChainLines.ruleset(count: depth + 2)
        let exhausted = DiffEnding.undetermined(ChainWalker.jumpStackExhausted, rest: [])
        func endings(_ old: Ruleset, _ new: Ruleset) throws -> [[String]] {
            let diff = try SemanticDiff.compare(old: old, new: new, scope: DiffScope(hooks: [.forward]))
            XCTAssert(diff.classes.allSatisfy { $0.confirmed == nil }, "the evaluator cannot decide either")
            return diff.classes.map { [$0.old.ending.name, $0.new.ending.name, $0.new.decidingRule?.reference ?? "-"] }
        }
        XCTAssertEqual(try endings(shallow, deep), [["ACCEPT", exhausted.name, "filter/C\(depth):1"]])
        // Both exhausted, with other chains past the limit: the diff cannot tell them equal.
        XCTAssertEqual(try endings(deep, deeper), [[exhausted.name, exhausted.name, "filter/C\(depth):1"]])
        XCTAssertEqual(try endings(deep, deep), [])
        // What the evaluator says of the same packets.
        let walked = HookWalker.walk(deep, hook: .forward, packet: Packet())
        XCTAssertEqual(walked.map(\.undetermined), [ChainWalker.jumpStackExhausted])
    }

    func testClassTextUsesNetworksAndComplements() {
        XCTAssertEqual(PacketClassText.networks(RuleSpace.value(of: .v4(IPv4Address(10, 0, 0, 0))), RuleSpace.value(of: .v4(IPv4Address(10, 0, 1, 255))), family: .ipv4),
                       ["10.0.0.0/23"])
        XCTAssertEqual(PacketClassText.networks(RuleSpace.value(of: .v4(IPv4Address(10, 0, 0, 1))), RuleSpace.value(of: .v4(IPv4Address(10, 0, 0, 2))), family: .ipv4),
                       ["10.0.0.1", "10.0.0.2"])
        let notTen = IntervalSet(0, UInt128(UInt32.max)).subtracting(IntervalSet(UInt128(0x0A00_0000), UInt128(0x0AFF_FFFF)))
        XCTAssertEqual(PacketClassText.addressText(.intervals(notTen), family: .ipv4), "!10.0.0.0/8")
    }
}
