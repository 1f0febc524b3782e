// libxt_realm.c / net/netfilter/xt_realm.c: the routing realm.

extension ExtensionSpec {
    /// `-m realm [!] --realm VALUE[/MASK]` (IPv4; realm names from /etc/iproute2 are not read).
    public static let realm = ExtensionSpec(
        "realm", kind: .match, families: .ipv4,
        options: [OptionSpec("realm", .masked(bits: 32), negatable: true, required: true)],
        hooks: [.postrouting, .forward, .output, .input], listing: .realm)
}

// libipt_realm.c realm_print: `[!] realm 0xV[/0xM]` (a name from /etc/iproute2/rt_realms
// without -n).
extension ListingForm {
    static let realm = ListingForm.keywords([ListingKeyword("realm", "realm")])
}
