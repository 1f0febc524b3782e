// The watchers (libebt_log.c, libebt_nflog.c) and targets (libebt_mark.c, dnat, snat,
// redirect, arpreply) of ebtables, and where the kernel lets each target run
// (net/bridge/netfilter/ebt_dnat.c ebt_dnat_tg_check, ebt_snat.c, ebt_redirect.c,
// ebt_arpreply.c).

extension EbtablesModule {
    static let watchers: [EbtablesModule] = [
        EbtablesModule("log", .watcher, options: [
            EbtablesOption(["--log"], module: "", nil, negatable: false),
            EbtablesOption(["--log-level"], module: "", .word(logLevels, orNumberUpTo: 7), negatable: false),
            EbtablesOption(["--log-prefix"], module: "", .text(maxLength: 29), negatable: false),
            EbtablesOption(["--log-ip"], module: "", nil, negatable: false),
            EbtablesOption(["--log-arp"], module: "", nil, negatable: false),
            EbtablesOption(["--log-ip6"], module: "", nil, negatable: false),
        ]),
        EbtablesModule("nflog", .watcher, options: [
            EbtablesOption(["--nflog"], module: "", nil, negatable: false),
            EbtablesOption(["--nflog-group"], module: "", .number(max: 0xFFFF), negatable: false),
            EbtablesOption(["--nflog-prefix"], module: "", .text(maxLength: 63), negatable: false),
            EbtablesOption(["--nflog-range"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
            EbtablesOption(["--nflog-threshold"], module: "", .number(max: 0xFFFF), negatable: false),
        ]),
    ]

    static let targets: [EbtablesModule] = [
        EbtablesModule("mark", .target, options: [
            EbtablesOption(["--mark-set", "--set-mark"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
            EbtablesOption(["--mark-or"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
            EbtablesOption(["--mark-and"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
            EbtablesOption(["--mark-xor"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
            EbtablesOption(["--mark-target"], module: "", .target, negatable: false),
        ]),
        EbtablesModule("dnat", .target, options: [
            EbtablesOption(["--to-dst", "--to-destination"], module: "", .mac, negatable: false),
            EbtablesOption(["--dnat-target"], module: "", .target, negatable: false),
        ]),
        EbtablesModule("snat", .target, options: [
            EbtablesOption(["--to-src", "--to-source"], module: "", .mac, negatable: false),
            EbtablesOption(["--snat-target"], module: "", .target, negatable: false),
            EbtablesOption(["--snat-arp"], module: "", nil, negatable: false),
        ]),
        EbtablesModule("redirect", .target, options: [
            EbtablesOption(["--redirect-target"], module: "", .target, negatable: false),
        ]),
        EbtablesModule("arpreply", .target, protocols: [0x0806], options: [
            EbtablesOption(["--arpreply-mac"], module: "", .mac, negatable: false),
            EbtablesOption(["--arpreply-target"], module: "", .target, negatable: false),
        ]),
    ]

    static let logLevels = ["emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"]

    /// The table/chain pairs where the kernel lets a target run; nil: everywhere.
    public static func allowedPlaces(ofTarget name: String) -> [(table: String, chain: String)]? {
        switch name {
        case "dnat": return [("nat", "PREROUTING"), ("nat", "OUTPUT"), ("broute", "BROUTING")]
        case "snat": return [("nat", "POSTROUTING")]
        case "redirect": return [("nat", "PREROUTING"), ("broute", "BROUTING")]
        case "arpreply": return [("nat", "PREROUTING")]
        default: return nil
        }
    }
}
