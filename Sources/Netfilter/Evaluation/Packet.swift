/// The connection tracking state a packet has when it reaches a rule (xt_conntrack's
/// ctstate, xt_state's state).
public enum ConntrackState: String, Sendable, Hashable, CaseIterable {
    case new = "NEW"
    case established = "ESTABLISHED"
    case related = "RELATED"
    case invalid = "INVALID"
    case untracked = "UNTRACKED"
}

/// A described packet, split the kernel's way: its headers and marks (the skb) here, where
/// it is (`hookState`, nf_hook_state), what conntrack knows of it (`conntrack`, the skb's
/// nf_conn) and what the rules may read of the host (`host`, the network namespace). A
/// field left nil is unknown, and a match that needs it evaluates to unknown rather than
/// guessing.
public struct Packet: Sendable, Hashable {
    public var family: Family
    public var `protocol`: UInt8?
    public var source: IPAddress?
    public var destination: IPAddress?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    /// A second or later fragment (`-f`).
    public var isFragment: Bool
    /// TCP flags as bits FIN=1, SYN=2, RST=4, PSH=8, ACK=16, URG=32, ECE=64, CWR=128.
    public var tcpFlags: UInt8?
    public var icmpType: UInt8?
    public var icmpCode: UInt8?
    /// The IP packet's length in bytes (the length match).
    public var length: UInt16?
    /// TTL (IPv4) or hop limit (IPv6).
    public var ttl: UInt8?
    /// The TOS / traffic class byte (DSCP is its top six bits).
    public var tos: UInt8?
    /// unicast, broadcast or multicast (the pkttype match).
    public var packetType: String?
    /// The Ethernet source address (the mac match).
    public var sourceMAC: MACAddress?
    /// The Ethernet destination address (ebtables -d).
    public var destinationMAC: MACAddress?
    /// The bridge ports of a bridged packet (physdev); nil physdevs with `bridged` false
    /// mean the packet was not bridged.
    public var physdevIn: String?
    public var physdevOut: String?
    public var bridged: Bool?
    /// The local socket's owner, for locally generated packets (the owner match).
    public var uid: UInt32?
    public var gid: UInt32?
    /// The packet's mark (see `open`: a mark not given is any mark).
    public var mark: UInt32
    /// The fields not given whose type has no nil: the mark and whether the packet is a later
    /// fragment take any value when open. (Optional fields are open when nil.)
    public var open: OpenFields = []
    /// The hook the packet is at, its devices and its trace bit.
    public var hookState = HookState()
    /// What conntrack knows of the packet at this point.
    public var conntrack = ConnectionView()
    /// What the rules may read of the host (its addresses, routes, ipsets), shared by every
    /// packet walked on it.
    public var host: HostContext {
        get { hostBox.value }
        set { hostBox = HostBox(newValue) }
    }

    /// The host, kept out of line in one shared immutable box: packets are copied at every
    /// table, and the host never changes during a walk.
    private var hostBox = HostBox.empty

    private final class HostBox: Sendable, Hashable {
        let value: HostContext
        init(_ value: HostContext) { self.value = value }
        static let empty = HostBox(HostContext())
        static func == (lhs: HostBox, rhs: HostBox) -> Bool { lhs === rhs || lhs.value == rhs.value }
        func hash(into hasher: inout Hasher) { hasher.combine(value) }
    }

    public init(family: Family = .ipv4) {
        self.family = family
        isFragment = false
        mark = 0
    }
}

/// The fields of a packet with no nil that a description can leave open.
public struct OpenFields: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Any mark.
    public static let mark = OpenFields(rawValue: 1)
    /// A later fragment or not.
    public static let fragment = OpenFields(rawValue: 2)
}

extension Hook {
    /// Whether nf_nat rewrites the destination here (NF_INET_PRE_ROUTING, NF_INET_LOCAL_OUT:
    /// NAT_DST); at the other hooks it rewrites the source.
    public var natRewritesDestination: Bool { self == .prerouting || self == .output }
    /// Whether packets have an input device here (at POSTROUTING, a forwarded packet's; a
    /// locally generated one has none).
    public var hasInputDevice: Bool { self != .output }
    /// Whether packets have an output device here.
    public var hasOutputDevice: Bool { self == .forward || self == .output || self == .postrouting }
    /// Whether every packet has an input device here (POSTROUTING's locally generated
    /// packets have none).
    var alwaysHasInputDevice: Bool { self == .prerouting || self == .input || self == .forward }
}
