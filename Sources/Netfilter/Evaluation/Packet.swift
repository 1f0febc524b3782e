/// The connection tracking state a packet has when it reaches a rule (xt_conntrack's
/// ctstate, xt_state's state).
public enum ConntrackState: String, Sendable, Hashable, CaseIterable {
    case new = "NEW"
    case established = "ESTABLISHED"
    case related = "RELATED"
    case invalid = "INVALID"
    case untracked = "UNTRACKED"
}

/// A described packet: what the matches read. A field left nil is unknown, and a match
/// that needs it evaluates to unknown rather than guessing.
public struct Packet: Sendable, Hashable {
    public var family: Family
    public var `protocol`: UInt8?
    public var source: IPAddress?
    public var destination: IPAddress?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    /// The input and output devices. `""` is none (the kernel's empty name). nil is not
    /// given: none where the hook has no such device (OUTPUT has no input device,
    /// PREROUTING and INPUT no output device), any device where it has one (the device is
    /// open, see `inInterfaceIsOpen`).
    public var inInterface: String? { didSet { inInterfaceKey = DeviceKey(inInterface ?? "") } }
    public var outInterface: String? { didSet { outInterfaceKey = DeviceKey(outInterface ?? "") } }
    /// The device names as the kernel compares them (see `DeviceKey`), kept in step.
    private(set) var inInterfaceKey = DeviceKey("")
    private(set) var outInterfaceKey = DeviceKey("")
    /// A second or later fragment (`-f`).
    public var isFragment: Bool
    /// TCP flags as bits FIN=1, SYN=2, RST=4, PSH=8, ACK=16, URG=32, ECE=64, CWR=128.
    public var tcpFlags: UInt8?
    public var icmpType: UInt8?
    public var icmpCode: UInt8?
    public var conntrackState: ConntrackState?
    /// The IP packet's length in bytes (the length match).
    public var length: UInt16?
    /// TTL (IPv4) or hop limit (IPv6).
    public var ttl: UInt8?
    /// The TOS / traffic class byte (DSCP is its top six bits).
    public var tos: UInt8?
    /// The connection's mark.
    public var connmark: UInt32?
    /// Set while the raw table walks a packet at PREROUTING or OUTPUT: conntrack (priority
    /// -200) has not looked at it yet, so it has no connection (ctstate INVALID, no connmark)
    /// unless one was attached when it was made (`connectionAttached`).
    public var beforeConntrack = false
    /// A packet the kernel made with its connection already attached (nf_send_reset's
    /// reset: nf_ct_attach), which the raw table sees as RELATED.
    public var connectionAttached = false
    /// Conntrack has not given the packet a connection yet (the raw table), and none came
    /// with it.
    var awaitsConntrack: Bool { beforeConntrack && !connectionAttached }
    /// Whether the packet belongs to a connection at this point (what connmark, CONNMARK
    /// and conntrack's tuple options need).
    public var hasConnection: Bool {
        if awaitsConntrack { return false }
        guard let state = conntrackState else { return true }
        return state != .untracked && state != .invalid
    }
    /// The state the conntrack and state matches see: INVALID before conntrack ran (but for
    /// an untracked packet). nil while the state is open: before conntrack, it may be that of
    /// an untracked packet too.
    public var visibleConntrackState: ConntrackState? {
        guard awaitsConntrack, let state = conntrackState else { return conntrackState }
        return state == .untracked ? .untracked : .invalid
    }
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
    /// What the rules may read of the host (its addresses, routes, ipsets), shared by every
    /// packet walked on it.
    public var host: HostContext {
        get { context.value.host }
        set { updateContext { $0.host = newValue } }
    }
    /// The addresses local to the host (for addrtype LOCAL); nil when not described.
    public var localAddresses: Set<IPAddress>? {
        get { context.value.host.localAddresses }
        set { host.localAddresses = newValue }
    }
    /// Each host device's addresses, primary first (what MASQUERADE and REDIRECT pick
    /// from); nil when not described.
    public var deviceAddresses: [String: [IPAddress]]? {
        get { context.value.host.deviceAddresses }
        set { host.deviceAddresses = newValue }
    }
    /// How the host picks a source address for MASQUERADE (IPv4); nil when not known.
    public var sourceSelection: SourceSelection? {
        get { context.value.host.sourceSelection }
        set { host.sourceSelection = newValue }
    }
    /// The host's ipsets (from a snapshot's ipset.save); nil when not known.
    public var ipsets: IPSets? {
        get { context.value.host.ipsets }
        set { host.ipsets = newValue }
    }
    /// The packet's connection (its original tuple, the packet's direction and the NAT
    /// done to it), when a flow describes it; nil when unknown.
    public var connection: Connection? {
        get { context.value.connection }
        set { updateContext { $0.connection = newValue } }
    }
    /// The host's local routing table, for addrtype (nil when not known).
    public var addressTypes: AddressTypes? {
        get { context.value.host.addressTypes }
        set { host.addressTypes = newValue }
    }
    /// The hook the packet is at, set by the walk (NETMAP maps the destination at
    /// PREROUTING and OUTPUT, the source at POSTROUTING and INPUT).
    public var hook: Hook?
    /// The kernel's nf_trace bit: set by the TRACE target, it makes later rules log.
    public var traced: Bool
    /// Whether the connection's destination / source NAT was already decided (by an
    /// earlier hook of this packet's trip): nf_nat consults the nat table once per manip.
    public var destinationNATDecided = false
    public var sourceNATDecided = false
    /// For a later packet of a NATed connection (a reply): the rewrites conntrack applies
    /// at the NAT points without consulting the nat table.
    public var bindingRewrite: BindingRewrite? {
        get { context.value.bindingRewrite }
        set { updateContext { $0.bindingRewrite = newValue } }
    }

