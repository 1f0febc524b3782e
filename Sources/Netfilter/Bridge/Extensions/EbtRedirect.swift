// libebt_redirect.c / net/bridge/netfilter/ebt_redirect.c: makes the frame the host's: its
// destination MAC becomes the bridge's address (the input port's in broute BROUTING) and
// its packet type PACKET_HOST; then the rule's verdict (`--redirect-target`, ACCEPT when
// not given). The kernel lets it run in nat PREROUTING and broute BROUTING.

extension EbtablesModule {
    /// `-j redirect [--redirect-target VERDICT]`.
    static let redirect = EbtablesModule("redirect", .target, options: [
        EbtablesOption(["--redirect-target"], module: "", .target, negatable: false),
    ], places: [("nat", "PREROUTING"), ("broute", "BROUTING")], read: EbtRedirect.init)
}

/// The redirect target's options, typed.
struct EbtRedirect: EbtablesExtension {
    var verdict: String

    init(_ options: EbtablesOptions) {
        verdict = options.verdict("--redirect-target", default: "ACCEPT")
    }

    /// The destination becomes an address the walk does not know (the bridge's): open.
    func apply(to result: inout EbtablesResult) -> String {
        result.packet.destinationMAC = nil
        result.packet.packetType = "unicast"
        return verdict
    }
}
