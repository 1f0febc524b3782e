// libxt_dccp.c / net/netfilter/xt_dccp.c: DCCP ports, packet types and options.

extension ExtensionSpec {
    static let dccpTypes = ["REQUEST", "RESPONSE", "DATA", "ACK", "DATAACK", "CLOSEREQ", "CLOSE", "RESET",
                            "SYNC", "SYNCACK", "INVALID"]

    /// `-m dccp [!] --sport P[:P] [!] --dport P[:P] [!] --dccp-types LIST [!] --dccp-option N`.
    public static let dccp = ExtensionSpec(
        "dccp", kind: .match,
        options: [
            OptionSpec("sport", aliases: ["source-port"], .portRange, negatable: true),
            OptionSpec("dport", aliases: ["destination-port"], .portRange, negatable: true),
            OptionSpec("dccp-types", .keywordList(dccpTypes), negatable: true),
            OptionSpec("dccp-option", .number(0...255, name: "option"), negatable: true),
        ],
        protocols: [IPProtocol.dccp],
        evaluate: { call, packet in evaluatePorts(call, packet) },
        space: { call, family in portsSpace(call, family) })
}
