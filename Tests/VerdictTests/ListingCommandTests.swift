import Foundation
import XCTest

/// `verdict fmt --from listing` and the other commands reading `iptables -L` listings.
extension CLITests {
    static let natListing = """
    # iptables -t nat -L -n -v --line-numbers
    Chain PREROUTING (policy ACCEPT 884 packets, 46522 bytes)
    num   pkts bytes target     prot opt in     out     source               destination
    1      881 46270 DOCKER     all  --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL

    Chain INPUT (policy ACCEPT 881 packets, 46270 bytes)
    num   pkts bytes target     prot opt in     out     source               destination

    Chain OUTPUT (policy ACCEPT 1048K packets, 63M bytes)
    num   pkts bytes target     prot opt in     out     source               destination

    Chain POSTROUTING (policy ACCEPT 1048K packets, 63M bytes)
    num   pkts bytes target     prot opt in     out     source               destination
    1        0     0 MASQUERADE  all  --  *      !docker0  172.17.0.0/16        0.0.0.0/0

    Chain DOCKER (1 references)
    num   pkts bytes target     prot opt in     out     source               destination
    1        0     0 DNAT       tcp  --  !docker0 *       0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:172.17.0.2:80

    """

    func testFmtConvertsAListingToIptablesSaveText() throws {
        let path = try temporaryFile(Self.natListing)
        for arguments in [["fmt", path], ["fmt", "--from", "listing", path], ["fmt", "--from=auto", path]] {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, """
            *nat
            :PREROUTING ACCEPT [884:46522]
            :INPUT ACCEPT [881:46270]
            :OUTPUT ACCEPT [1048000:63000000]
            :POSTROUTING ACCEPT [1048000:63000000]
            :DOCKER - [0:0]
            [881:46270] -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
            [0:0] -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
            [0:0] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
            COMMIT

            """)
            XCTAssert(result.stderr.contains(":9:7: note: chain OUTPUT: policy counters rounded (1048K packets, 63M bytes); list with -x"),
                      result.stderr)
        }
        // The converted text is a dump verdict reads back unchanged.
        let converted = try run(["fmt", path])
        let again = try run(["fmt", "--from", "save", try temporaryFile(converted.stdout)])
        XCTAssertEqual(again.stdout, converted.stdout)
    }

    func testFmtTakesAListingOnStandardInputWithItsTable() throws {
        let listing = "Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination\nACCEPT     all  --  10.0.0.0/8           0.0.0.0/0\n"
        let result = try run(["fmt", "--table", "security", "-"], stdin: listing)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "*security\n:INPUT ACCEPT\n-A INPUT -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n")
        XCTAssert(result.stderr.contains("<stdin>:3:1: warning: INPUT rule 1 and the rest of this table: listed without -v"), result.stderr)
    }

    func testFmtReportsAListingItCannotReadWithItsLineAndColumn() throws {
        let path = try temporaryFile(Self.natListing.replacingOccurrences(of: "ADDRTYPE match dst-type LOCAL", with: "ADDRTYPE match dst-type LOCAL frobnicate"))
        let result = try run(["fmt", path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "", "nothing half-written")
        XCTAssert(result.stderr.contains("\(path):4:125: error: PREROUTING rule 1: cannot read 'frobnicate': no extension prints this"), result.stderr)
        XCTAssert(result.stderr.contains("verdict fmt: 1 error(s); nothing printed"), result.stderr)
        let lenient = try run(["fmt", "--lenient", path])
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssert(lenient.stdout.contains("-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER frobnicate"), lenient.stdout)
        let forced = try run(["fmt", "--from", "save", path])
        XCTAssertEqual(forced.status, 1, "a listing read as a dump")
        let unknown = try run(["fmt", "--from", "html", path])
        XCTAssertEqual(unknown.status, 2)
        XCTAssert(unknown.stderr.contains(
            "unknown input format 'html' (save, listing, ebtables-save, ebtables-listing, nft, nft-json, auto)"),
            unknown.stderr)
    }

    func testCheckLintAndTraceReadListings() throws {
        let path = try temporaryFile(Self.natListing)
        let check = try run(["check", path])
        XCTAssertEqual(check.status, 0, "notes are no findings: \(check.stderr)")
        XCTAssert(check.stdout.contains("nat: 5 chains (4 built-in, 1 user), 3 rules"), check.stdout)
        let json = try run(["check", "--format", "json", path])
        XCTAssert(json.stdout.contains("\"severity\": \"note\""), json.stdout)
        let trace = try run(["trace", path, "--chain", "nat/PREROUTING", "-p", "tcp", "-s", "93.184.216.34", "-d", "10.0.2.15",
                             "--sport", "50000", "--dport", "8080", "-i", "eth0", "--local-address", "10.0.2.15", "--ctstate", "NEW"])
        XCTAssertEqual(trace.status, 0, trace.stderr)
        XCTAssert(trace.stdout.contains("nat/DOCKER #1 ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80: match -> DNAT"),
                  trace.stdout)
        let lint = try run(["lint", "--fail-on", "never", path])
        XCTAssertEqual(lint.status, 0, lint.stderr)
    }

    func testFlowReadsASnapshotWhoseRulesAreAListing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-listing-snapshot-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("rulesets/docker-default"), to: folder)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let rules = folder.appendingPathComponent("iptables.rules")
        // Replace the dump by the kernel's listing of the same rules (Tests/Fixtures/listings).
        let captured = Self.repository.appendingPathComponent("Tests/Fixtures/listings/lab/docker-28/nv.listing")
        try FileManager.default.removeItem(at: rules)
        try FileManager.default.copyItem(at: captured, to: rules)
        let flow = try run(["flow", folder.path, "--from", "eth0", "-p", "tcp", "-s", "93.184.216.34", "-d", "10.0.2.15",
                            "--sport", "50000", "--dport", "8080", "--syn"])
        XCTAssertEqual(flow.status, 0, flow.stderr)
        XCTAssert(flow.stdout.contains("-j DNAT --to-destination 172.17.0.2:80: match -> DNAT"), flow.stdout)
    }
}
