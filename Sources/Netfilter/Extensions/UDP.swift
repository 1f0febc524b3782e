// libxt_udp / xt_tcpudp.c: UDP ports.

extension ExtensionSpec {
    /// `-m udp` (also loaded by `-p udp`).
    public static let udp = ExtensionSpec(
        "udp", kind: .match,
        options: [
            OptionSpec("sport", aliases: ["source-port"], .portRange, negatable: true),
            OptionSpec("dport", aliases: ["destination-port"], .portRange, negatable: true),
        ],
        protocols: [IPProtocol.udp],
        finalize: { call, _ in
            dropFullPortRange(&call, "sport")
            dropFullPortRange(&call, "dport")
        },
        printer: { call, writer in printPortsDestinationFirstIfOld(call, &writer) },
        evaluate: { call, packet in evaluatePorts(call, packet) },
        decide: { call, packet in decidePorts(call, packet) },
        space: { call, family in portsSpace(call, family) }, listing: .udp)
}

// libxt_udp.c udp_print: `udp [spt:[!]P|spts:[!]P:P] [dpt:...|dpts:...]`.
extension ListingForm {
    static let udp = ListingForm(leads: ["udp"]) { reader in
        guard reader.cursor.takeWord("udp") else { return false }
        while readPortItem(&reader, sport: "sport", dport: "dport") {}
        return true
    }
}
