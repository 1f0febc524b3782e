// The modules of ebtables-nft (iptables/extensions/libebt_*.c) and their kernel halves
// (net/bridge/netfilter/ebt_*.c): each declared in its own file.

extension EbtablesModule {
    /// Every module verdict knows, the one list of them: ebtables' own options, the matches,
    /// the watchers and the targets (in the order `-j`'s message names them).
    public static let all: [EbtablesModule] = [
        .basic,
        .ieee8023, .among, .arp, .ip, .ip6, .limit, .markMatch, .pkttype, .stp, .vlan,
        .log, .nflog,
        .markTarget, .dnat, .snat, .redirect, .arpreply,
    ]

    /// The modules of one kind, in the registry's order.
    static func all(_ kind: Kind) -> [EbtablesModule] { all.filter { $0.kind == kind } }
}
