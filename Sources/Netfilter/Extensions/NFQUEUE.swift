// libxt_NFQUEUE.c / net/netfilter/xt_NFQUEUE.c: hand the packet to a userspace queue.

extension ExtensionSpec {
    /// `-j NFQUEUE [--queue-num N | --queue-balance N:M] [--queue-bypass] [--queue-cpu-fanout]`.
    public static let nfqueue = ExtensionSpec(
        "NFQUEUE", kind: .target,
        options: [
            OptionSpec("queue-num", .number(0...65535, name: "queue")),
            OptionSpec("queue-balance", .numberRange(0...65534, name: "queue")),
            OptionSpec("queue-bypass", .flag),
            OptionSpec("queue-cpu-fanout", .flag),
        ],
        finalize: { call, context in
            if case .range(let low, let high)? = call.setting("queue-balance")?.value, low >= high {
                context.error("--queue-balance needs a range FIRST:LAST with FIRST below LAST")
            }
            if !call.has("queue-num") && !call.has("queue-balance") { call.set("queue-num", .number(0)) }
        }, traits: .endsWalk, listing: .nfqueue, groups: [.atMostOne("queue-num", "queue-balance")])
}

// libxt_NFQUEUE.c NFQUEUE_print_v3: `NFQUEUE num N | balance N:M [bypass] [cpu-fanout]`.
extension ListingForm {
    static let nfqueue = ListingForm.keywords(lead: "NFQUEUE", [
        ListingKeyword("num", "queue-num"), ListingKeyword("balance", "queue-balance"),
        ListingKeyword("bypass", "queue-bypass", values: 0), ListingKeyword("cpu-fanout", "queue-cpu-fanout", values: 0),
    ])
}
