import XCTest
@testable import Netfilter

/// A packet described in part is a set of packets: the walk splits it by each rule (header
/// and matches one conjunction), every outcome is for a class of packets, and no outcome is
/// reported that no packet gets (the reproductions of the open-fields issue).
final class PartlyDescribedPacketTests: XCTestCase {
    func ruleset(_ text: String) throws -> Ruleset {
        let parsed = SaveParser.parse(text, family: .ipv4)
        XCTAssertEqual(parsed.errors, [])
        return parsed.ruleset
    }

    func walk(_ rules: String, hook: Hook, _ options: [DescribedOption]) throws -> [WalkResult] {
        let ruleset = try ruleset(rules)
        var described = try PacketDescription.describe(options: options)
        if HookEvaluator.tracksConnections(ruleset) { described.assumeReassembled() }
        return HookEvaluator(ruleset).walk(hook: hook, packet: described.packet, packets: described.packets)
    }

    static let sshDrop = """
    *filter
    :INPUT ACCEPT [0:0]
    :FORWARD ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    -A INPUT -p tcp -m conntrack --ctstate NEW -m tcp --dport 22 -j DROP
    COMMIT

    """

    /// A rule is one conjunction: `--dport 22` fails for port 80 whatever the open state.
    func testAMatchThatFailsDecidesWhateverElseIsOpen() throws {
        let results = try walk(Self.sshDrop, hook: .input, [
            DescribedOption("-p", "tcp"), DescribedOption("-i", "eth0"), DescribedOption("-s", "1.1.1.1"),
            DescribedOption("-d", "2.2.2.2"), DescribedOption("--dport", "80"),
        ])
        XCTAssertEqual(results.map(\.verdict), [.accept])
        XCTAssertNil(results[0].packets, "nothing split the packets")
        let header = """
        *filter
        :INPUT ACCEPT [0:0]
        -A INPUT -s 10.0.0.0/8 -i eth1 -j DROP
        COMMIT

        """
        // -i eth1 fails for a packet from eth0, whatever its source.
        let fromEth0 = try walk(header, hook: .input, [DescribedOption("-i", "eth0")])
        XCTAssertEqual(fromEth0.map(\.verdict), [.accept])
    }

    /// Port 22 with the state open: NEW packets are dropped, the others accepted, and the
    /// classes say so.
    func testAnOpenFieldSplitsThePacketsIntoClasses() throws {
        let results = try walk(Self.sshDrop, hook: .input, [
            DescribedOption("-p", "tcp"), DescribedOption("-i", "eth0"), DescribedOption("--dport", "22"),
        ])
        XCTAssertEqual(results.map(\.verdict), [.drop, .accept])
        let states = results.map { result in
            result.packets?.cubes.first?[.state].flatMap { set -> [String]? in
                guard case .intervals(let values) = set else { return nil }
                return ConntrackStateValue.allCases.filter { values.contains(UInt128($0.rawValue)) }.map(\.name)
            }
        }
        XCTAssertEqual(states, [["NEW"], ["INVALID", "ESTABLISHED", "RELATED", "UNTRACKED"]])
    }

    /// Without -p, a tcp packet never reaches a tcp rule placed after a rule that accepted
    /// all tcp, and no class says both "tcp" and "not tcp".
    func testClassesNeverContradictEachOther() throws {
        let rules = """
        *filter
        :INPUT DROP [0:0]
        -A INPUT -p tcp -j ACCEPT
        -A INPUT -p tcp --dport 22 -j DROP
        -A INPUT -p udp -j ACCEPT
        COMMIT

        """
        let results = try walk(rules, hook: .input, [DescribedOption("-i", "eth0")])
        let deciding = results.map { "\($0.verdict?.rawValue ?? "?") \($0.steps.last.map { "\($0.chain):\($0.number)" } ?? "")" }
        XCTAssertEqual(deciding, ["ACCEPT INPUT:1", "ACCEPT INPUT:3", "DROP INPUT:4"])
        XCTAssertFalse(results.contains { $0.steps.contains { $0.number == 2 && $0.kind == .matched } },
                       "no packet reaches the second tcp rule")
        for result in results {
            XCTAssertFalse(result.packets?.isEmpty ?? false)
        }
    }

