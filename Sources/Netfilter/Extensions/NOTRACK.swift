// libxt_NOTRACK.c (an alias of CT --notrack) / net/netfilter/xt_CT.c: no connection tracking.

extension ExtensionSpec {
    /// `-j NOTRACK`, raw table only.
    public static let notrack = ExtensionSpec("NOTRACK", kind: .target, tables: ["raw"],
        apply: { _, packet in
            // As CT --notrack: a packet that already has a connection is left alone.
            if !packet.conntrack.attached { packet.conntrack.state = .untracked }
            return .continue
        }, usesConntrack: true, traits: .rewritesModelledFields, symbolic: { _ in .notrack })
}
