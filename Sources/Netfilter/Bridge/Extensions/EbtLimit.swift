// libebt_limit.c / net/bridge/netfilter/ebt_limit.c: a token bucket of frames. Whether a
// frame finds a token depends on the frames before it, which no packet description has:
// the rule's match stays a condition, one per rule.

extension EbtablesModule {
    /// `--limit N/UNIT`, `--limit-burst N`.
    static let limit = EbtablesModule("limit", .match, options: [
        EbtablesOption(["--limit"], module: "", .rate, negatable: false),
        EbtablesOption(["--limit-burst"], module: "", .number(max: 10_000), negatable: false),
    ], read: EbtLimit.init)
}

/// The limit match's options, typed.
struct EbtLimit: EbtablesExtension {
    /// The rate and burst as written (`--limit 10/second --limit-burst 5`): the condition's name.
    var text: String
    var burst: UInt64?

    init(_ options: EbtablesOptions) {
        text = ["--limit", "--limit-burst"].compactMap { options.text($0) }.joined(separator: " ")
        burst = options["--limit-burst"].flatMap { EbtablesValue.number($0.values.first ?? "") }
    }

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        .undecided(.condition("\(place) \(text)", family: packet.family))
    }
}
