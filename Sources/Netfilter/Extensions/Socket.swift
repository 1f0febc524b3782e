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
        evaluate: { _, _ in .unknown("socket needs the host's sockets") })
}
