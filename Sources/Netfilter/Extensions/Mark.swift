// libxt_mark / xt_mark.c: the packet's fwmark under a mask.

extension ExtensionSpec {
    /// `-m mark [!] --mark VALUE[/MASK]`.
    public static let mark = ExtensionSpec(
        "mark", kind: .match,
        options: [OptionSpec("mark", .masked(bits: 32), negatable: true, required: true)])
}
