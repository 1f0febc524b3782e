// libxt_devgroup.c / net/netfilter/xt_devgroup.c: the interface group of in/out devices.

extension ExtensionSpec {
    /// `-m devgroup [!] --src-group G[/M] [!] --dst-group G[/M]`.
    public static let devgroup = ExtensionSpec(
        "devgroup", kind: .match,
        options: [
            OptionSpec("src-group", .masked(bits: 32), negatable: true),
            OptionSpec("dst-group", .masked(bits: 32), negatable: true),
        ],
        requiresOption: true,
        evaluate: { _, _ in .unknown("the devices' groups were not given") }, listing: .devgroup)
}

// libxt_devgroup.c devgroup_show: `[!] src-group V[/M] [!] dst-group V[/M]` (a name from
// /etc/iproute2/group without -n).
extension ListingForm {
    static let devgroup = ListingForm.keywords([
        ListingKeyword("src-group", "src-group"), ListingKeyword("dst-group", "dst-group"),
    ])
}
