import XCTest
@testable import Netfilter

/// Exchanges through a Docker host built in network namespaces on this machine, with the
/// kernel's TRACE lines for the request and the reply (Tests/Fixtures/host-flows, captured
/// by Scripts/capture-host-flows with the host's snapshot beside them). verdict's flow on
/// the snapshot must print the kernel's lines exactly.
final class HostFlowFixtureTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/host-flows")

    /// The packet and origin from a CASE.args line (`--from vethc1 -p tcp -s A -d B ...`).
    static func request(_ line: String) throws -> (Packet, PacketOrigin, Bool) {
        let words = line.split(separator: " ").map(String.init)
        var packet = Packet(family: line.contains("::") || line.contains(":17:") ? .ipv6 : .ipv4)
        var origin = PacketOrigin.local
        var peerListens = true
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < words.count else { throw XCTSkip("malformed args: \(line)") }
            return words[index]
        }
        while index < words.count {
            switch words[index] {
            case "--from": let name = try value(); origin = name == "local" ? .local : .device(name)
            case "-p": packet.protocol = IPProtocol.number(for: try value())
            case "-s": let text = try value(); packet.source = IPAddress(parsing: Array(text.utf8), family: packet.family)
            case "-d": let text = try value(); packet.destination = IPAddress(parsing: Array(text.utf8), family: packet.family)
            case "--sport": packet.sourcePort = UInt16(try value())
            case "--dport": packet.destinationPort = UInt16(try value())
            case "--icmp-type": packet.icmpType = UInt8(try value()); packet.icmpCode = 0
            case "--syn": packet.tcpFlags = 0x02
            case "--peer-listens": peerListens = try value() == "yes"
            default: XCTFail("unknown word \(words[index]) in \(line)")
            }
            index += 1
        }
        return (packet, origin, peerListens)
    }

    func testFlowsMatchTheKernel() throws {
        let snapshot = try HostSnapshot.load(Self.folder.appendingPathComponent("snapshot").path)
        let path = HostPath(snapshot)
        let fromStart = !KernelTraceRenderer.hasTraceRules(snapshot.ruleset)
        let cases = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".args") }.sorted()
        XCTAssertGreaterThanOrEqual(cases.count, 19)
        for name in cases {
            let base = Self.folder.appendingPathComponent(String(name.dropLast(".args".count)))
            let (packet, origin, peerListens) = try Self.request(try String(contentsOf: base.appendingPathExtension("args"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines))
            let expected = try String(contentsOf: base.appendingPathExtension("trace"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            let packets = Flow.run(path, request: packet, from: origin, peerListens: peerListens)
            var lines: [String] = []
            for (position, flowPacket) in packets.enumerated() {
                XCTAssertEqual(flowPacket.outcomes.count, 1, "\(name): one outcome")
                if position > 0 { lines.append("--") }
                lines += flowPacket.outcomes.first?.kernelLines(fromStart: fromStart) ?? []
            }
            if packets.count == 1 { lines.append("--") }
            XCTAssertEqual(lines, expected, name)
        }
    }
}
