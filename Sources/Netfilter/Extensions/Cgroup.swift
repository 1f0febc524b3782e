// libxt_cgroup.c / net/netfilter/xt_cgroup.c: the socket's control group.

extension ExtensionSpec {
    /// `-m cgroup [!] --path PATH | [!] --cgroup CLASSID`.
    public static let cgroup = ExtensionSpec(
        "cgroup", kind: .match,
        options: [
            OptionSpec("path", .text(maximumLength: 4095, allowEmpty: false, cut: false), negatable: true),
            OptionSpec("cgroup", .number(0...UInt64(UInt32.max), name: "class id"), negatable: true),
        ],
        evaluate: { _, _ in .unknown("the socket's cgroup was not given") }, listing: .cgroup,
        groups: [.exactlyOne("path", "cgroup")])
}

// libxt_cgroup.c cgroup_print_v1/v2: `cgroup [! ]PATH [! ]CLASSID`; revision 0: `cgroup [! ]ID`.
extension ListingForm {
    static let cgroup = ListingForm(leads: ["cgroup"]) { reader in
        guard reader.cursor.takeWord("cgroup") else { return false }
        var count = 0
        while true {
            var probe = reader.cursor
            let column = probe.columnAfterBlanks
            let negated = probe.takeNegation()
            guard let (value, _) = probe.word() else { break }
            if UInt32(value) != nil {
                reader.option("cgroup", [value], negated: negated, column: column)
            } else if value.hasPrefix("/") || count == 0 && !negated && value.contains("/") {
                reader.option("path", [value], negated: negated, column: column)
            } else {
                break
            }
            reader.cursor = probe
            count += 1
        }
        return count > 0
    }
}
