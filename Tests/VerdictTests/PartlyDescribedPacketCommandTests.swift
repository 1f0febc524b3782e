import Foundation
import XCTest

/// The open-fields reproductions through the command line: answers first, one line per
/// class, no outcome that no packet gets, and packet options that take what iptables takes.
extension CLITests {
    func rulesFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-\(UUID().uuidString)-ipv4.rules")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    static let sshDropRules = """
    *filter
    :INPUT ACCEPT [0:0]
    :FORWARD ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    -A INPUT -p tcp -m conntrack --ctstate NEW -m tcp --dport 22 -j DROP
    COMMIT

    """

    func testNoDropThatCannotHappen() throws {
        let path = try rulesFile(Self.sshDropRules)
        let result = try run(["trace", path, "--hook", "INPUT", "-p", "tcp", "-i", "eth0", "-s", "1.1.1.1", "-d", "2.2.2.2",
                                  "--dport", "80"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssert(result.stdout.hasPrefix("ACCEPT  tcp 1.1.1.1 -> 2.2.2.2:80 in eth0: accepted by filter/INPUT policy\n"),
                  result.stdout)
        XCTAssertFalse(result.stdout.split(separator: "\n").contains { $0.hasPrefix("DROP") || $0.hasPrefix("verdict: DROP") },
                       result.stdout)
    }

    /// A class whose packets reached one answer by different walks shows each walk with its
    /// packets: no rule line for packets that did not take it (text, kernel and JSON).
    func testAClassReachedSeveralWaysShowsEachWay() throws {
        let path = try rulesFile("""
        *raw
        :OUTPUT ACCEPT [0:0]
        -A OUTPUT -m conntrack --ctstate UNTRACKED -j CT --notrack
        COMMIT

