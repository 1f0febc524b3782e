// libxt_multiport.c (revision 1) / net/netfilter/xt_multiport.c: up to 15 ports or ranges.

extension ExtensionSpec {
    /// `-m multiport [!] --sports|--dports|--ports LIST`, with -p tcp, udp, udplite, dccp or sctp.
    public static let multiport = ExtensionSpec(
        "multiport", kind: .match,
        options: [
            OptionSpec("sports", aliases: ["source-ports"], .portList, negatable: true),
            OptionSpec("dports", aliases: ["destination-ports"], .portList, negatable: true),
            OptionSpec("ports", .portList, negatable: true),
        ],
        protocols: [IPProtocol.tcp, IPProtocol.udp, IPProtocol.udplite, IPProtocol.dccp, IPProtocol.sctp],
        finalize: { call, context in
            if call.settings.count != 1 { context.error("needs exactly one of --sports, --dports, --ports") }
        })
}
