import XCTest
@testable import Netfilter

/// The Docker lints on the bundled Docker snapshots (captured from the kernel on this
/// machine) and on variants of their rules with one thing broken each.
final class DockerLintTests: XCTestCase {
    static let docker28 = labRules("docker-28.rules")
    static let docker27 = labRules("docker-27.rules")

    /// A rule set of rulesets/lab; empty when it cannot be read, and then every test fails
    /// (`setUpWithError`): a missing fixture must not let the assertions that something is
    /// absent pass.
    static func labRules(_ name: String) -> String {
        let url = Corpus.repository.appendingPathComponent("rulesets/lab/" + name)
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    override func setUpWithError() throws {
        guard !Self.docker28.isEmpty, !Self.docker27.isEmpty else {
            throw BrokenFixture("rulesets/lab/docker-28.rules or docker-27.rules cannot be read")
        }
    }

    func snapshot(_ name: String) throws -> HostSnapshot {
        try HostSnapshot.load(Corpus.repository.appendingPathComponent("rulesets/\(name)").path)
    }

    func run(_ rules: String, snapshot: HostSnapshot? = nil, only id: String? = nil) -> [LintFinding] {
        let result = SaveParser.parse(Array(rules.utf8), family: .ipv4)
        XCTAssertTrue((result.diagnostics + Validator.validate(result.ruleset)).filter { $0.severity == .error }.isEmpty)
        var host = snapshot
        host?.ruleset = result.ruleset
        let lints = id.flatMap { LintRegistry.lint($0) }.map { [$0] } ?? LintRegistry.all
        return Linter(lints: lints).run(LintContext(inputs: [LintInput(file: "rules", ruleset: result.ruleset)], snapshot: host))
    }

    /// Replaces one line of a rule set (the line must be there).
    func edit(_ rules: String, _ old: String, _ new: String) -> String {
        XCTAssertTrue(rules.contains(old), "no line \(old)")
        return rules.replacingOccurrences(of: old, with: new)
    }

    func testLayoutAndGeneration() throws {
        XCTAssertEqual(DockerLayout(ruleset: try snapshot("docker-default").ruleset)?.generation, .forwardChains)
        XCTAssertEqual(DockerLayout(ruleset: try snapshot("docker-27").ruleset)?.generation, .isolationStages)
        XCTAssertEqual(DockerLayout(ruleset: try snapshot("docker-17-seed").ruleset)?.generation, .singleIsolation)
        XCTAssertNil(DockerLayout(ruleset: try snapshot("kube-proxy").ruleset))
        let layout = try XCTUnwrap(DockerLayout(ruleset: try snapshot("docker-default").ruleset))
        XCTAssertEqual(layout.bridges, ["docker0"])
        XCTAssertEqual(layout.publishedPorts.map(\.hostPorts.first), [8080, 5353])
    }

    func testBundledDockerSnapshotsGiveOnlyPublishedPortNotes() throws {
        let findings = run(Self.docker28, snapshot: try snapshot("docker-default"))
        XCTAssertEqual(findings.map(\.lint), ["published-port", "published-port"])
        XCTAssertTrue(findings.allSatisfy { $0.severity == .note })
        XCTAssertTrue(findings[0].message.contains("tcp 8080 → 172.17.0.2:80 is reachable from any address on eth0"), findings[0].message)
        XCTAssertEqual(findings[0].location.chain, "nat/DOCKER")
    }

    func testDocker27ContainerReachableDirectly() throws {
        let findings = run(Self.docker27, snapshot: try snapshot("docker-27"))
        XCTAssertEqual(findings.map(\.lint).sorted(), ["container-direct-access", "published-port"])
        var forwardingOff = try snapshot("docker-27")
        forwardingOff.sysctls["net.ipv4.ip_forward"] = "0"
        XCTAssertEqual(run(Self.docker27, snapshot: forwardingOff, only: "container-direct-access"), [])
    }

    func testPublishedPortRestrictedByDockerUser() throws {
        let restricted = edit(Self.docker28, "-A FORWARD -j DOCKER-USER\n",
                              "-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -i eth0 ! -s 192.168.1.0/24 -j DROP\n")
        let findings = run(restricted, snapshot: try snapshot("docker-default"), only: "published-port")
        XCTAssertEqual(findings.count, 2)
        // The classes of sources that get through, not "some".
        XCTAssertTrue(findings[0].message.hasSuffix("is reachable from 192.168.1.0/24 on eth0"), findings[0].message)
        let except = edit(Self.docker28, "-A FORWARD -j DOCKER-USER\n",
                          "-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -i eth0 -s 10.0.0.0/8 -j DROP\n")
        let all = run(except, snapshot: try snapshot("docker-default"), only: "published-port")
        XCTAssertTrue(all[0].message.hasSuffix("is reachable from every address on eth0 except 10.0.0.0/8"), all[0].message)
        let closed = edit(Self.docker28, "-A FORWARD -j DOCKER-USER\n", "-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -i eth0 -j DROP\n")
        XCTAssertEqual(run(closed, snapshot: try snapshot("docker-default"), only: "published-port"), [])
    }

    func testRuleAddedToDockerChain() {
        let edited = edit(Self.docker28, "-A DOCKER ! -i docker0 -o docker0 -j DROP\n",
                          "-A DOCKER ! -i docker0 -o docker0 -j DROP\n-A DOCKER -s 203.0.113.0/24 -j DROP\n")
        let findings = run(edited, only: "docker-chain-edited")
        XCTAssertEqual(findings.map(\.location.chain), ["filter/DOCKER"])
        XCTAssertEqual(run(Self.docker28, only: "docker-chain-edited"), [])
        XCTAssertEqual(run(Self.docker27, only: "docker-chain-edited"), [])
    }

    func testDockerUserNotFirst() {
        let edited = edit(Self.docker28, "-A FORWARD -j DOCKER-USER\n", "-A FORWARD -i eth0 -j ACCEPT\n-A FORWARD -j DOCKER-USER\n")
        XCTAssertEqual(run(edited, only: "docker-user-not-first").map(\.location.ruleNumber), [1])
        XCTAssertEqual(run(Self.docker28, only: "docker-user-not-first"), [])
    }

    func testForwardPolicyAccept() {
        let edited = edit(Self.docker28, ":FORWARD DROP [0:0]", ":FORWARD ACCEPT [0:0]")
        XCTAssertEqual(run(edited, only: "docker-forward-accept").count, 1)
        XCTAssertEqual(run(Self.docker28, only: "docker-forward-accept"), [])
    }

    func testSecondNetworkWithoutMasqueradeOrIsolation() {
        // A second network br-web as Docker 27 lays it out, but without its MASQUERADE and isolation rules.
        var rules = edit(Self.docker27, "-A FORWARD -o docker0 -j DOCKER\n",
                         "-A FORWARD -o docker0 -j DOCKER\n-A FORWARD -o br-web -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -o br-web -j DOCKER\n-A FORWARD -i br-web ! -o br-web -j ACCEPT\n-A FORWARD -i br-web -o br-web -j ACCEPT\n")
        XCTAssertEqual(run(rules, only: "docker-no-masquerade").count, 1)
        let isolation = run(rules, only: "docker-no-isolation")
        XCTAssertEqual(isolation.count, 2, "docker0 → br-web and br-web → docker0")
        rules = edit(rules, "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n",
                     "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n-A POSTROUTING -s 172.18.0.0/16 ! -o br-web -j MASQUERADE\n")
        rules = edit(rules, "-A DOCKER-ISOLATION-STAGE-1 -j RETURN\n",
                     "-A DOCKER-ISOLATION-STAGE-1 -i br-web ! -o br-web -j DOCKER-ISOLATION-STAGE-2\n-A DOCKER-ISOLATION-STAGE-1 -j RETURN\n")
        rules = edit(rules, "-A DOCKER-ISOLATION-STAGE-2 -j RETURN\n", "-A DOCKER-ISOLATION-STAGE-2 -o br-web -j DROP\n-A DOCKER-ISOLATION-STAGE-2 -j RETURN\n")
        XCTAssertEqual(run(rules, only: "docker-no-masquerade"), [])
        XCTAssertEqual(run(rules, only: "docker-no-isolation"), [])
    }

    func testUfwDenyBypassedByPublishedPort() throws {
        let ufw = edit(Self.docker28, ":INPUT ACCEPT [0:0]\n", ":INPUT DROP [0:0]\n:ufw-user-input - [0:0]\n:ufw-user-forward - [0:0]\n")
        var rules = edit(ufw, "-A FORWARD -j DOCKER-FORWARD\n", "-A FORWARD -j DOCKER-FORWARD\n-A FORWARD -j ufw-user-forward\n")
        rules = edit(rules, "-A DOCKER-BRIDGE -o docker0 -j DOCKER\n",
                     "-A DOCKER-BRIDGE -o docker0 -j DOCKER\n-A INPUT -j ufw-user-input\n-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT\n-A ufw-user-forward -o docker0 -p tcp -m tcp --dport 80 -j DROP\n")
        let findings = run(rules, snapshot: try snapshot("docker-default"), only: "ufw-bypassed")
        XCTAssertEqual(findings.count, 3, "two published ports denied on INPUT, one route rule behind Docker's chains")
        XCTAssertTrue(findings.contains { $0.location.chain == "filter/ufw-user-forward" })
        let allowed = edit(rules, "-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT\n",
                           "-A ufw-user-input -p tcp -m tcp --dport 8080 -j ACCEPT\n-A ufw-user-input -p udp -m udp --dport 5353 -j ACCEPT\n")
        XCTAssertEqual(run(allowed, snapshot: try snapshot("docker-default"), only: "ufw-bypassed").count, 1, "only the route rule")
    }

    /// A port published on 127.0.0.1 is reachable from eth0 whatever route_localnet says:
    /// the DNAT runs in PREROUTING, before the routing decision's martian check (checked in
    /// the kernel: docs/semantics.md); Docker 28's raw-table rule guards it.
    func testLocalhostPortExposed() throws {
        var rules = edit(Self.docker28, "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT",
                         "-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT")
        var host = try snapshot("docker-default")
        for localnet in ["0", "1"] {
            host.sysctls["net.ipv4.conf.all.route_localnet"] = localnet
            let findings = run(rules, snapshot: host, only: "localhost-port-exposed")
            XCTAssertEqual(findings.count, 1, "route_localnet \(localnet)")
            XCTAssertTrue(findings.first?.message.hasPrefix("port 8080 published on 127.0.0.1 is reachable from every "
                                                            + "address on eth0 for neighbours") == true,
                          findings.first?.message ?? "")
        }
        rules = edit(rules, "-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP\n",
                     "-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP\n-A PREROUTING -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport 8080 -j DROP\n")
        XCTAssertEqual(run(rules, snapshot: host, only: "localhost-port-exposed"), [], "Docker 28's raw-table guard")
        XCTAssertEqual(run(Self.docker28, snapshot: host, only: "localhost-port-exposed"), [],
                       "published on every address")
    }

    /// The reachability lints read the reach matrix: a DOCKER-USER rule that drops the
    /// replies (not the requests) closes the published port too.
    func testPublishedPortClosedByItsReplies() throws {
        let replies = edit(Self.docker28, "-A FORWARD -j DOCKER-USER\n",
                           "-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -o eth0 -s 172.17.0.2 -j DROP\n")
        XCTAssertEqual(run(replies, snapshot: try snapshot("docker-default"), only: "published-port"), [])
        XCTAssertEqual(run(replies, only: "published-port").count, 2, "rules alone: only the requests are walked")
    }
}
