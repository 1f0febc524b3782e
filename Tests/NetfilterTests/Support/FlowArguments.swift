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
            case "--icmp-type": packet.icmpType = try number(UInt8.self); packet.icmpCode = 0
            case "--syn": packet.tcpFlags = 0x02
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

    /// The TRACE lines verdict prints for the exchange: the request's, `--`, the reply's.
    func kernelLines(_ path: HostPath, name: String) -> [String] {
        let packets = Flow.run(path, request: packet, from: origin, peerListens: peerListens, shape: shape)
        let fromStart = path.tracesFromStart(packet.family)
        var lines: [String] = []
        for (position, flowPacket) in packets.enumerated() {
            XCTAssertEqual(flowPacket.outcomes.count, 1, "\(name): one outcome")
            if position > 0 { lines.append("--") }
            lines += flowPacket.outcomes.first?.kernelLines(fromStart: fromStart) ?? []
        }
        if packets.count == 1 { lines.append("--") }
        return lines
    }
}
