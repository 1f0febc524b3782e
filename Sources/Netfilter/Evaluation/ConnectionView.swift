/// What conntrack knows of a packet where a rule reads it, like the skb's nf_conn: the
/// state (ctinfo), the connection's mark, whether conntrack has looked at the packet yet,
/// the NAT nf_nat has decided for the connection and the binding it applies to later
/// packets, and the connection's original tuple when a flow describes it.
public struct ConnectionView: Sendable, Hashable {
    /// The state the packet has (nil: open, any state).
    public var state: ConntrackState?
    /// The connection's mark.
    public var mark: UInt32?
    /// Set while the raw table walks a packet at PREROUTING or OUTPUT: conntrack (priority
    /// -200) has not looked at it yet, so it has no connection (ctstate INVALID, no connmark)
    /// unless one was attached when it was made (`attached`).
    public var beforeConntrack = false
    /// A packet the kernel made with its connection already attached (nf_send_reset's
    /// reset: nf_ct_attach), which the raw table sees as RELATED.
    public var attached = false
    /// Whether the connection's destination / source NAT was already decided (by an
    /// earlier hook of this packet's trip): nf_nat consults the nat table once per manip.
    public var destinationNATDecided = false
    public var sourceNATDecided = false
    /// For a later packet of a NATed connection (a reply): the rewrites conntrack applies
    /// at the NAT points without consulting the nat table.
    public var binding: BindingRewrite? {
        get { details?.binding }
        set { update { $0.binding = newValue } }
    }
    /// The connection (its original tuple, the packet's direction and the NAT done to it),
    /// when a flow describes it; nil when unknown.
    public var tuple: Connection? {
        get { details?.tuple }
        set { update { $0.tuple = newValue } }
    }

    /// The binding and the tuple, out of line in a shared immutable box: packets are copied
    /// at every table, and only a flow's packets have them (nil costs a copy nothing).
    private var details: Details?

    private final class Details: Sendable, Hashable {
        let binding: BindingRewrite?
        let tuple: Connection?
        init(binding: BindingRewrite?, tuple: Connection?) {
            self.binding = binding
            self.tuple = tuple
        }
        static func == (lhs: Details, rhs: Details) -> Bool {
            lhs === rhs || (lhs.binding == rhs.binding && lhs.tuple == rhs.tuple)
        }
        func hash(into hasher: inout Hasher) {
            hasher.combine(binding)
            hasher.combine(tuple)
        }
    }

    private mutating func update(_ change: (inout (binding: BindingRewrite?, tuple: Connection?)) -> Void) {
        var parts = (binding: details?.binding, tuple: details?.tuple)
        change(&parts)
        details = parts.binding == nil && parts.tuple == nil ? nil : Details(binding: parts.binding, tuple: parts.tuple)
    }

    public init(state: ConntrackState? = nil, mark: UInt32? = nil) {
        self.state = state
        self.mark = mark
    }

    /// Records that nf_nat has decided the connection's destination (or source) NAT.
    mutating func decideNAT(destination: Bool) {
        if destination { destinationNATDecided = true } else { sourceNATDecided = true }
    }

    /// Conntrack has not given the packet a connection yet (the raw table), and none came
    /// with it.
    var awaitsConntrack: Bool { beforeConntrack && !attached }
    /// Whether the packet belongs to a connection at this point (what connmark, CONNMARK
    /// and conntrack's tuple options need).
    public var hasConnection: Bool {
        if awaitsConntrack { return false }
        guard let state else { return true }
        return state != .untracked && state != .invalid
    }
    /// The state the conntrack and state matches see: INVALID before conntrack ran (but for
    /// an untracked packet). nil while the state is open: before conntrack, it may be that of
    /// an untracked packet too.
    public var visibleState: ConntrackState? {
        guard awaitsConntrack, let state else { return state }
        return state == .untracked ? .untracked : .invalid
    }
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
