// libxt_connmark.c / net/netfilter/xt_connmark.c (connmark_mt): the connection's mark under a mask.

extension ExtensionSpec {
    /// `-m connmark [!] --mark VALUE[/MASK]`.
    public static let connmark = ExtensionSpec(
        "connmark", kind: .match,
        options: [OptionSpec("mark", .masked(bits: 32), negatable: true, required: true)],
        evaluate: { call, packet in
            guard let setting = call.setting("mark"), case .masked(let value, let mask) = setting.value else { return .matches }
            // connmark_mt: a packet without a connection never matches, negated or not.
            guard packet.conntrack.hasConnection else { return .fails("no connection (before conntrack, or untracked)") }
            // With the state open, whether the packet has a connection is open too.
            if packet.conntrack.visibleState == nil {
                return .unknown("connmark: whether the packet has a connection (its conntrack state) was not given")
            }
            guard let connmark = packet.conntrack.mark else { return .unknown("connmark: the connection's mark was not given") }
            return MatchOutcome.check(UInt64(connmark) & mask == value, "connmark 0x\(String(connmark, radix: 16)) does not match")
                .negated(setting.negated, "connmark matches")
        },
        space: { call, family in
            // Only packets with a connection (not INVALID or UNTRACKED) can match.
            let tracked = IntervalSet(intervals: [ConntrackStateValue.new, .established, .related]
                .map { IntervalSet.Interval(UInt128($0.rawValue), UInt128($0.rawValue)) })
            return maskedSpace(call, "mark", .connmark, family)?.intersection(.where(.state, .intervals(tracked), family: family))
        }, usesConntrack: true, listing: .connmark)
}

// libxt_connmark.c connmark_mt_print: `connmark match [!]0xV[/0xM]` (revision 0: `CONNMARK match`).
extension ListingForm {
    static let connmark = ListingForm(leads: ["connmark match", "CONNMARK match"]) { reader in
        readMarkMatch(&reader, leads: ["connmark match", "CONNMARK match"], option: "mark")
    }
}
