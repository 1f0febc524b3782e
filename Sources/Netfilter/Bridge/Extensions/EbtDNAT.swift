// libebt_nat.c / net/bridge/netfilter/ebt_dnat.c: rewrites the frame's destination MAC, then
// gives the rule's verdict (`--dnat-target`, ACCEPT when not given). The kernel lets it run
// in nat PREROUTING and OUTPUT and in broute BROUTING (ebt_dnat_tg_check).

extension EbtablesModule {
    /// `-j dnat --to-dst MAC [--dnat-target VERDICT]`.
    static let dnat = EbtablesModule("dnat", .target, options: [
        EbtablesOption(["--to-dst", "--to-destination"], module: "", .mac, negatable: false),
        EbtablesOption(["--dnat-target"], module: "", .target, negatable: false),
    ], places: [("nat", "PREROUTING"), ("nat", "OUTPUT"), ("broute", "BROUTING")], required: ["--to-dst"],
       read: EbtDNAT.init)
}

/// The dnat target's options, typed.
struct EbtDNAT: EbtablesExtension {
    var mac: MACAddress?
    var verdict: String

    init(_ options: EbtablesOptions) {
        (mac, verdict) = (options.mac("--to-dst"), options.verdict("--dnat-target", default: "ACCEPT"))
    }

    /// The new destination; a broadcast or multicast one makes the frame such (ebt_dnat_tg);
    /// a unicast one host or otherhost by whose address it is, which the walk does not know.
    func apply(to result: inout EbtablesResult) -> String {
        guard let mac else { return verdict }
        result.packet.destinationMAC = mac
        result.packet.packetType = mac.value == 0xFFFF_FFFF_FFFF ? "broadcast"
            : mac.value & 0x0100_0000_0000 != 0 ? "multicast" : nil
        return verdict
    }
}
