import Foundation
import XCTest

/// End to end: runs the built `verdict` binary as a user would.
final class CLITests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: URL = {
        // The test bundle sits in the same build folder as the executable.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("verdict")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/verdict")
    }()

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ arguments: [String], stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        input.fileHandleForWriting.closeFile()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: stdoutData, as: UTF8.self),
                   stderr: String(decoding: stderrData, as: UTF8.self))
    }

    func temporaryFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-cli-\(UUID().uuidString).rules")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testCheckOnTheBundledExampleIsClean() throws {
        let result = try run(["check", "rulesets/docker-default/iptables.rules"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssert(result.stdout.contains("filter: 9 chains (3 built-in, 6 user), 11 rules"), result.stdout)
        XCTAssert(result.stdout.contains("conntrack (1)"), result.stdout)
    }

    func testFmtPrintsTheBundledExampleBackUnchanged() throws {
        let result = try run(["fmt", "rulesets/docker-default/iptables.rules"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let original = try String(contentsOf: Self.repository.appendingPathComponent("rulesets/docker-default/iptables.rules"), encoding: .utf8)
        XCTAssertEqual(result.stdout, original)
    }

    func testErrorsGoToStderrWithFileLineAndColumn() throws {
        let path = try temporaryFile("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j NOWHERE\n-A INPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n")
        let result = try run(["check", path])
        XCTAssertEqual(result.status, 1)
        XCTAssert(result.stderr.contains("\(path):3:10: error: jump to undefined chain 'NOWHERE'"), result.stderr)
        XCTAssert(result.stderr.contains("\(path):4:25: error:"), result.stderr)
        XCTAssert(result.stderr.contains("^~~~~"), result.stderr)
    }

    func testFmtPrintsNothingWhenTheInputHasErrors() throws {
        let path = try temporaryFile("*filter\n-A INPUT -m nosuch -j ACCEPT\nCOMMIT\n")
        let result = try run(["fmt", path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssert(result.stderr.contains("unknown match module 'nosuch'"), result.stderr)
    }

    func testFmtRefusesWhatCheckRefuses() throws {
        let header = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
        let refused = [
            "-A INPUT -j NOPE\n",
            "-A INPUT -j DNAT --to-destination 10.0.0.1\n",
            ":A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\n",
        ]
        for rules in refused {
            let path = try temporaryFile(header + rules + "COMMIT\n")
            let check = try run(["check", path])
            let fmt = try run(["fmt", path])
            XCTAssertEqual(check.status, 1, rules)
            XCTAssertEqual(fmt.status, 1, rules)
            XCTAssertEqual(fmt.stdout, "", rules)
            XCTAssert(fmt.stderr.contains("\(path):"), fmt.stderr)
            XCTAssert(fmt.stderr.contains("nothing printed"), fmt.stderr)
        }
    }

    func testStandardInput() throws {
        let result = try run(["fmt", "-"], stdin: "*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n")
    }

    func testJSONReport() throws {
        let path = try temporaryFile("*filter\n-A INPUT -j NOWHERE\nCOMMIT\n")
        let result = try run(["check", "--format", "json", path])
        XCTAssertEqual(result.status, 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let diagnostics = parsed?.first?["diagnostics"] as? [[String: Any]]
        XCTAssertEqual(diagnostics?.first?["line"] as? Int, 2)
        XCTAssertEqual(diagnostics?.first?["severity"] as? String, "error")
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try run(["check"]).status, 2)
        XCTAssertEqual(try run(["check", "/nonexistent/rules"]).status, 2)
        XCTAssertEqual(try run(["nosuchcommand"]).status, 2)
        XCTAssertEqual(try run(["check", "--bogus", "x"]).status, 2)
    }

    func testHelpExplainsEveryCommand() throws {
        let overview = try run(["--help"])
        XCTAssertEqual(overview.status, 0)
        XCTAssert(overview.stdout.contains("check"))
        XCTAssert(overview.stdout.contains("fmt"))
        let check = try run(["help", "check"])
        XCTAssert(check.stdout.contains("--lenient") && check.stdout.contains("EXAMPLES"), check.stdout)
    }

    func testTraceExplainsTheWalkAndTheVerdict() throws {
        let result = try run(["trace", "rulesets/docker-default/iptables.rules", "--hook", "FORWARD", "-p", "tcp",
                              "-s", "172.17.0.2", "-d", "93.184.216.34", "--sport", "40000", "--dport", "443",
                              "-i", "docker0", "-o", "eth0", "--ctstate", "NEW"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssert(result.stdout.contains("filter/DOCKER-CT #1 -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT: no match"), result.stdout)
        XCTAssert(result.stdout.hasSuffix("verdict: ACCEPT\n"), result.stdout)
    }

    func testTraceKernelFormatAndUnknownBranches() throws {
        let result = try run(["trace", "rulesets/docker-default/iptables.rules", "--hook", "PREROUTING", "--format", "kernel",
                              "--packet", "tcp 203.0.113.5:50000 -> 10.0.2.15:8080 in eth0 ctstate NEW"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // Without --local-address, addrtype LOCAL is a condition: a class for each truth.
        XCTAssert(result.stdout.contains("# class 1 of 2: ACCEPT  tcp 203.0.113.5:50000 -> 10.0.2.15:8080 in eth0 ctstate NEW "
                                         + "when [-m addrtype --dst-type LOCAL]: DNAT 172.17.0.2:80 (nat/DOCKER:2)"), result.stdout)
        XCTAssert(result.stdout.contains("# class 2 of 2: ACCEPT  tcp 203.0.113.5:50000 -> 10.0.2.15:8080 in eth0 ctstate NEW "
                                         + "unless [-m addrtype --dst-type LOCAL]"), result.stdout)
        XCTAssert(result.stdout.contains("TRACE: nat:DOCKER:rule:2"), result.stdout)
        XCTAssert(result.stdout.contains("TRACE: nat:PREROUTING:policy:2"), result.stdout)
    }

    func testTraceJSONShowsTheRewrittenPacket() throws {
        let result = try run(["trace", "rulesets/docker-default/iptables.rules", "--hook", "PREROUTING", "--format", "json",
                              "--packet", "tcp 203.0.113.5:50000 -> 10.0.2.15:8080 in eth0 ctstate NEW local 10.0.2.15"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let outcomes = object?["outcomes"] as? [[String: Any]]
        XCTAssertEqual(outcomes?.count, 1)
        XCTAssertEqual(outcomes?.first?["verdict"] as? String, "ACCEPT")
        XCTAssertEqual(outcomes?.first?["packetAfter"] as? String, "tcp 203.0.113.5:50000 -> 172.17.0.2:80 in eth0 ctstate NEW local 10.0.2.15")
        // The TRACE lines with the packet's fields, as flow's JSON gives them: the nat table
        // sees the packet before its DNAT.
        let lines = outcomes?.first?["lines"] as? [[String: Any]]
        XCTAssertEqual(lines?.compactMap { $0["trace"] as? String },
                       ["TRACE: raw:PREROUTING:policy:2", "TRACE: nat:PREROUTING:rule:1", "TRACE: nat:DOCKER:rule:2"])
        XCTAssertEqual(lines?.last?["dst"] as? String, "10.0.2.15")
        XCTAssertEqual(lines?.last?["dport"] as? Int, 8080)
        XCTAssertEqual(lines?.last?["in"] as? String, "eth0")
        XCTAssertEqual(lines?.last?["protocol"] as? String, "TCP")
        XCTAssert(lines?.last?["mark"] is NSNull, "the description leaves the mark open")
    }

    func testTraceUsageErrors() throws {
        XCTAssertEqual(try run(["trace", "rulesets/docker-default/iptables.rules", "-p", "tcp"]).status, 2)
        XCTAssertEqual(try run(["trace", "rulesets/docker-default/iptables.rules", "--hook", "SIDEWAYS"]).status, 2)
        let bad = try run(["trace", "rulesets/docker-default/iptables.rules", "--hook", "INPUT", "--packet", "tcp 1.2.3.4 => 5.6.7.8"])
        XCTAssertEqual(bad.status, 2)
        XCTAssert(bad.stderr.contains("column"), bad.stderr)
    }
}
