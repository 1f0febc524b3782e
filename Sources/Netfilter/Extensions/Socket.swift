// libxt_socket.c / net/netfilter/xt_socket.c: a local socket exists for the packet.

extension ExtensionSpec {
    /// `-m socket [--transparent] [--nowildcard] [--restore-skmark]`, mangle PREROUTING and INPUT.
    public static let socket = ExtensionSpec(
        "socket", kind: .match,
        options: [
            OptionSpec("transparent", .flag),
            OptionSpec("nowildcard", .flag),
            OptionSpec("restore-skmark", .flag),
        ],
        tables: ["mangle"], hooks: [.prerouting, .input],
        evaluate: { _, _ in .unknown("socket needs the host's sockets") }, listing: .socket)
}

// libxt_socket.c socket_mt_print_v1..v3: `socket [--transparent] [--nowildcard] [--restore-skmark]`.
extension ListingForm {
    static let socket = ListingForm.keywords(lead: "socket", [
        ListingKeyword("--transparent", "transparent", values: 0), ListingKeyword("--nowildcard", "nowildcard", values: 0),
        ListingKeyword("--restore-skmark", "restore-skmark", values: 0),
    ])
}
