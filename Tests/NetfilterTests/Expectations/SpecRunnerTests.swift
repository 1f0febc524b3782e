import XCTest
@testable import Netfilter

/// Cases run against rules files and snapshots: what passes, what fails and the words that
/// explain a failure, undecidable matches, and the recorder's round trip.
final class SpecRunnerTests: XCTestCase {
    static let rules = """
    *nat
    :PREROUTING ACCEPT [0:0]
    :INPUT ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    :POSTROUTING ACCEPT [0:0]
    -A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080
    -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE
    COMMIT
    *filter
    :INPUT DROP [0:0]
    :FORWARD DROP [0:0]
    :OUTPUT ACCEPT [0:0]
    :WEB - [0:0]
    -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    -A INPUT -i eth0 -p tcp -m tcp --dport 22 -m comment --comment "ssh from anywhere" -j ACCEPT
    -A INPUT -p tcp -m tcp --dport 23 -j REJECT --reject-with tcp-reset
    -A INPUT -p tcp -m tcp --dport 24 -m statistic --mode random --probability 0.5 -j ACCEPT
    -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    -A FORWARD -i eth0 -o eth1 -j WEB
    -A FORWARD -i eth1 -o eth0 -j ACCEPT
    -A WEB -p tcp -m tcp --dport 8080 -j ACCEPT
    COMMIT

    """

    func ruleset(_ text: String = rules) throws -> Ruleset {
        let parsed = SaveParser.parse(Array(text.utf8), family: .ipv4)
        XCTAssertEqual(parsed.diagnostics.filter { $0.severity == .error }, [])
        return parsed.ruleset
    }

    /// Parses, checks and runs a spec; fails the test on a spec error.
    func run(_ spec: String, against target: SpecTarget) throws -> [CaseResult] {
        let (parsed, errors) = SpecParser.parse(Array(spec.utf8), file: "t.spec", mode: .spec)
        let checked = SpecChecker.check(parsed, against: target)
        XCTAssertEqual(errors + checked, [], "the spec is valid")
        var evaluator = CaseEvaluator(target: target)
        return SpecRunner.run(parsed, with: &evaluator).cases
    }

    func testRulesFileCasesPassAndFailWithTheDecidingRule() throws {
        let results = try run("""
        expect ACCEPT tcp 203.0.113.5:50000 -> 10.0.0.2:22 in eth0 at INPUT with ctstate NEW by "ssh from anywhere"
        expect REJECT tcp-reset tcp 203.0.113.5:50000 -> 10.0.0.2:23 in eth0 at filter/INPUT with ctstate NEW by filter/INPUT:3
        expect DROP tcp 203.0.113.5:50000 -> 10.0.0.2:23 in eth0 at filter/INPUT with ctstate NEW
        expect DROP tcp 203.0.113.5:50000 -> 10.0.0.2:25 in eth0 at INPUT with ctstate NEW by filter/INPUT:policy
        expect ACCEPT tcp 203.0.113.5:50000 -> 10.0.0.2:80 in eth0 out eth1 at PREROUTING,FORWARD,POSTROUTING with ctstate NEW by filter/WEB:1 dnat 192.168.1.10:8080
        expect ACCEPT tcp 192.168.1.10:8080 -> 203.0.113.5:50000 in eth1 out eth0 at FORWARD,POSTROUTING with ctstate NEW masquerade
        expect RETURN tcp 203.0.113.5:50000 -> 10.0.0.2:81 at filter/WEB by filter/WEB:2
        expect ACCEPT tcp 203.0.113.5:50000 -> 10.0.0.2:25 in eth0 at INPUT with ctstate NEW
        """, against: .rules(try ruleset()))
        XCTAssertEqual(results.map(\.passed), [true, true, false, true, true, true, true, false])
        XCTAssertEqual(results[2].message,
                       "expected DROP, got REJECT tcp-reset by filter/INPUT:3 (-A INPUT -p tcp -m tcp --dport 23 -j REJECT --reject-with tcp-reset)")
        XCTAssertEqual(results[7].message, "expected ACCEPT, got DROP by filter/INPUT:policy (:INPUT DROP)")
        XCTAssert(results[7].details.contains("filter/INPUT #2 -i eth0 -p tcp -m tcp --dport 22"), results[7].details)
    }

