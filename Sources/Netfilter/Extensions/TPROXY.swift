// libxt_TPROXY.c / net/netfilter/xt_TPROXY.c: transparent proxying to a local socket.

extension ExtensionSpec {
    /// `-j TPROXY --on-port N [--on-ip ADDR] [--tproxy-mark V[/M]]`, mangle PREROUTING, -p tcp or udp.
    public static let tproxy = ExtensionSpec(
        "TPROXY", kind: .target,
        options: [
            OptionSpec("on-port", .number(0...65535, name: "port"), required: true),
            OptionSpec("on-ip", .address),
            OptionSpec("tproxy-mark", .masked(bits: 32, alwaysPrintMask: true)),
        ],
        tables: ["mangle"], hooks: [.prerouting],
        finalize: { call, context in
            if context.requiredProtocol != IPProtocol.tcp && context.requiredProtocol != IPProtocol.udp {
                context.error("needs -p tcp or -p udp")
            }
            if !call.has("on-ip") {
                let any: Network = context.family == .ipv4
                    ? Network(address: .v4(IPv4Address(0)), mask: .v4(.mask(prefixLength: 32)))
                    : Network(address: .v6(IPv6Address(high: 0, low: 0)), mask: .v6(.mask(prefixLength: 128)))
                call.set("on-ip", .network(any))
            }
            if !call.has("tproxy-mark") { call.set("tproxy-mark", .masked(value: 0, mask: 0)) }
        }, traits: .endsWalk, listing: .tproxy)
}

// libxt_TPROXY.c tproxy_tg_print: `TPROXY redirect ADDR:PORT mark 0xV/0xM`.
extension ListingForm {
    static let tproxy = ListingForm(leads: ["TPROXY redirect"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("TPROXY redirect"), let (target, targetColumn) = reader.cursor.word() else { return false }
        guard let colon = target.lastIndex(of: ":") else {
            reader.fail("TPROXY redirect without ADDR:PORT", column: targetColumn)
            return true
        }
        let address = String(target[..<colon])
        reader.option("on-port", [String(target[target.index(after: colon)...])], column: targetColumn)
        if address != "0.0.0.0" && address != "::" { reader.option("on-ip", [address], column: targetColumn) }
        let markColumn = reader.cursor.columnAfterBlanks
        if reader.cursor.takeWord("mark"), let (mark, _) = reader.cursor.word() {
            reader.option("tproxy-mark", [mark], column: markColumn)
        }
        _ = column
        return true
    }
}
