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
        requiresOption: true)
}
