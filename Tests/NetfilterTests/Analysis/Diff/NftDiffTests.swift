import XCTest
@testable import Netfilter

/// Two nft rulesets compared for every packet: the classes whose fate differs, each with a
/// witness its own walks through both confirm; the deciding rule is not compared.
final class NftDiffTests: XCTestCase {
    func ruleset(_ rules: [String]) -> NftRuleset {
        let text = "table inet t {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n"
            + rules.map { "\t\t\($0)\n" }.joined() + "\t}\n}\n"
        let parsed = NftParser.parse(text)
        XCTAssertEqual(parsed.diagnostics, [])
        return parsed.ruleset
    }

    func testChangedPortsAndAddedSourcesAreTheClassesThatDiffer() {
        let old = ruleset(["ct state established,related accept", "tcp dport { 22, 80 } accept"])
        let new = ruleset(["ct state established,related accept", "tcp dport { 22, 443 } accept",
                           "ip saddr 10.0.0.0/8 tcp dport 80 accept"])
        let changes = NftDiff.compare(old: old, new: new, hooks: [.input])
        XCTAssert(changes.allSatisfy(\.confirmed), "every witness agrees")
        XCTAssertEqual(NftDiff.text(changes).split(separator: "\n").filter { !$0.hasPrefix("      e.g.") }, [
            "IPv4 INPUT: 2 classes of packets treated differently",
            "  tcp !10.0.0.0/8 -> *:80 ctstate INVALID,NEW,UNTRACKED: ACCEPT → DROP (old inet t/input:2, "
                + "new inet t/input policy)",
            "  tcp * -> *:443 ctstate INVALID,NEW,UNTRACKED: DROP → ACCEPT (old inet t/input policy, new inet t/input:2)",
            "IPv6 INPUT: 2 classes of packets treated differently",
            "  tcp * -> *:80 ctstate INVALID,NEW,UNTRACKED: ACCEPT → DROP (old inet t/input:2, new inet t/input policy)",
            "  tcp * -> *:443 ctstate INVALID,NEW,UNTRACKED: DROP → ACCEPT (old inet t/input policy, new inet t/input:2)",
            "4 classes of packets change",
        ])
    }

    /// Reordered rules that decide the same, and a set split into rules, diff as equal.
    func testTheSameFateByOtherRulesIsNoChange() {
        let old = ruleset(["tcp dport { 22, 80 } accept", "udp dport 53 accept"])
        let new = ruleset(["udp dport 53 accept", "tcp dport 80 accept", "tcp dport 22 accept"])
        XCTAssertEqual(NftDiff.compare(old: old, new: new).count, 0)
        XCTAssertEqual(NftDiff.text([]), "no packet changes\n")
    }

    /// What NAT and marks do is part of the fate.
    func testNATAndMarksArePartOfTheFate() {
        let nat = { (target: String) -> NftRuleset in
            NftParser.parse("table ip n {\n\tchain pre {\n\t\ttype nat hook prerouting priority dstnat; "
                            + "policy accept;\n\t\ttcp dport 8080 dnat to \(target)\n\t}\n}\n").ruleset
        }
        let changes = NftDiff.compare(old: nat("10.0.0.2:80"), new: nat("10.0.0.3:80"), hooks: [.prerouting])
        // Two parts of one class: the NEW packets and the RELATED ones that are not ICMP (both
        // meet the nat chain).
        XCTAssertEqual(changes.count, 2)
        XCTAssertEqual(Set(changes.map { NftDiff.fate($0.old) + " → " + NftDiff.fate($0.new) }),
                       ["ACCEPT dnat 10.0.0.2:80 → ACCEPT dnat 10.0.0.3:80"])
        XCTAssert(changes.allSatisfy(\.confirmed))
        let marks = NftDiff.compare(old: ruleset(["meta mark set 0x00000001 accept"]),
                                    new: ruleset(["meta mark set 0x00000002 accept"]), hooks: [.input])
        XCTAssertEqual(marks.count, 2, "IPv4 and IPv6")
    }
}
