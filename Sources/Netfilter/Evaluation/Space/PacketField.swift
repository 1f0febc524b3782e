/// A header field the packet-class algebra models: each has a value domain, and a class
/// of packets constrains some of them.
public enum PacketField: Int, Sendable, Hashable, CaseIterable, Comparable {
    case source, destination, `protocol`, sourcePort, destinationPort, icmp
    case inInterface, outInterface, state, fragment
    case mark, connmark, tcpFlags
    /// The link-layer packet type (skb->pkt_type: what the pkttype matches read).
    case packetType

    public static func < (lhs: PacketField, rhs: PacketField) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether values are bit patterns under masks (marks, TCP flags) rather than ranges.
    public var isTernary: Bool { self == .mark || self == .connmark || self == .tcpFlags }

    /// The largest value of the field in a family (interval fields).
    public func maximum(_ family: Family) -> UInt128 {
        switch self {
        case .source, .destination: return family == .ipv4 ? UInt128(UInt32.max) : .max
        case .protocol: return 255
        case .sourcePort, .destinationPort, .icmp: return 65535
        case .inInterface, .outInterface: return .max
        case .state: return UInt128(ConntrackStateValue.allCases.count - 1)
        case .fragment: return 1
        case .mark, .connmark: return UInt128(UInt32.max)
        case .tcpFlags: return 255
        case .packetType: return UInt128(PacketTypeValue.allCases.count - 1)
        }
    }

    /// The whole domain of the field.
    public func full(_ family: Family) -> FieldSet {
        isTernary ? .ternary(.full) : .intervals(IntervalSet(0, maximum(family)))
    }
}

/// The link-layer packet types a packet has at a netfilter hook (PACKET_HOST 0 ...
/// PACKET_OTHERHOST 3, as skb->pkt_type numbers them, set by eth_type_trans), as values of
/// the packet type field; verdict names PACKET_HOST `unicast`, as `-m pkttype` prints it.
/// PACKET_OUTGOING is only a packet socket's copy, and xt_pkttype reads PACKET_LOOPBACK as
/// multicast or broadcast: no rule sees either.
public enum PacketTypeValue: Int, Sendable, CaseIterable {
    case host, broadcast, multicast, otherhost

    public var name: String {
        switch self {
        case .host: return "unicast"
        case .broadcast: return "broadcast"
        case .multicast: return "multicast"
        case .otherhost: return "otherhost"
        }
    }

    /// The type a packet's `packetType` names (`host` and `unicast` are PACKET_HOST).
    public init?(name: String) {
        if name == "host" {
            self = .host
            return
        }
        guard let type = PacketTypeValue.allCases.first(where: { $0.name == name }) else { return nil }
        self = type
    }

    /// The values of the packet type field a type's name stands for: none for a type no
    /// packet has at a hook (`outgoing`, `loopback`).
    public static func values(named name: String) -> IntervalSet {
        PacketTypeValue(name: name).map { IntervalSet(value: UInt128($0.rawValue)) } ?? IntervalSet()
    }

    /// The types among a set of the field's values, as a class shows them: `unicast,multicast`.
    public static func text(of values: IntervalSet) -> String {
        allCases.filter { values.contains(UInt128($0.rawValue)) }.map(\.name).joined(separator: ",")
    }
}

/// The connection-tracking states `--ctstate` and `--state` name, as values of the state field.
public enum ConntrackStateValue: Int, Sendable, CaseIterable {
    case invalid, new, established, related, untracked

    public var name: String {
        switch self {
        case .invalid: return "INVALID"
        case .new: return "NEW"
        case .established: return "ESTABLISHED"
        case .related: return "RELATED"
        case .untracked: return "UNTRACKED"
        }
    }

    public init?(name: String) {
        guard let state = ConntrackStateValue.allCases.first(where: { $0.name == name }) else { return nil }
        self = state
    }

    /// The states among a set of the state field's values, as a class shows them:
    /// `NEW,ESTABLISHED`.
    public static func text(of values: IntervalSet) -> String {
        allCases.filter { values.contains(UInt128($0.rawValue)) }.map(\.name).joined(separator: ",")
    }
}

/// The values one field may take in a packet class.
public enum FieldSet: Sendable, Hashable {
    case intervals(IntervalSet)
    case ternary(TernarySet)

    public var isEmpty: Bool {
        switch self {
        case .intervals(let set): return set.isEmpty
        case .ternary(let set): return set.isEmpty
        }
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        switch (self, other) {
        case (.intervals(let a), .intervals(let b)): return .intervals(a.intersection(b))
        case (.ternary(let a), .ternary(let b)): return .ternary(a.intersection(b))
        default: return self
        }
    }

    public func intersects(_ other: FieldSet) -> Bool {
        switch (self, other) {
        case (.intervals(let a), .intervals(let b)): return a.intersects(b)
        case (.ternary(let a), .ternary(let b)): return a.intersects(b)
        default: return true
        }
    }

    public func subtracting(_ other: FieldSet) -> FieldSet {
        switch (self, other) {
        case (.intervals(let a), .intervals(let b)): return .intervals(a.subtracting(b))
        case (.ternary(let a), .ternary(let b)): return .ternary(a.subtracting(b))
        default: return self
        }
    }

    /// Whether this is every value of the field.
    public func isFull(_ field: PacketField, _ family: Family) -> Bool {
        switch self {
        case .intervals(let set): return set.isExactly(0, field.maximum(family))
        case .ternary(let set): return set.complement.isEmpty
        }
    }
}

extension InterfaceName {
    /// The name as a number whose order is the names' byte order, so that a `+` prefix is
    /// one interval: the bytes, padded with zeros to 16, big-endian.
    public static func encode<S: Sequence>(_ bytes: S, padding: UInt8 = 0) -> UInt128 where S.Element == UInt8 {
        var value: UInt128 = 0
        var count = 0
        for byte in bytes where count < 16 {
            value = value << 8 | UInt128(byte)
            count += 1
        }
        while count < 16 {
            value = value << 8 | UInt128(padding)
            count += 1
        }
        return value
    }

    /// The interface names this pattern matches, as an interval of encoded names.
    public var encodedRange: IntervalSet {
        isWildcard
            ? IntervalSet(InterfaceName.encode(prefix.utf8), InterfaceName.encode(prefix.utf8, padding: 0xFF))
            : IntervalSet(value: InterfaceName.encode(text.utf8))
    }

    /// The name an encoded value stands for.
    public static func decode(_ value: UInt128) -> String {
        var bytes: [UInt8] = []
        for index in (0..<16).reversed() {
            let byte = UInt8(truncatingIfNeeded: value >> (UInt128(index) * 8))
            if byte == 0 { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
