// libxt_length.c / net/netfilter/xt_length.c: the IP packet's length.

extension ExtensionSpec {
    /// `-m length [!] --length N[:M]`.
    public static let length = ExtensionSpec(
        "length", kind: .match,
        options: [OptionSpec("length", .numberRange(0...65535, name: "length"), negatable: true, required: true)],
        evaluate: { call, packet in
            guard let setting = call.setting("length"), case .range(let low, let high) = setting.value else { return .matches }
            guard let length = packet.length else { return .unknown("--length \(low):\(high): the packet's length was not given") }
            return MatchOutcome.check(UInt64(length) >= low && UInt64(length) <= high, "length \(length) not in \(low):\(high)")
                .negated(setting.negated, "length \(length) in \(low):\(high)")
        }, listing: .length)
}

// libxt_length.c length_print: `length [!]N[:M]`.
extension ListingForm {
    static let length = ListingForm.keywords([ListingKeyword("length", "length")])
}