        """)
        let arguments = ["trace", path, "--hook", "OUTPUT", "--packet", "tcp * -> * out eth0 ctstate INVALID,UNTRACKED"]
        let text = try run(arguments)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssert(text.stdout.contains("""
          way 1 of 2: tcp * -> * out eth0 ctstate UNTRACKED
          raw/OUTPUT #1 -m conntrack --ctstate UNTRACKED -j CT --notrack: match -> CT
          => raw/OUTPUT policy ACCEPT
          way 2 of 2: tcp * -> * out eth0 ctstate INVALID
          raw/OUTPUT #1 -m conntrack --ctstate UNTRACKED -j CT --notrack: no match (not these packets: \
        -m conntrack --ctstate UNTRACKED)
          => raw/OUTPUT policy ACCEPT

        """), text.stdout)
        let kernel = try run(arguments + ["--format", "kernel"])
        XCTAssertEqual(kernel.stdout, """
        # class 1 of 1: ACCEPT  tcp * -> * out eth0 ctstate INVALID,UNTRACKED: accepted by raw/OUTPUT policy
        # way 1 of 2: tcp * -> * out eth0 ctstate UNTRACKED
        TRACE: raw:OUTPUT:rule:1 IN= OUT=eth0 SRC=? DST=? PROTO=TCP SPT=? DPT=? MARK=?
        TRACE: raw:OUTPUT:policy:2 IN= OUT=eth0 SRC=? DST=? PROTO=TCP SPT=? DPT=? MARK=?
        # way 2 of 2: tcp * -> * out eth0 ctstate INVALID
        TRACE: raw:OUTPUT:policy:2 IN= OUT=eth0 SRC=? DST=? PROTO=TCP SPT=? DPT=? MARK=?

        """)
        let json = try run(arguments + ["--format", "json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let outcomes = try XCTUnwrap(object["outcomes"] as? [[String: Any]])
        let ways = try XCTUnwrap(outcomes.first?["ways"] as? [[String: Any]])
        XCTAssertEqual(ways.map { $0["packets"] as? String }, ["tcp * -> * out eth0 ctstate UNTRACKED",
                                                               "tcp * -> * out eth0 ctstate INVALID"])
    }

    func testTheAnswerComesFirstOneLinePerClass() throws {
        let path = try rulesFile(Self.sshDropRules)
        let brief = try run(["trace", path, "--hook", "INPUT", "-p", "tcp", "--dport", "22", "--brief"])
        XCTAssertEqual(brief.status, 0, brief.stderr)
        XCTAssertEqual(brief.stdout, """
        DROP    tcp * -> *:22 ctstate NEW: dropped by filter/INPUT:1
        ACCEPT  tcp * -> *:22 ctstate INVALID,ESTABLISHED,RELATED,UNTRACKED: accepted by filter/INPUT policy

        """)
        let full = try run(["trace", path, "--hook", "INPUT", "-p", "tcp", "--dport", "22"])
        XCTAssert(full.stdout.hasPrefix(brief.stdout), full.stdout)
        XCTAssert(full.stdout.contains("(the evaluator confirms it)"), full.stdout)
        let capped = try run(["trace", path, "--hook", "INPUT", "-p", "tcp", "--dport", "22", "--brief", "--max-classes", "1"])
        XCTAssertEqual(capped.stdout.split(separator: "\n").last,
                       "... and 1 more classes of packets (--max-classes 2 shows them all)")
    }

    func testAForwardedPacketHasAnOutDevice() throws {
        let result = try run(["trace", "rulesets/docker-default/iptables.rules", "--hook", "FORWARD", "-p", "tcp",
                                  "-s", "93.184.216.34", "-d", "172.17.0.2", "--dport", "80", "-i", "eth0", "--ctstate", "NEW",
                                  "--brief"])
        XCTAssertEqual(result.stdout, """
        ACCEPT  tcp 93.184.216.34 -> 172.17.0.2:80 in eth0 out docker0 ctstate NEW: accepted by filter/DOCKER:1
        DROP    tcp 93.184.216.34 -> 172.17.0.2:80 in eth0 out !docker0 ctstate NEW: dropped by filter/FORWARD policy

        """)
    }

    func testAPublishedPortFromAnySource() throws {
        let result = try run(["flow", "rulesets/docker-default", "--from", "eth0", "-p", "tcp", "-d", "10.0.2.15",
                                  "--dport", "8080", "--syn", "--brief"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // The container's reply is not masqueraded: MASQUERADE matches only sources in
        // 172.17.0.0/16 leaving by another device, never these.
        // Sources in 127.0.0.0/8 are martians on eth0: DNAT'ed, then dropped by the routing decision.
        XCTAssertEqual(result.stdout, "DROP    tcp 127.0.0.0/8 -> 10.0.2.15:8080 syn from eth0: DNAT 172.17.0.2:80 "
                       + "(nat/DOCKER:2), martian source: 127.0.0.0/8 received on eth0, whose route_localnet is 0\n"
                       + "ACCEPT  tcp !127.0.0.0/8 -> 10.0.2.15:8080 syn from eth0: DNAT 172.17.0.2:80 (nat/DOCKER:2), "
                       + "accepted by filter/DOCKER:1, out vethc1; reply ACCEPT\n")
        XCTAssertEqual(result.stderr, "", "every class is confirmed")
    }

    func testEverythingFromADeviceIsAnsweredInClasses() throws {
        let result = try run(["flow", "rulesets/docker-default", "--from", "eth0", "--brief"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertLessThan(lines.count, 30, result.stdout)
        XCTAssert(lines.contains("DROP    all * -> 127.255.255.255 from eth0: martian destination: 127.0.0.0/8 received "
                                 + "on eth0, whose route_localnet is 0"), result.stdout)
        XCTAssert(lines.contains("DROP    all * -> 172.17.0.2 from eth0: dropped by raw/PREROUTING:1"), result.stdout)
        XCTAssert(lines.contains {
            $0.hasPrefix("ACCEPT  tcp !127.0.0.0/8 -> 10.0.2.15,") && $0.contains(":8080 from eth0: DNAT 172.17.0.2:80")
        }, result.stdout)
        XCTAssertEqual(result.stderr, "", "every class is confirmed")
    }

    func testPacketOptionsTakeWhatIptablesTakes() throws {
        let path = try rulesFile(Self.sshDropRules)
        for options in [["-s", "1.2.3.0/24"], ["-p", "tcp", "--sport", "1:1024"], ["--icmp-type", "echo-request"],
                        ["--packet", "tcp 1.2.3.4:5 > 10.0.2.15:8080"], ["-s", "!", "10.0.0.0/8"], ["!", "-s", "10.0.0.0/8"],
                        ["-p", "tcp", "--dport", "ssh,80,8000:8080"], ["-i", "eth+"]] {
            let result = try run(["trace", path, "--hook", "INPUT", "--brief"] + options)
            XCTAssertEqual(result.status, 0, "\(options): \(result.stderr)")
        }
        let errors: [([String], String)] = [
            (["-s", "::1", "-d", "10.0.2.15"], "verdict trace: mixed families: -d 10.0.2.15 is IPv4, the packet IPv6\n"),
            (["-p", "icmp", "--dport", "80"], "verdict trace: --dport needs -p tcp, udp, sctp, dccp or udplite, not -p icmp\n"),
            (["-p", "udp", "--syn"], "verdict trace: --syn needs -p tcp, not -p udp\n"),
            (["-s", "1.2.3.300"], "verdict trace: invalid source address '1.2.3.300' (ADDR, ADDR/LEN or ADDR/MASK)\n"),
        ]
        for (options, message) in errors {
            let result = try run(["trace", path, "--hook", "INPUT"] + options)
            XCTAssertEqual(result.status, 2, "\(options)")
            XCTAssertEqual(result.stderr, message, "\(options)")
        }
    }

    func testJSONGivesEachClassItsPacketsConditionsAndWitness() throws {
        let path = try rulesFile(Self.sshDropRules)
        let result = try run(["trace", path, "--hook", "INPUT", "-p", "tcp", "--dport", "22", "--format", "json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let outcomes = try XCTUnwrap(object["outcomes"] as? [[String: Any]])
        XCTAssertEqual(outcomes.map { $0["verdict"] as? String }, ["DROP", "ACCEPT"])
        XCTAssertEqual(outcomes.first?["packets"] as? String, "tcp * -> *:22 ctstate NEW")
        XCTAssertEqual(outcomes.first?["confirmed"] as? Bool, true)
        XCTAssertNotNil(outcomes.first?["witness"] as? String)
        XCTAssertEqual((outcomes.first?["conditions"] as? [Any])?.count, 0)
        let kernel = try run(["trace", path, "--hook", "INPUT", "-p", "tcp", "--dport", "22", "--format", "kernel"])
        XCTAssert(kernel.stdout.hasPrefix("# class 1 of 2: DROP    tcp * -> *:22 ctstate NEW: dropped by filter/INPUT:1\n"
                                          + "TRACE: filter:INPUT:rule:1 IN=? OUT= SRC=? DST=? PROTO=TCP SPT=? DPT=22 "
                                          + "MARK=?\n"), kernel.stdout)
    }
}
