import Foundation
import XCTest
@testable import Netfilter

/// `verdict reach`'s matrix on the bundled snapshots and on variants of them: the sources
/// and services it finds, and each kind of cell (open, dropped, refused, closed,
/// blocked-locally, partly, depends) with its deciding rule, NAT and a confirmed witness.
final class ReachMatrixTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func snapshot(_ name: String) throws -> HostSnapshot {
        try HostSnapshot.load(repository.appendingPathComponent("rulesets/\(name)").path)
    }

    /// The snapshot with its IPv4 rules edited (`edit` gets and returns iptables-save text).
    static func snapshot(_ name: String, editing edit: (String) -> String) throws -> HostSnapshot {
        var snapshot = try snapshot(name)
        let text = try String(contentsOf: repository.appendingPathComponent("rulesets/\(name)/iptables.rules"),
                              encoding: .utf8)
        let parsed = RulesInput.parse(Array(edit(text).utf8), family: .ipv4)
        XCTAssertTrue(Validator.diagnostics(of: parsed).filter { $0.severity == .error }.isEmpty)
        snapshot.ruleset = parsed.ruleset
        return snapshot
    }

    static func address(_ text: String) -> IPAddress {
        IPAddress(parsing: Array(text.utf8), family: .ipv4) ?? .v4(IPv4Address(0))
    }

    static func matrix(_ snapshot: HostSnapshot, _ query: ReachQuery = ReachQuery()) -> ReachMatrix {
        ReachMatrix.compute(HostPath(snapshot), family: .ipv4, query: query)
    }

    /// The cell of a source (by name) and a service (by name, `tcp 10.0.2.15:8080`).
    static func cell(_ matrix: ReachMatrix, _ source: String, _ service: String,
                     file: StaticString = #filePath, line: UInt = #line) throws -> ReachCell {
        let row = try XCTUnwrap(matrix.sources.firstIndex { $0.name == source }, "no source \(source)",
                                file: file, line: line)
        let column = try XCTUnwrap(matrix.services.firstIndex { $0.name == service }, "no service \(service)",
                                   file: file, line: line)
        return matrix.cell(source: row, service: column)
    }

    func testDockerHostSourcesAndServices() throws {
        let matrix = Self.matrix(try Self.snapshot("docker-default"))
        XCTAssertEqual(matrix.sources.map(\.name), ["eth0 link", "eth0 elsewhere", "vethc1 172.17.0.2",
                                                    "vethc2 172.17.0.3", "local"])
        XCTAssertEqual(matrix.sources[0].addressTexts, ["10.0.2.0-10.0.2.14", "10.0.2.16-10.0.2.254"])
        XCTAssertFalse(matrix.sources[1].addresses?.contains(RuleSpace.value(of: Self.address("10.0.2.2"))) ?? true)
        XCTAssertEqual(matrix.services.map(\.name), [
            "icmp 10.0.2.15 echo", "tcp 10.0.2.15:8080", "udp 10.0.2.15:5353", "icmp 172.17.0.1 echo",
            "tcp 172.17.0.1:8080", "udp 172.17.0.1:5353", "icmp 172.17.0.2 echo", "tcp 172.17.0.2:80",
            "udp 172.17.0.2:53", "icmp 172.17.0.3 echo",
        ])
        XCTAssertEqual(matrix.services[1].to, ["172.17.0.2:80"])
        XCTAssertEqual(matrix.services[7].kind, .container)
        XCTAssertEqual(matrix.cells.count, 50)
    }

    func testDockerHostCells() throws {
        let matrix = Self.matrix(try Self.snapshot("docker-default"))
        let published = try Self.cell(matrix, "eth0 elsewhere", "tcp 10.0.2.15:8080")
        XCTAssertEqual(published.outcome, .open)
        XCTAssertEqual(published.by, ["filter/DOCKER:1"])
        XCTAssertEqual(published.nat, ["10.0.2.15:8080 → 172.17.0.2:80"])
        // Docker 28's raw rule keeps the container's own address out of reach from outside.
        let direct = try Self.cell(matrix, "eth0 elsewhere", "tcp 172.17.0.2:80")
        XCTAssertEqual(direct.outcome, .dropped)
        XCTAssertEqual(direct.by, ["raw/PREROUTING:1"])
        XCTAssertEqual(try Self.cell(matrix, "eth0 link", "icmp 172.17.0.3 echo").by, ["filter/DOCKER:3"])
        XCTAssertEqual(try Self.cell(matrix, "vethc1 172.17.0.2", "tcp 172.17.0.2:80").outcome, .open)
        XCTAssertEqual(try Self.cell(matrix, "local", "udp 172.17.0.2:53").outcome, .open)
        // Every class has a witness whose own flow ends the same way.
        for cell in matrix.cells {
            for item in cell.classes {
                XCTAssertNotNil(item.witness, "\(cell)")
                XCTAssertEqual(item.confirmed, true, "\(cell)")
            }
        }
    }

    func testDockerUserRestrictionMakesPartlyAndRefusedCells() throws {
        let snapshot = try Self.snapshot("docker-default") { text in
            text.replacingOccurrences(of: "-A FORWARD -j DOCKER-USER\n", with: """
                -A FORWARD -j DOCKER-USER
                -A DOCKER-USER -s 203.0.113.0/24 -i eth0 -j DROP
                -A DOCKER-USER -i eth0 -p udp -j REJECT --reject-with icmp-port-unreachable

                """)
        }
        let matrix = Self.matrix(snapshot, ReachQuery(from: "eth0"))
        let partly = try Self.cell(matrix, "eth0 elsewhere", "tcp 10.0.2.15:8080")
        XCTAssertEqual(partly.outcome, .partly)
        XCTAssertEqual(partly.classes.map(\.outcome.rawValue).sorted(), ["dropped", "open"])
        let dropped = try XCTUnwrap(partly.classes.first { $0.outcome == .dropped })
        XCTAssertEqual(dropped.packetsText, "tcp 203.0.113.0/24 -> 10.0.2.15:8080")
        XCTAssertEqual(dropped.by, ["filter/DOCKER-USER:1"])
        let refused = try Self.cell(matrix, "eth0 link", "udp 10.0.2.15:5353")
        XCTAssertEqual(refused.outcome, .refused)
        XCTAssertEqual(refused.by, ["filter/DOCKER-USER:2"])
        // One source asked for: that address on that device.
        let one = Self.matrix(snapshot, ReachQuery(from: "eth0", sourceAddresses: IntervalSet(
            value: RuleSpace.value(of: Self.address("203.0.113.9"))), destinations: nil, port: 8080))
        XCTAssertEqual(one.sources.map(\.name), ["eth0 203.0.113.9"])
        XCTAssertEqual(one.cells.map(\.outcome), [ReachOutcome.dropped, .dropped])
    }

    func testClosedPortAndBlockedLocally() throws {
        var snapshot = try Self.snapshot("docker-default") { text in
            text.replacingOccurrences(of: ":OUTPUT ACCEPT [5:420]\n:DOCKER - [0:0]", with: """
                :OUTPUT ACCEPT [5:420]
                :DOCKER - [0:0]
                -A OUTPUT -d 172.17.0.3/32 -p tcp -m tcp --dport 80 -j DROP
                -A OUTPUT -d 172.17.0.3/32 -p udp -m udp --dport 53 -j DROP
                """)
        }
        snapshot.listeners = [Listener(protocol: IPProtocol.tcp, address: nil, port: 22),
                              Listener(protocol: IPProtocol.tcp, address: Self.address("127.0.0.1"), port: 6000)]
        let matrix = Self.matrix(snapshot, ReachQuery(destinations: IntervalSet(
            value: RuleSpace.value(of: Self.address("10.0.2.15"))), port: 2323, protocol: IPProtocol.tcp))
        XCTAssertEqual(matrix.services.map(\.name), ["tcp 10.0.2.15:2323"])
        XCTAssertEqual(try Self.cell(matrix, "eth0 elsewhere", "tcp 10.0.2.15:2323").outcome, .closed)
        let all = Self.matrix(snapshot)
        XCTAssertEqual(try Self.cell(all, "eth0 elsewhere", "tcp 10.0.2.15:22").outcome, .open)
        XCTAssertEqual(try Self.cell(all, "eth0 elsewhere", "tcp 10.0.2.15:22").classes.first?.by,
                       ["filter/INPUT policy"])
        // The host's own UDP datagram dropped at OUTPUT fails its sendto with EPERM; its TCP
        // SYN does not (TCP sends it again until connect() times out).
        func local(_ port: UInt16, _ proto: UInt8) -> ReachMatrix {
            Self.matrix(snapshot, ReachQuery(from: "local", destinations: IntervalSet(
                value: RuleSpace.value(of: Self.address("172.17.0.3"))), port: port, protocol: proto))
        }
        let blocked = try Self.cell(local(53, IPProtocol.udp), "local", "udp 172.17.0.3:53")
        XCTAssertEqual(blocked.outcome, .blockedLocally)
        XCTAssertEqual(blocked.by, ["filter/OUTPUT:2"])
        let timedOut = try Self.cell(local(80, IPProtocol.tcp), "local", "tcp 172.17.0.3:80")
        XCTAssertEqual(timedOut.outcome, .dropped)
        XCTAssertEqual(timedOut.by, ["filter/OUTPUT:1"])
        // A socket on 127.0.0.1: from elsewhere a martian, dropped by the routing decision
        // unless route_localnet is 1; from the host itself open.
        let martian = try Self.cell(all, "eth0 link", "tcp 127.0.0.1:6000")
        XCTAssertEqual(martian.outcome, .dropped)
        XCTAssertEqual(martian.classes.first?.why,
                       "martian destination: 127.0.0.0/8 received on eth0, whose route_localnet is 0")
        XCTAssertEqual(try Self.cell(all, "local", "tcp 127.0.0.1:6000").outcome, .open)
        snapshot.sysctls["net.ipv4.conf.all.route_localnet"] = "1"
        XCTAssertEqual(try Self.cell(Self.matrix(snapshot), "eth0 link", "tcp 127.0.0.1:6000").outcome, .open)
    }

    func testKubeProxyNodePortsClusterIPsAndRandomEndpoints() throws {
        let matrix = Self.matrix(try Self.snapshot("kube-proxy"))
        let names = matrix.services.map(\.name)
        XCTAssertTrue(names.contains("tcp 10.0.2.15:30080"), "\(names)")
        XCTAssertTrue(names.contains("udp 10.96.0.10:53"), "\(names)")
        let clusterIP = try XCTUnwrap(matrix.services.first { $0.name == "tcp 10.96.0.80:80" })
        XCTAssertEqual(clusterIP.to, ["172.17.0.2:80", "172.17.0.3:80"])
        // From the first endpoint's own pod, half the connections come back to it through
        // the bridge port they left by, which the bridge does not do: it depends on the pick.
        let hairpin = try Self.cell(matrix, "vethc1 172.17.0.2", "tcp 10.96.0.80:80")
        XCTAssertEqual(hairpin.outcome, .depends)
        XCTAssertEqual(hairpin.classes.compactMap(\.probability), [0.5, 0.5])
        XCTAssertNotNil(hairpin.classes.first { $0.outcome == .dropped }?.why)
        // From elsewhere every pick is open: the cell is open, made of the two picks.
        let balanced = try Self.cell(matrix, "eth0 elsewhere", "tcp 10.96.0.80:80")
        XCTAssertEqual(balanced.outcome, .open)
        XCTAssertEqual(balanced.nat.count, 3, "\(balanced.nat)")
        XCTAssertEqual(balanced.classes.compactMap(\.probability), [0.5, 0.5])
    }

    func testDiffNamesTheCellsAChangeAlters() throws {
        let before = Self.matrix(try Self.snapshot("docker-default"))
        XCTAssertTrue(ReachDiff.compare(before, before).changes.isEmpty)
        let after = Self.matrix(try Self.snapshot("docker-default") { text in
            text.replacingOccurrences(of: "-A FORWARD -j DOCKER-USER\n",
                                      with: "-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -i eth0 -p tcp -j DROP\n")
        })
        let changes = ReachDiff.compare(before, after).changes
        XCTAssertEqual(Set(changes.map { "\($0.source.name) → \($0.service.name)" }), [
            "eth0 link → tcp 10.0.2.15:8080", "eth0 elsewhere → tcp 10.0.2.15:8080",
            "eth0 link → tcp 172.17.0.1:8080", "eth0 elsewhere → tcp 172.17.0.1:8080",
        ])
        XCTAssertTrue(changes.allSatisfy { $0.old?.outcome == .open && $0.new?.outcome == .dropped })
        XCTAssertEqual(changes.first?.new?.by, ["filter/DOCKER-USER:1"])
    }
}
