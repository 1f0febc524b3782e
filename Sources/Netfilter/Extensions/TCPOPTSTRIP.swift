// libxt_TCPOPTSTRIP.c / net/netfilter/xt_TCPOPTSTRIP.c: remove TCP options.

extension ExtensionSpec {
    static let tcpOptionNames: [String: UInt64] = [
        "mss": 2, "wscale": 3, "sack-permitted": 4, "sack": 5, "timestamp": 8, "md5": 19,
    ]

    static let tcpOptionList = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        var options = Set<UInt64>()
        for part in arguments[0].split(separator: ",", omittingEmptySubsequences: false) {
            let value = tcpOptionNames[part.lowercased()] ?? UInt64(part)
            guard let value, value >= 2, value <= 255 else {
                throw ValueError("invalid TCP option \"\(part)\" (2-255 or a name: \(tcpOptionNames.keys.sorted().joined(separator: ", ")))")
            }
            options.insert(value)
        }
        return .words(options.sorted().map(String.init))
    }, print: { value, writer in
        if case .words(let options) = value { writer.word(options.joined(separator: ",")) }
    })

    /// `-j TCPOPTSTRIP [--strip-options LIST]`, mangle table, with -p tcp.
    public static let tcpoptstrip = ExtensionSpec(
        "TCPOPTSTRIP", kind: .target,
        options: [OptionSpec("strip-options", tcpOptionList)],
        tables: ["mangle"],
        finalize: { _, context in
            if context.requiredProtocol != IPProtocol.tcp { context.error("needs -p tcp") }
        }, listing: .tcpoptstrip)
}

// libxt_TCPOPTSTRIP.c tcpoptstrip_tg_print: `TCPOPTSTRIP options N,N,...` (names without -n).
extension ListingForm {
    static let tcpoptstrip = ListingForm.keywords(lead: "TCPOPTSTRIP", [
        ListingKeyword("options", "strip-options"),
    ])
}
