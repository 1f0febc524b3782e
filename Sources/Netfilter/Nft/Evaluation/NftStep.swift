// net/netfilter/nf_tables_trace.c and nftables' src/trace.c: what `nft monitor trace`
// reports of a packet: the packet as a base chain sees it, each rule that ran to its end
// with the verdict it gave, and a base chain's policy.

/// One entry of an nft walk: a rule visited (run to its end or stopped by a relation), a
/// chain's policy, or why the walk stopped.
public struct NftStep: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The rule ran to its end; nft's verdict word (`accept`, `continue`, `jump web`).
        case rule(verdict: String)
        /// A relation of the rule did not hold (why).
        case skipped(String)
        /// The base chain's end: its policy (`accept` or `drop`).
        case policy(String)
        /// The walk stopped without a verdict (why).
        case stop(String)
    }

    public var family: NftFamily
    public var table: String
    public var chain: String
    /// The rule's number in its chain (1 for the first), nil for an entry, a policy or a stop.
    public var number: Int?
    /// The rule as nft lists it.
    public var ruleText: String?
    public var kind: Kind
    /// Whether the packet carried nftrace when the entry ran (nft reports only then).
    public var traced: Bool
    /// The packet's mark after the entry (nft prints it on policy lines when it is not 0).
    public var mark: UInt32?
    /// How many jumps deep the walk was.
    public var depth = 0
    /// Whether the rule's nat statement rewrote the source (snat, masquerade) or the
    /// destination (dnat, redirect).
    public var rewritesSource = false
    public var rewritesDestination = false
    /// The NAT the rule's statement did.
    public var nat: NftNATDone?
    /// What the rule's reject sends back, in iptables' words (`tcp-reset`).
    public var answer: String?
    /// The rule's comment.
    public var comment: String?

    /// `inet filter input`: the place as nft's trace names it.
    public var place: String { "\(family.rawValue) \(table) \(chain)" }

    /// Whether a rule was visited without running to its end.
    public var isSkip: Bool {
        if case .skipped = kind { return true }
        return false
    }
}

/// One end of an nft chain walk, for one class of packets (`NftStage` makes it a
/// `WalkResult`).
public struct NftResult: Sendable, Hashable {
    /// ACCEPT, DROP or QUEUE; nil when the walk could not be decided.
    public var verdict: StandardVerdict?
    /// Why the verdict is missing.
    public var undetermined: String?
    /// What a reject answers the sender, in iptables' words (`icmp-port-unreachable`,
    /// `tcp-reset`).
    public var answer: String?
    public var packet: Packet
    /// The packets this outcome is for (nil: every packet described).
    public var packets: PacketSpace?
    /// What the walk did to open fields (see `SymbolicEnvironment`).
    public var environment = SymbolicEnvironment()
    public var steps: [NftStep] = []
    /// The probability of this outcome for the class's packets where a random number
    /// (`numgen random`) chose among outcomes.
    public var probability: Double? = 1
    /// What the current rule's nat statement rewrote, until the rule's step records it.
    var rewrote = NATDone()

    /// Which addresses a nat statement rewrote, and how.
    struct NATDone: Sendable, Hashable {
        var source = false
        var destination = false
        var nat: NftNATDone?
    }

    public init(packet: Packet, packets: PacketSpace? = nil) {
        self.packet = packet
        self.packets = packets
    }

    /// Sets the mark (or the connection's mark) to `(mark & ~mask) ^ value`, on an open
    /// mark as a rewrite of the arrived one.
    mutating func setBits(_ field: PacketField, value: UInt64, mask: UInt64) {
        let open = field == .mark ? packet.open.contains(.mark) : packet.conntrack.mark == nil
        guard open else {
            let old = UInt64(field == .mark ? packet.mark : packet.conntrack.mark ?? 0)
            let new = UInt32(truncatingIfNeeded: (old & ~mask) ^ value)
            if field == .mark { packet.mark = new } else { packet.conntrack.mark = new }
            return
        }
        var walk = WalkResult(verdict: nil, undetermined: nil, packet: packet, steps: [], packets: packets,
                              environment: environment)
        walk.setBits(field, value: value, mask: mask)
        packet = walk.packet
        environment = walk.environment
    }

    /// A field changed in a way the algebra does not follow (masquerade's address, a mark
    /// set from another field): open from here on, named by what changed it.
    mutating func rewriteOpaquely(_ field: PacketField, by text: String) {
        environment.rewrites[field] = .opaque(text)
        switch field {
        case .source: packet.source = nil
        case .destination: packet.destination = nil
        case .sourcePort: packet.sourcePort = nil
        case .destinationPort: packet.destinationPort = nil
        case .mark: packet.open.insert(.mark)
        case .connmark: packet.conntrack.mark = nil
        default: break
        }
    }
}

/// The NAT an nft statement did: its kind and its word (`dnat`, `masquerade`).
public struct NftNATDone: Sendable, Hashable {
    public var kind: NATKind
    public var word: String
}