    func testAnExhaustedJumpStackIsSaidInTheFailure() throws {
        // Deeper than the evaluator follows: its DROP is no rule's, and the failure says so.
        let line = ChainLines.ruleset(count: ChainWalker.maximumDepth + 1)
        let results = try run("expect ACCEPT tcp 203.0.113.5:50000 -> 10.0.0.2:80 in eth0 out eth1 at FORWARD\n",
                              against: .rules(line))
        XCTAssertEqual(results.first?.message, "expected ACCEPT, got DROP by filter/C1024:1 (-A C1024 -j C1025) "
                       + "(\(ChainWalker.jumpStackExhausted))")
    }

    func testAChangedRuleSetFailsTheCaseThatPinnedIt() throws {
        let spec = "expect DROP tcp 203.0.113.5:50000 -> 10.0.0.2:3306 in eth0 at INPUT with ctstate NEW\n"
        XCTAssertEqual(try run(spec, against: .rules(try ruleset())).map(\.passed), [true])
        // Someone opens INPUT to everything from eth0, above the other rules.
        let changed = Self.rules.replacingOccurrences(of: ":WEB - [0:0]\n", with: ":WEB - [0:0]\n-A INPUT -i eth0 -j ACCEPT\n")
        let results = try run(spec, against: .rules(try ruleset(changed)))
        XCTAssertEqual(results.map(\.passed), [false])
        XCTAssertEqual(results.first?.message, "expected DROP, got ACCEPT by filter/INPUT:1 (-A INPUT -i eth0 -j ACCEPT)")
    }

    func testUndecidableOutcomesNeedEveryOutcomeOrMaybeOrAnAssumption() throws {
        let results = try run("""
        expect ACCEPT tcp 203.0.113.5:50000 -> 10.0.0.2:24 in eth0 at INPUT with ctstate NEW
        expect maybe ACCEPT tcp 203.0.113.5:50000 -> 10.0.0.2:24 in eth0 at INPUT with ctstate NEW by filter/INPUT:4
        expect maybe REJECT tcp 203.0.113.5:50000 -> 10.0.0.2:24 in eth0 at INPUT with ctstate NEW
        expect ACCEPT tcp 203.0.113.5:50000 -> 10.0.0.2:24 in eth0 at INPUT with ctstate NEW assume statistic=true
        expect DROP tcp 203.0.113.5:50000 -> 10.0.0.2:24 in eth0 at INPUT with ctstate NEW assume statistic=false
        expect ACCEPT tcp 203.0.113.5:50000 -> 10.0.0.2:22 in eth0 at INPUT by "ssh from anywhere"
        """, against: .rules(try ruleset()))
        XCTAssertEqual(results.map(\.passed), [false, true, false, true, true, false])
        XCTAssert(results[0].message.hasPrefix("expected ACCEPT in every outcome, but 1 of 2 is not: "), results[0].message)
        XCTAssert(results[0].message.contains("outcome 2 (not as expected), for tcp 203.0.113.5:50000 -> 10.0.0.2:24 in eth0 ctstate NEW "
                                              + "unless [-m statistic --mode random --probability 0.50000000000 (filter/INPUT:4)]: "
                                              + "DROP by filter/INPUT:policy (:INPUT DROP)"), results[0].message)
        XCTAssert(results[2].message.hasPrefix("expected maybe REJECT in some outcome, got none of 2"), results[2].message)
        // The connection's state was not given: the ESTABLISHED rule accepts those packets.
        XCTAssert(results[5].message.contains("outcome 1 (not as expected), for tcp 203.0.113.5:50000 -> 10.0.0.2:22 in eth0 "
                                              + "ctstate ESTABLISHED,RELATED: ACCEPT by filter/INPUT:1"), results[5].message)
        XCTAssert(results[5].message.contains("outcome 2, for tcp 203.0.113.5:50000 -> 10.0.0.2:22 in eth0 ctstate INVALID,NEW,UNTRACKED: "
                                              + "ACCEPT by filter/INPUT:2"), results[5].message)
    }

