extension PacketCube {
    /// Whether a concrete packet is in the class. A field the packet has no value for
    /// (ports of an ICMP packet, ICMP type of a TCP segment, flags of a UDP datagram) does
    /// not exclude it: no rule reads it for such a packet. Conditions are not checked.
    public func contains(_ packet: Packet) -> Bool {
        for constraint in constraints {
            guard let value = PacketCube.value(of: constraint.field, in: packet) else { continue }
            if !constraint.set.contains(value) { return false }
        }
        return true
    }

    /// A packet's value of a field in the algebra's encoding; nil when it has none.
    public static func value(of field: PacketField, in packet: Packet) -> UInt128? {
        switch field {
        case .source: return packet.source.map(RuleSpace.value)
        case .destination: return packet.destination.map(RuleSpace.value)
        case .protocol: return packet.protocol.map { UInt128($0) }
        case .sourcePort: return packet.sourcePort.map { UInt128($0) }
        case .destinationPort: return packet.destinationPort.map { UInt128($0) }
        case .icmp: return packet.icmpType.map { UInt128($0) << 8 | UInt128(packet.icmpCode ?? 0) }
        case .inInterface: return InterfaceName.encode((packet.hookState.inInterface ?? "").utf8)
        case .outInterface: return InterfaceName.encode((packet.hookState.outInterface ?? "").utf8)
        case .state:
            return packet.conntrack.state.flatMap { ConntrackStateValue(name: $0.rawValue) }.map { UInt128($0.rawValue) }
        case .fragment: return packet.isFragment ? 1 : 0
        case .mark: return UInt128(packet.mark)
        case .connmark: return packet.conntrack.mark.map { UInt128($0) }
        case .tcpFlags: return packet.tcpFlags.map { UInt128($0) }
        case .packetType: return packet.packetType.flatMap(PacketTypeValue.init(name:)).map { UInt128($0.rawValue) }
        }
    }
}
