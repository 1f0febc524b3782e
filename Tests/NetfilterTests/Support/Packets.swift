@testable import Netfilter

/// The packets tests describe most: a TCP segment or an ICMP echo request between IPv4
/// addresses; the other fields stay unknown until a test sets them.
extension Packet {
    static func tcp(_ source: IPv4Address, _ sourcePort: UInt16, _ destination: IPv4Address, _ destinationPort: UInt16) -> Packet {
        var packet = Packet()
        packet.protocol = IPProtocol.tcp
        packet.source = .v4(source)
        packet.destination = .v4(destination)
        packet.sourcePort = sourcePort
        packet.destinationPort = destinationPort
        return packet
    }

    static func echoRequest(_ source: IPv4Address?, _ destination: IPv4Address) -> Packet {
        var ping = Packet()
        ping.protocol = IPProtocol.icmp
        ping.source = source.map { .v4($0) }
        ping.destination = .v4(destination)
        ping.icmpType = 8
        ping.icmpCode = 0
        return ping
    }
}
