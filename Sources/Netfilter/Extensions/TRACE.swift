// libxt_TRACE.c / net/netfilter/xt_TRACE.c: mark the packet for TRACE logging.

extension ExtensionSpec {
    /// `-j TRACE`, raw table only.
    public static let trace = ExtensionSpec("TRACE", kind: .target, tables: ["raw"],
        apply: { _, packet in
            packet.hookState.traced = true
            return .continue
        }, traits: [.observes, .tracesPackets])
}
