// libxt_iprange.c (revision 1) / net/netfilter/xt_iprange.c: inclusive address ranges.

extension ExtensionSpec {
    static let addressRange = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        let parts = arguments[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let low = IPAddress(parsing: Array(parts[0].utf8), family: context.family),
              let high = parts.count > 1 ? IPAddress(parsing: Array(parts[1].utf8), family: context.family) : low else {
            throw ValueError("invalid address range \"\(arguments[0])\" (ADDR-ADDR)")
        }
        return .addressRange(low, high)
    }, print: { value, writer in
        if case .addressRange(let low, let high) = value { writer.word("\(low)-\(high)") }
    })

    /// `-m iprange [!] --src-range A-B [!] --dst-range A-B`.
    public static let iprange = ExtensionSpec(
        "iprange", kind: .match,
        options: [
            OptionSpec("src-range", addressRange, negatable: true),
            OptionSpec("dst-range", addressRange, negatable: true),
        ],
        requiresOption: true,
        evaluate: { call, packet in
            call.spec.evaluateAll(call, packet) { setting, name in
                guard case .addressRange(let low, let high) = setting.value else { return .matches }
                guard let address = name == "src-range" ? packet.source : packet.destination else {
                    return .unknown("--\(name): the packet's address was not given")
                }
                let inside: Bool
                switch (low, high, address) {
                case (.v4(let a), .v4(let b), .v4(let x)): inside = a <= x && x <= b
                case (.v6(let a), .v6(let b), .v6(let x)): inside = a <= x && x <= b
                default: inside = false
                }
                return MatchOutcome.check(inside, "\(address) not in \(low)-\(high)").negated(setting.negated, "\(address) in \(low)-\(high)")
            }
        },
        space: { call, family in
            call.spec.spaceOfAll(call, family) { setting, name in
                guard case .addressRange(let low, let high) = setting.value else { return nil }
                return .where(name == "src-range" ? .source : .destination,
                              .intervals(IntervalSet(RuleSpace.value(of: low), RuleSpace.value(of: high))), family: family)
            }
        }, listing: .iprange)
}

// libxt_iprange.c iprange_mt4_print: `source IP range [!] A-B`, `destination IP range [!] A-B`.
extension ListingForm {
    static let iprange = ListingForm.keywords([
        ListingKeyword("source IP range", "src-range"), ListingKeyword("destination IP range", "dst-range"),
    ])
}
