import Foundation
import XCTest

/// Declared options: generated help, usage errors with the closest spelling or value,
/// `--x=V`, and `!` before a negatable option.
extension CLITests {
    static let commandNames = ["check", "fmt", "trace", "flow", "lint", "diff", "test", "graph", "completions"]

    /// The option spellings the bash script completes for a command: its declared options.
    func completedSpellings(of command: String) throws -> [String] {
        let script = try run(["completions", "bash"]).stdout
        let body = try XCTUnwrap(script.components(separatedBy: "_verdict_\(command)() {\n").dropFirst().first)
        let function = String(body.prefix { $0 != "}" })
        guard let list = function.components(separatedBy: "_verdict_words \"-").dropFirst().first else { return [] }
        return ("-" + list.prefix { $0 != "\"" }).split(separator: " ").map(String.init)
    }

    func testHelpListsEveryDeclaredOption() throws {
        for command in Self.commandNames {
            let help = try run(["help", command])
            XCTAssertEqual(help.status, 0, help.stderr)
            XCTAssertEqual(try run([command, "--help"]).stdout, help.stdout)
            let spellings = try completedSpellings(of: command)
            XCTAssert(spellings.contains("--help"), "\(command): \(spellings)")
            for spelling in spellings {
                let pattern = "(^|[ ,])" + NSRegularExpression.escapedPattern(for: spelling) + "([ ,=]|$)"
                XCTAssertNotNil(help.stdout.range(of: pattern, options: .regularExpression),
                                "verdict help \(command) does not show \(spelling)")
            }
        }
        // The packet options trace and flow share, each in both helps (flow takes its devices from the path).
        let packet = ["-p", "--protocol", "-s", "--source", "-d", "--destination", "--sport", "--dport",
                      "--ctstate", "--state", "--mark", "--syn", "--tcp-flags", "--icmp-type", "-f", "--fragment",
                      "--length", "--ttl", "--tos", "--connmark", "--pkt-type", "--mac-source", "--uid-owner",
                      "--gid-owner", "--physdev-in", "--physdev-out", "--physdev-is-bridged", "--routed",
                      "--local-address", "--packet"]
        for command in ["trace", "flow"] {
            let spellings = try completedSpellings(of: command)
            for spelling in packet { XCTAssert(spellings.contains(spelling), "\(command) lacks \(spelling)") }
        }
        XCTAssert(try completedSpellings(of: "trace").contains("--in-interface"))
        XCTAssertFalse(try completedSpellings(of: "flow").contains("--in-interface"), "flow's path decides -i")
        let trace = try run(["help", "trace"]).stdout
        XCTAssert(trace.contains("  -s, --source ADDR     the source address"), trace)
        XCTAssert(trace.contains("EXIT STATUS: 0 traced") && trace.contains("EXAMPLES:"), trace)
    }

