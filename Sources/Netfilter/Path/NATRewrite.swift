/// NAT done to a packet at a hook, as nf_nat does it: the destination at PREROUTING and
/// OUTPUT, the source at INPUT and POSTROUTING; by a nat table rule for a connection's
/// first packet, by conntrack applying the connection's binding for its later packets and
/// replies. Recorded where it happens, so the text, JSON and pictures read it instead of
/// comparing the packet before and after.
public struct NATRewrite: Sendable, Hashable {
    /// Which end of the packet was rewritten.
    public enum End: String, Sendable, Hashable {
        case source, destination
    }

    /// What rewrote it.
    public enum Cause: Sendable, Hashable {
        /// A nat table rule's target (DNAT, REDIRECT, SNAT, MASQUERADE, NETMAP).
        case target(String)
        /// Conntrack, with the connection's NAT binding: the same rewrite for a later
        /// packet, its undoing for a reply.
        case binding
    }

    public var hook: Hook
    public var end: End
    public var cause: Cause
    /// The rewritten end's address and port after the hook (nil: left open by the class).
    public var address: IPAddress?
    public var port: UInt16?

    public init(hook: Hook, end: End, cause: Cause, address: IPAddress?, port: UInt16?) {
        self.hook = hook
        self.end = end
        self.cause = cause
        self.address = address
        self.port = port
    }

    /// The NAT a hook's walk did: a matched step's NAT target for the end this hook
    /// rewrites, or else conntrack's binding for that end taken off the packet.
    static func done(at hook: Hook, steps: [TraceStep], before: Packet, after: Packet) -> NATRewrite? {
        let end: End = hook.natRewritesDestination ? .destination : .source
        let cause: Cause
        let byRule = steps.last { step in
            step.kind == .matched && (end == .destination ? step.rewritesDestination : step.rewritesSource)
        }
        if let name = byRule?.targetSpec?.name {
            cause = .target(name)
        } else {
            let binding = { (packet: Packet) in
                end == .destination ? packet.conntrack.binding?.destination : packet.conntrack.binding?.source
            }
            guard binding(before) != nil, binding(after) == nil else { return nil }
            cause = .binding
        }
        return end == .destination
            ? NATRewrite(hook: hook, end: end, cause: cause, address: after.destination, port: after.destinationPort)
            : NATRewrite(hook: hook, end: end, cause: cause, address: after.source, port: after.sourcePort)
    }

    /// The rewritten end in words: `10.0.2.15:8080`, `?` for an address the class leaves open.
    public var endpoint: String { PacketDescription.endpoint(address, port) }

    /// The rewrite in words, for a packet that is a flow's request or reply:
    /// `DNAT: destination → 172.17.0.2:80`, `conntrack: source → 10.0.2.15:80 (undoing DNAT)`.
    public func description(request: Bool) -> String {
        switch cause {
        case .target(let name):
            return "\(name): \(end.rawValue) → \(endpoint)"
        case .binding:
            let undone = end == .destination ? "SNAT" : "DNAT"
            let reason = request ? "the connection's NAT" : "undoing \(undone)"
            return "conntrack: \(end.rawValue) → \(endpoint) (\(reason))"
        }
    }
}
