import XCTest
@testable import Netfilter

/// A recorded exchange's `verdict flow` arguments (a CASE.args or case.args line, as the
/// capture scripts write it): the request, where it comes from, and the far end's reply.
struct FlowArguments {
    var packet: Packet
    var origin: PacketOrigin
    var peerListens = true
    var shape = ReplyShape()

    init(_ line: String) throws {
        let words = line.split(separator: " ").map(String.init)
        packet = Packet(family: line.contains("::") || line.contains(":17:") ? .ipv6 : .ipv4)
        origin = .local
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < words.count else { throw BrokenFixture("a value in the args line '\(line)'") }
            return words[index]
        }
        func number<N: FixedWidthInteger>(_: N.Type) throws -> N {
            let text = try value()
            guard let parsed = N(text) else { throw BrokenFixture("a number for '\(text)' in '\(line)'") }
            return parsed
        }
        while index < words.count {
            switch words[index] {
            case "--from": let name = try value(); origin = name == "local" ? .local : .device(name)
            case "-p": packet.protocol = IPProtocol.number(for: try value())
            case "-s": packet.source = IPAddress(parsing: Array(try value().utf8), family: packet.family)
            case "-d": packet.destination = IPAddress(parsing: Array(try value().utf8), family: packet.family)
            case "--sport": packet.sourcePort = try number(UInt16.self)
            case "--dport": packet.destinationPort = try number(UInt16.self)
            case "--icmp-type":
                // T or T/C (the code 0 when not given).
                let parts = try value().split(separator: "/").map { UInt8($0) }
                guard let type = parts.first ?? nil, parts.count <= 2, !parts.contains(nil) else {
                    throw BrokenFixture("an ICMP type in '\(line)'")
                }
                packet.icmpType = type
                packet.icmpCode = parts.count == 2 ? parts[1] : 0
            case "--syn": packet.tcpFlags = 0x02
            case "--tcp-flags":
                guard try value() == "SYN" else { throw BrokenFixture("--tcp-flags other than SYN in '\(line)'") }
                packet.tcpFlags = 0x02
            case "--ttl": packet.ttl = try number(UInt8.self)
            case "--tos": packet.tos = try number(UInt8.self)
            case "--length": packet.length = try number(UInt16.self)
            case "--reply-ttl": shape.ttl = try number(UInt8.self)
            case "--reply-tos": shape.tos = try number(UInt8.self)
            case "--reply-length": shape.length = try number(UInt16.self)
            case "--peer-listens": peerListens = try value() == "yes"
            default: XCTFail("unknown word \(words[index]) in \(line)")
            }
            index += 1
        }
    }

    /// The TRACE lines verdict prints for the exchange: the request's, `--`, the reply's;
    /// each line bare (`TRACE: table:chain:type:num`) and with its header (`kernelText`).
    func kernelLines(_ path: HostPath, name: String) -> [(bare: String, full: String)] {
        let packets = Flow.run(path, request: packet, from: origin, peerListens: peerListens, shape: shape)
        let fromStart = path.tracesFromStart(packet.family)
        let separator = (bare: "--", full: "--")
        var lines: [(bare: String, full: String)] = []
        for (position, flowPacket) in packets.enumerated() {
            XCTAssertEqual(flowPacket.outcomes.count, 1, "\(name): one outcome")
            if position > 0 { lines.append(separator) }
            let traced = flowPacket.outcomes.first?.traceLines(fromStart: fromStart) ?? []
            lines += traced.map { ($0.text, $0.kernelText) }
        }
        if packets.count == 1 { lines.append(separator) }
        return lines
    }
}