    func testUnknownOptionsSuggestTheClosestSpelling() throws {
        let rules = "rulesets/docker-default/iptables.rules"
        let typo = try run(["trace", rules, "--hook", "INPUT", "--cstate", "NEW"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertEqual(typo.stderr, "verdict trace: unknown option '--cstate'; did you mean '--ctstate'?\n")
        let attached = try run(["check", "--formt=json", rules])
        XCTAssertEqual(attached.stderr, "verdict check: unknown option '--formt'; did you mean '--format'?\n")
        let far = try run(["lint", "--frobnicate", rules])
        XCTAssertEqual(far.status, 2)
        XCTAssertEqual(far.stderr, "verdict lint: unknown option '--frobnicate'\n")
        XCTAssertEqual(try run(["flow", "rulesets/docker-default", "--from", "eth0", "--no-replies"]).stderr,
                       "verdict flow: unknown option '--no-replies'; did you mean '--no-reply'?\n")
    }

    func testUnknownCommandsSuggestTheClosestName() throws {
        let typo = try run(["flw", "rulesets/docker-default"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertEqual(typo.stderr, "verdict: unknown command 'flw'; did you mean 'flow'?\n")
        XCTAssertEqual(try run(["help", "lnt"]).stderr, "verdict: unknown command 'lnt'; did you mean 'lint'?\n")
        let unknown = try run(["nosuchcommand"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertFalse(unknown.stderr.contains("did you mean"), unknown.stderr)
        XCTAssertEqual(try run(["--hepl"]).stderr, "verdict: unknown option '--hepl'; did you mean '--help'?\n")
    }

    func testValuesOutsideTheChoicesAreRefusedWithTheChoices() throws {
        let rules = "rulesets/docker-default/iptables.rules"
        let format = try run(["trace", rules, "--hook", "INPUT", "--format", "jsn"])
        XCTAssertEqual(format.status, 2)
        XCTAssertEqual(format.stderr,
                       "verdict trace: unknown format 'jsn' (text, kernel, json, svg, nft); did you mean 'json'?\n")
        XCTAssertEqual(try run(["diff", rules, rules, "--hook", "INPUT,FORWRD"]).stderr,
                       "verdict diff: unknown hook 'FORWRD' (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING); "
                       + "did you mean 'FORWARD'?\n")
        XCTAssertEqual(try run(["lint", "--fail-on", "sometimes", rules]).stderr,
                       "verdict lint: unknown severity 'sometimes' (error, warning, note, never)\n")
        XCTAssertEqual(try run(["lint", "--disable", "unused-chian", rules]).stderr,
                       "verdict lint: unknown lint 'unused-chian' (verdict lint --list shows them); "
                       + "did you mean 'unused-chain'?\n")
        XCTAssertEqual(try run(["fmt", "--family", "ipv5", rules]).stderr,
                       "verdict fmt: unknown family 'ipv5' (ipv4, ipv6, auto); did you mean 'ipv4'?\n")
        let missing = try run(["trace", rules, "--hook"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "verdict trace: option '--hook' needs a value (HOOK)\n")
        let flag = try run(["trace", rules, "--hook", "INPUT", "--syn=yes"])
        XCTAssertEqual(flag.status, 2)
        XCTAssertEqual(flag.stderr, "verdict trace: option '--syn' takes no value\n")
        // Choices are matched without regard to case, as hooks always were.
        XCTAssertEqual(try run(["trace", rules, "--hook", "forward", "-p", "tcp", "--format", "JSON"]).status, 0)
    }

    func testAttachedValuesReadLikeSeparateOnes() throws {
        let rules = "rulesets/docker-default/iptables.rules"
        let separate = try run(["trace", rules, "--hook", "FORWARD", "-p", "tcp", "-s", "172.17.0.2",
                                "-d", "93.184.216.34", "--dport", "443", "-i", "docker0", "-o", "eth0",
                                "--ctstate", "NEW", "--format", "json"])
        XCTAssertEqual(separate.status, 0, separate.stderr)
        let attached = try run(["trace", rules, "--hook=FORWARD", "--protocol=tcp", "--source=172.17.0.2",
                                "--destination=93.184.216.34", "--dport=443", "--in-interface=docker0",
                                "--out-interface=eth0", "--state=NEW", "--format=json"])
        XCTAssertEqual(attached.status, 0, attached.stderr)
        XCTAssertEqual(attached.stdout, separate.stdout)
        XCTAssert(attached.stdout.contains("\"verdict\": \"ACCEPT\""), attached.stdout)
        // After --, a word is an operand even when it looks like an option.
        let operand = try run(["check", "--", "--no-such-file"])
        XCTAssertEqual(operand.stderr, "verdict check: --no-such-file: no such file\n")
    }

    func testNegationIsCarriedForNegatableOptionsOnly() throws {
        let rules = "rulesets/docker-default/iptables.rules"
        let base = ["trace", rules, "--hook", "INPUT", "-p", "tcp"]
        let before = try run(base + ["!", "-s", "10.0.0.0/8"])
        let after = try run(base + ["-s", "!", "10.0.0.0/8"])
        XCTAssertEqual(before.status, after.status)
        XCTAssertEqual(before.stdout + before.stderr, after.stdout + after.stderr)
        let plain = try run(base + ["-s", "10.0.0.0/8"])
        XCTAssertNotEqual(before.stdout + before.stderr, plain.stdout + plain.stderr,
                          "the '!' must reach the packet options")
        XCTAssertEqual(try run(base + ["!", "--syn"]).stderr,
                       "verdict trace: option '--syn' cannot be negated with '!'\n")
        XCTAssertEqual(try run(base + ["!", "!", "-s", "10.0.0.1"]).stderr, "verdict trace: '!' given twice\n")
        XCTAssertEqual(try run(base + ["!"]).stderr, "verdict trace: '!' must come before an option it negates\n")
        // A command without negatable options reads '!' as an operand.
        XCTAssertEqual(try run(["check", "!"]).stderr, "verdict check: !: no such file\n")
    }
}
