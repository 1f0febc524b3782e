// libebt_nat.c / net/bridge/netfilter/ebt_snat.c: rewrites the frame's source MAC (and, with
// --snat-arp, an ARP frame's sender address), then gives the rule's verdict (`--snat-target`,
// ACCEPT when not given). The kernel lets it run in nat POSTROUTING only.

extension EbtablesModule {
    /// `-j snat --to-src MAC [--snat-target VERDICT] [--snat-arp]`.
    static let snat = EbtablesModule("snat", .target, options: [
        EbtablesOption(["--to-src", "--to-source"], module: "", .mac, negatable: false),
        EbtablesOption(["--snat-target"], module: "", .target, negatable: false),
        EbtablesOption(["--snat-arp"], module: "", nil, negatable: false),
    ], places: [("nat", "POSTROUTING")], required: ["--to-src"], read: EbtSNAT.init)
}

/// The snat target's options, typed.
struct EbtSNAT: EbtablesExtension {
    var mac: MACAddress?
    var verdict: String
    /// `--snat-arp`: ARP frames' sender address too (none of verdict's frames is one).
    var arp: Bool

    init(_ options: EbtablesOptions) {
        (mac, verdict) = (options.mac("--to-src"), options.verdict("--snat-target", default: "ACCEPT"))
        arp = options["--snat-arp"] != nil
    }

    func apply(to result: inout EbtablesResult) -> String {
        if let mac { result.packet.sourceMAC = mac }
        return verdict
    }
}
