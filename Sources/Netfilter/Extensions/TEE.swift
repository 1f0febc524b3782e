// libxt_TEE.c / net/netfilter/xt_TEE.c: send a copy of the packet to a gateway.

extension ExtensionSpec {
    /// `-j TEE --gateway ADDR [--oif IFACE]`.
    public static let tee = ExtensionSpec(
        "TEE", kind: .target,
        options: [
            OptionSpec("gateway", .address, required: true),
            OptionSpec("oif", .interface),
        ])
}