    /// The host and the connection, kept out of line in one shared immutable box: packets
    /// are copied at every table, and these rarely change (the host's, never during a walk).
    /// One box for both: a second reference would be retained and released on every copy.
    private var context = ContextBox.empty

    private struct Context: Sendable, Hashable {
        var host = HostContext()
        /// What conntrack knows of the packet's connection.
        var bindingRewrite: BindingRewrite?
        var connection: Connection?
    }

    private final class ContextBox: Sendable, Hashable {
        let value: Context
        init(_ value: Context) { self.value = value }
        static let empty = ContextBox(Context())
        static func == (lhs: ContextBox, rhs: ContextBox) -> Bool { lhs === rhs || lhs.value == rhs.value }
        func hash(into hasher: inout Hasher) { hasher.combine(value) }
    }

    private mutating func updateContext(_ change: (inout Context) -> Void) {
        var value = context.value
        change(&value)
        context = ContextBox(value)
    }

    public init(family: Family = .ipv4) {
        self.family = family
        isFragment = false
        mark = 0
        traced = false
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

extension Packet {
    /// Whether the input device is open: not given where the packet has one (at a hook with
    /// an input device, or in a chain walked alone, where it may also be none).
    public var inInterfaceIsOpen: Bool { inInterface == nil && (hook?.hasInputDevice ?? true) }
    /// Whether the output device is open (see `inInterfaceIsOpen`).
    public var outInterfaceIsOpen: Bool { outInterface == nil && (hook?.hasOutputDevice ?? true) }
}

extension Hook {
    /// Whether packets have an input device here (at POSTROUTING, a forwarded packet's; a
    /// locally generated one has none).
    public var hasInputDevice: Bool { self != .output }
    /// Whether packets have an output device here.
    public var hasOutputDevice: Bool { self == .forward || self == .output || self == .postrouting }
    /// Whether every packet has an input device here (POSTROUTING's locally generated
    /// packets have none).
    var alwaysHasInputDevice: Bool { self == .prerouting || self == .input || self == .forward }
}

/// An address and an optional port.
public struct Endpoint: Sendable, Hashable {
    public var address: IPAddress?
    public var port: UInt16?

    public init(address: IPAddress?, port: UInt16? = nil) {
        self.address = address
        self.port = port
    }
}

/// What conntrack rewrites on a packet of a NATed connection: the destination at
/// PREROUTING or OUTPUT (NAT_DST), the source at POSTROUTING or INPUT (NAT_SRC).
public struct BindingRewrite: Sendable, Hashable {
    public var destination: Endpoint?
    public var source: Endpoint?

    public init(destination: Endpoint? = nil, source: Endpoint? = nil) {
        self.destination = destination
        self.source = source
    }
}

/// What conntrack knows of a packet's connection: the original direction's tuple, whether
/// this packet goes the reply way, and the NAT its replies undo.
public struct Connection: Sendable, Hashable {
    public var source: IPAddress?
    public var destination: IPAddress?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    public var `protocol`: UInt8?
    /// The packet travels in the reply direction (a reply, or an error sent back for it).
    public var isReply: Bool
    /// For packets in the reply direction: the connection's source / destination NAT
    /// (IPS_SRC_NAT, IPS_DST_NAT). In the original direction they follow from the packet's
    /// addresses against the tuple.
    public var sourceNAT: Bool
    public var destinationNAT: Bool
    /// For a packet going back in a flow (a reply, an answer): the fields of its class that
    /// stand for the request's, turned around (`FlowPacket.answeringFields`), where the
    /// class reads the original tuple; empty where it does not.
    public var answeringFields: Set<PacketField> = []

    public init(of packet: Packet, isReply: Bool = false, sourceNAT: Bool = false, destinationNAT: Bool = false) {
        source = packet.source
        destination = packet.destination
        sourcePort = packet.sourcePort
        destinationPort = packet.destinationPort
        self.protocol = packet.protocol
        self.isReply = isReply
        self.sourceNAT = sourceNAT
        self.destinationNAT = destinationNAT
    }
}
