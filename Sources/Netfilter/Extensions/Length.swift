// libxt_length.c / net/netfilter/xt_length.c: the IP packet's length.

extension ExtensionSpec {
    /// `-m length [!] --length N[:M]`.
    public static let length = ExtensionSpec(
        "length", kind: .match,
        options: [OptionSpec("length", .numberRange(0...65535, name: "length"), negatable: true, required: true)])
}
