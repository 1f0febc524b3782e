// libebt_arpreply.c / net/bridge/netfilter/ebt_arpreply.c: answers an ARP request with the
// given MAC address, then gives the rule's verdict (`--arpreply-target`, DROP when not
// given). The kernel needs `-p ARP` and nat PREROUTING; for a frame that is not an IPv4
// ARP request it does nothing and the walk goes on (EBT_CONTINUE).

extension EbtablesModule {
    /// `-j arpreply --arpreply-mac MAC [--arpreply-target VERDICT]`.
    static let arpreply = EbtablesModule("arpreply", .target, protocols: [0x0806], options: [
        EbtablesOption(["--arpreply-mac"], module: "", .mac, negatable: false),
        EbtablesOption(["--arpreply-target"], module: "", .target, negatable: false),
    ], places: [("nat", "PREROUTING")], required: ["--arpreply-mac"], read: EbtARPReply.init)
}

/// The arpreply target's options, typed.
struct EbtARPReply: EbtablesExtension {
    var mac: MACAddress?
    var verdict: String

    init(_ options: EbtablesOptions) {
        (mac, verdict) = (options.mac("--arpreply-mac"), options.verdict("--arpreply-target", default: "DROP"))
    }

    /// verdict's frames are IPv4 or IPv6, never an ARP request: the walk continues.
    func apply(to result: inout EbtablesResult) -> String { "CONTINUE" }
}
