import XCTest
@testable import Netfilter

/// Walks a bridge chain of rules written as ebtables-save lines, for the module tests.
enum BridgeWalk {
    static let devices = BridgeDevices(inPort: "vethc1", outPort: "vethc2", bridge: "docker0")

    /// The table holding these `-A CHAIN ...` lines (every built-in chain's policy ACCEPT).
    static func table(_ rules: String, table name: String = "filter") throws -> EbtablesTable {
        let chains = EbtablesTable.builtinChains(of: name).map { ":\($0) ACCEPT\n" }.joined()
        let ruleset = try EbtablesParser.parse("*\(name)\n" + chains + rules + "\n")
        return try XCTUnwrap(ruleset.table(named: name))
    }

    /// The results of walking `chain` (FORWARD, or nat PREROUTING) with the packet.
    static func walk(_ rules: String, _ packet: Packet, table name: String = "filter",
                     chain: String = "FORWARD") throws -> [EbtablesResult] {
        EbtablesWalker.walk(try table(rules, table: name), chain: chain, packet: packet, devices: devices)
    }

    static func verdicts(_ rules: String, _ packet: Packet, table name: String = "filter",
                         chain: String = "FORWARD") throws -> Set<StandardVerdict?> {
        Set(try walk(rules, packet, table: name, chain: chain).map(\.verdict))
    }

    /// An IPv4 TCP packet from 10.0.0.1 (MAC 02:00:00:00:00:01) to 10.0.0.2, port 80.
    static func packet(family: Family = .ipv4) -> Packet {
        var packet = Packet(family: family)
        packet.protocol = IPProtocol.tcp
        packet.source = family == .ipv4 ? IPv4Address("10.0.0.1").map { .v4($0) }
            : IPv6Address("fd00::1").map { .v6($0) }
        packet.destination = family == .ipv4 ? IPv4Address("10.0.0.2").map { .v4($0) }
            : IPv6Address("fd00::2").map { .v6($0) }
        packet.sourcePort = 40_000
        packet.destinationPort = 80
        packet.sourceMAC = MACAddress(0x0200_0000_0001)
        packet.destinationMAC = MACAddress(0x0200_0000_0002)
        packet.tos = 0
        return packet
    }

    /// Whether the packet is in one of the set's classes (its conditions not checked).
    static func holds(_ space: PacketSpace, _ packet: Packet) -> Bool { space.cubes.contains { $0.contains(packet) } }

    /// The reason the first rule of the walk's only result did not match.
    static func skipReason(_ results: [EbtablesResult]) -> String? {
        guard results.count == 1, case .skipped(let reason)? = results.first?.steps.first?.kind else { return nil }
        return reason
    }
}