    /// A forwarded packet always has an out device: not given, it is any device, and the
    /// classes split by it (not "-o docker0: device is none" and a definite DROP).
    func testAnOutDeviceNotGivenIsAnyDevice() throws {
        let ruleset = try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/docker-default").path).ruleset
        var described = try PacketDescription.describe(options: [
            DescribedOption("-p", "tcp"), DescribedOption("-s", "93.184.216.34"), DescribedOption("-d", "172.17.0.2"),
            DescribedOption("--dport", "80"), DescribedOption("-i", "eth0"), DescribedOption("--ctstate", "NEW"),
        ])
        described.assumeReassembled()
        let results = HookEvaluator(ruleset).walk(hook: .forward, packet: described.packet, packets: described.packets)
        XCTAssertEqual(results.map(\.verdict), [.accept, .drop])
        XCTAssertEqual(results.map(\.packet.hookState.outInterface), ["docker0", nil])
        XCTAssertEqual(PacketDescription.format(described.packet, class: results[1].packets?.cubes.first),
                       "tcp 93.184.216.34 -> 172.17.0.2:80 in eth0 out !docker0 ctstate NEW")
    }

    /// Conditions: what the algebra cannot express is named, never guessed; random matches
    /// keep their probabilities, per rule.
    func testConditionsAndProbabilities() throws {
        let rules = """
        *nat
        :OUTPUT ACCEPT [0:0]
        -A OUTPUT -d 10.96.0.10/32 -p tcp -m statistic --mode random --probability 0.5 -j DNAT --to-destination 10.244.0.1
        -A OUTPUT -d 10.96.0.10/32 -p tcp -m statistic --mode random --probability 0.5 -j DNAT --to-destination 10.244.0.2
        -A OUTPUT -m string --algo bm --string "x" -j ACCEPT
        COMMIT

        """
        let results = try walk(rules, hook: .output, [
            DescribedOption("-p", "tcp"), DescribedOption("-d", "10.96.0.10"), DescribedOption("--ctstate", "NEW"),
        ])
        // Two independent random rules: 50%, 25%, and 25% left for the string match to decide.
        XCTAssertEqual(results.map(\.probability), [0.5, 0.25, 0.25, 0.25])
        XCTAssertEqual(results.map(\.packet.destination?.description), ["10.244.0.1", "10.244.0.2", "10.96.0.10", "10.96.0.10"])
        XCTAssertEqual(results[2].conditions.map(\.holds), [false, false, true])
        XCTAssertEqual(results[2].conditions.last?.text, "-m string --string \"x\" --algo bm")
    }

    /// A match that reads the packet alone is the same condition before conntrack (raw) and
    /// after (mangle): a TOS tested in both tables splits the packets in two, not four
    /// (none is TOS 0x10 in raw and not in mangle). One that reads the connection is another
    /// condition before conntrack, where the packet has none yet.
    func testAConditionOnThePacketIsTheSameBeforeAndAfterConntrack() throws {
        func rules(_ match: String) -> String {
            "*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING \(match) -j ACCEPT\nCOMMIT\n"
                + "*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING \(match) -j DROP\nCOMMIT\n"
        }
        let options = [DescribedOption("-p", "tcp"), DescribedOption("-i", "eth0")]
        let tos = try walk(rules("-m tos --tos 0x10/0xff"), hook: .prerouting, options)
        XCTAssertEqual(tos.map(\.verdict), [.drop, .accept])
        XCTAssertEqual(tos.map { $0.conditions.map(\.text) }, [["-m tos --tos 0x10/0xff"], ["-m tos --tos 0x10/0xff"]])
        XCTAssertEqual(tos.map { $0.conditions.map(\.holds) }, [[true], [false]])
        let helper = try walk(rules("-m helper --helper ftp"), hook: .prerouting, options)
        XCTAssertEqual(Set(helper.flatMap { $0.conditions.map(\.text) }),
                       ["-m helper --helper ftp [before conntrack]", "-m helper --helper ftp"])
    }