    func testTheBundledExampleSpecPasses() throws {
        let repository = Corpus.repository
        let snapshot = try HostSnapshot.load(repository.appendingPathComponent("rulesets/docker-default").path)
        let text = try String(contentsOf: repository.appendingPathComponent("docs/examples/docker-default.spec"), encoding: .utf8)
        let results = try run(text, against: .snapshot(snapshot))
        XCTAssertGreaterThanOrEqual(results.count, 10)
        for result in results { XCTAssert(result.passed, "line \(result.item.line): \(result.message)") }
    }

    func testSnapshotCasesCheckThePathTheNATAndTheReply() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/docker-default").path)
        let results = try run("""
        expect ACCEPT tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 dnat 172.17.0.2:80 via PREROUTING,FORWARD to vethc1 reply ACCEPT to eth0
        expect ACCEPT tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 to vethc2
        expect ACCEPT tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 dnat 172.17.0.3:80
        expect ACCEPT tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 via INPUT
        expect DROP tcp 93.184.216.34:50000 -> 172.17.0.2:80 syn from eth0 reply ACCEPT
        expect ACCEPT tcp 172.17.0.2:40000 -> 93.184.216.34:443 syn from vethc1 masquerade to eth0 reply DROP
        """, against: .snapshot(snapshot))
        XCTAssertEqual(results.map(\.passed), [true, false, false, false, false, false])
        let got = "got ACCEPT by filter/DOCKER:1 (-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT) dnat 172.17.0.2:80 via PREROUTING,FORWARD,POSTROUTING to vethc1"
        XCTAssertEqual(results[1].message, "expected ACCEPT to vethc2, " + got)
        XCTAssertEqual(results[2].message, "expected ACCEPT dnat 172.17.0.3:80, " + got)
        XCTAssertEqual(results[3].message, "expected ACCEPT via INPUT, " + got)
        XCTAssertEqual(results[4].message, "reply: expected ACCEPT, got no reply (no outcome of the request got through to be answered)")
        XCTAssert(results[5].message.hasPrefix("reply: expected DROP, got ACCEPT by filter/DOCKER-CT:1"), results[5].message)
    }

    func testTargetChecksNameWhatIsMissing() throws {
        let rulesTarget = SpecTarget.rules(try ruleset())
        let (spec, _) = SpecParser.parse(Array("""
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 from eth0
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 at filter/WBE
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 at INPUT by filter/WEB:policy
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 at INPUT by filter/INPUT:9
        expect ACCEPT tcp 2001:db8::1 -> 2001:db8::2 at INPUT
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 at INPUT via INPUT
        expect ACCEPT tcp 1.2.3.4 -> 5.6.7.8 at INPUT reply ACCEPT
        """.utf8), file: "t.spec", mode: .spec)
        let found = SpecChecker.check(spec, against: rulesTarget).map { "\($0.location.line):\($0.location.column): \($0.message)" }
        XCTAssertEqual(found, [
            "1:1: a case on a rules file needs 'at HOOK[,HOOK...]' or 'at TABLE/CHAIN': where the packet is evaluated",
            "2:38: 'from' needs a host snapshot folder; on a rules file say where the packet is evaluated with 'at HOOK' or 'at TABLE/CHAIN'",
            "3:38: no chain filter/WBE (did you mean 'WEB'?)",
            "4:47: filter/WEB is a user chain: it has no policy (name a rule by its number)",
            "5:47: filter/INPUT has 4 rules; rule 9 does not exist",
            "6:15: an IPv6 packet, but the rules are IPv4",
            "7:47: 'via' checks a snapshot's path; on a rules file 'at' says which hooks are walked",
            "8:53: 'reply' needs a host snapshot: a rules file has no host that answers",
        ])
    }

    func testSnapshotChecksNameWhatIsMissing() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/docker-default").path)
        let (spec, errors) = SpecParser.parse(Array("""
        expect ACCEPT tcp 1.2.3.4 -> 10.0.2.15 in eth0
        expect ACCEPT tcp 1.2.3.4 -> 10.0.2.15 from eth9 to vethc3
        expect RETURN tcp 1.2.3.4 -> 10.0.2.15 from eth0 at FORWARD
        """.utf8), file: "t.spec", mode: .spec)
        XCTAssertEqual(errors, [])
        let found = SpecChecker.check(spec, against: .snapshot(snapshot)).map { "\($0.location.line):\($0.location.column): \($0.message)" }
        XCTAssertEqual(found, [
            "1:1: a case on a snapshot needs 'from IFACE' or 'from local': where the packet arrives",
            "1:40: 'in' and 'out' do not go with a snapshot: the path decides the devices ('from IFACE' says where the packet arrives, 'to IFACE' where it must leave)",
            "2:40: the snapshot has no device 'eth9' (did you mean 'eth0'?); 'from' takes one of lo, docker0, vethc1, vethc2, eth0 or local",
            "2:50: the snapshot has no device 'vethc3' (did you mean 'vethc1'?); 'to' takes one of lo, docker0, vethc1, vethc2, eth0 or local",
            "3:50: 'at' is for a rules file: on a snapshot the host's path decides the hooks (check them with 'via')",
            "3:8: RETURN is the end of a walk from a user chain ('at TABLE/CHAIN' on a rules file); a host's packet is accepted or dropped",
        ])
    }

    func testRecordingWritesASpecThatPasses() throws {
        let snapshot = try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/docker-default").path)
        let packets = """
        # golden behaviour
        tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 reply
        udp 93.184.216.34:50000 -> 10.0.2.15:5353 from eth0   # the udp port

        expect ACCEPT tcp 93.184.216.34:50000 -> 172.17.0.2:80 syn from eth0
        tcp 10.0.2.2:40000 -> 10.0.2.15:22 from eth0 with ctstate ESTABLISHED

        """
        for target in [SpecTarget.snapshot(snapshot), .rules(try ruleset())] {
            let list = target.isSnapshot ? packets : "tcp 203.0.113.5:50000 -> 10.0.0.2:24 in eth0 at INPUT with ctstate NEW\n"
                + "tcp 203.0.113.5:50000 -> 10.0.0.2:23 in eth0 at INPUT with ctstate NEW # telnet\n"
            let (parsed, errors) = SpecParser.parse(Array(list.utf8), file: "p.txt", mode: .packets)
            XCTAssertEqual(errors + SpecChecker.check(parsed, against: target), [])
            var evaluator = CaseEvaluator(target: target)
            let recording = SpecRecorder.record(parsed, with: &evaluator)
            let results = try run(recording.text, against: target)
            XCTAssertEqual(results.count, recording.cases)
            for result in results { XCTAssert(result.passed, "\(recording.text)\nline \(result.item.line): \(result.message)") }
            if target.isSnapshot {
                let lines = recording.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                XCTAssertEqual(lines[0], "# golden behaviour")
                XCTAssertEqual(lines[1], "expect ACCEPT  tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 by filter/DOCKER:1 dnat 172.17.0.2:80 "
                               + "via PREROUTING,FORWARD,POSTROUTING to vethc1 reply ACCEPT by filter/DOCKER-FORWARD:4 snat 10.0.2.15:8080 "
                               + "via PREROUTING,FORWARD,POSTROUTING to eth0")
                XCTAssert(lines[2].hasSuffix("to vethc1  # the udp port"), lines[2])
                XCTAssertEqual(lines[3], "")
                // The expectation given was wrong: the recording has what happens now.
                XCTAssertEqual(lines[4], "expect DROP    tcp 93.184.216.34:50000 -> 172.17.0.2:80 syn from eth0 by raw/PREROUTING:1 via PREROUTING")
                XCTAssertEqual(lines[5], "expect ACCEPT  tcp 10.0.2.2:40000 -> 10.0.2.15:22 from eth0 with ctstate ESTABLISHED by filter/INPUT:policy via PREROUTING,INPUT to local")
            } else {
                // The random match: one `maybe` line per possible outcome, never a guess.
                XCTAssertEqual(recording.text, """
                expect maybe ACCEPT  tcp 203.0.113.5:50000 -> 10.0.0.2:24 in eth0 at INPUT with ctstate NEW by filter/INPUT:4
                expect maybe DROP    tcp 203.0.113.5:50000 -> 10.0.0.2:24 in eth0 at INPUT with ctstate NEW by filter/INPUT:policy
                expect REJECT tcp-reset tcp 203.0.113.5:50000 -> 10.0.0.2:23 in eth0 at INPUT with ctstate NEW by filter/INPUT:3  # telnet

                """)
            }
        }
    }
}