    /// The packet options take what the matching iptables matches take.
    func testPacketOptionsTakeSets() throws {
        let described = try PacketDescription.describe(options: [
            DescribedOption("-s", "1.2.3.0/24"), DescribedOption("--sport", "1:1024"), DescribedOption("-p", "tcp"),
            DescribedOption("-d", "10.0.0.0/8", negated: true), DescribedOption("-i", "eth+"),
        ])
        let cube = try XCTUnwrap(described.packets?.cubes.first)
        XCTAssertEqual(PacketDescription.format(described.packet, class: cube), "tcp 1.2.3.0/24:1-1024 -> !10.0.0.0/8 in eth+")
        XCTAssertEqual(described.packet.protocol, IPProtocol.tcp)
        let ping = try PacketDescription.describe(options: [DescribedOption("--icmp-type", "echo-request")])
        XCTAssertEqual(ping.packet.protocol, IPProtocol.icmp, "an ICMP type means icmp")
        XCTAssertEqual(ping.packets?.cubes.first?[.icmp], .intervals(IntervalSet(0x800, 0x8FF)))
        let compact = try PacketDescription.describe("tcp 1.2.3.4:5 > 10.0.2.15:8080")
        XCTAssertEqual(compact.packet.destinationPort, 8080)
        XCTAssertEqual(try PacketDescription.describe("udp * -> *:53,5353 ctstate NEW,ESTABLISHED").packets?.cubes.count, 1)
        let services = try PacketDescription.describe(options: [DescribedOption("-p", "tcp"), DescribedOption("--dport", "ssh,https")])
        XCTAssertEqual(services.packets?.cubes.first?[.destinationPort], .intervals(IntervalSet(intervals: [.init(22, 22), .init(443, 443)])))
    }

    func testContradictionsAndMixedFamiliesAreErrors() {
        func message(_ options: [DescribedOption]) -> String? {
            do throws(PacketDescription.ParseError) {
                _ = try PacketDescription.describe(options: options)
                return nil
            } catch {
                return error.message
            }
        }
        XCTAssertEqual(message([DescribedOption("-s", "::1"), DescribedOption("-d", "10.0.2.15")]),
                       "mixed families: -d 10.0.2.15 is IPv4, the packet IPv6")
        XCTAssertEqual(message([DescribedOption("-p", "icmp"), DescribedOption("--dport", "80")]),
                       "--dport needs -p tcp, udp, sctp, dccp or udplite, not -p icmp")
        XCTAssertEqual(message([DescribedOption("-p", "udp"), DescribedOption("--syn")]), "--syn needs -p tcp, not -p udp")
        XCTAssertEqual(message([DescribedOption("--sport", "30:20"), DescribedOption("-p", "tcp")]),
                       "the port range 30:20 is empty (30 is above 20)")
        XCTAssertEqual(message([DescribedOption("-f"), DescribedOption("-p", "tcp"), DescribedOption("--dport", "1")]),
                       "a later fragment (-f) has no transport header: --dport does not go with it")
        XCTAssertEqual(message([DescribedOption("--ctstate", "NEW"), DescribedOption("--ctstate", "INVALID")]),
                       "--ctstate is given twice (NEW and INVALID)")
    }

    /// The compact form of a class reads back as the same packets.
    func testTheClassFormReadsBack() throws {
        let texts = ["tcp !10.0.0.0/8:* -> 10.0.2.15:8080 in eth0", "udp 172.17.0.0/16 -> *:53,5353 ctstate NEW",
                     "!tcp,!udp * -> 172.17.0.2", "tcp,udp * -> *:!5353,!8080",
                     "all * -> 10.0.0.5-10.0.0.9 in !docker0", "tcp * -> *:!22,!80 syn", "icmp * -> 10.0.0.1 type 8"]
        for text in texts {
            let described = try PacketDescription.describe(text)
            let again = PacketDescription.format(described.packet, class: described.packets?.cubes.first)
            let reread = try PacketDescription.describe(again)
            XCTAssertEqual(reread.packets, described.packets, "\(text) -> \(again)")
            XCTAssertEqual(reread.packet.protocol, described.packet.protocol, text)
        }
    }
}
