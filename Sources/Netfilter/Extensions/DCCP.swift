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
        space: { call, family in portsSpace(call, family) }, listing: .dccp)
}

// libxt_dccp.c dccp_print: `dccp [spt:...] [dpt:...] [[!] TYPES] [option=[!]N]`, the types
// as numbers with -n (10 and above are INVALID) and by name without.
extension ListingForm {
    static let dccp = ListingForm(leads: ["dccp"]) { reader in
        guard reader.cursor.takeWord("dccp") else { return false }
        while readPortItem(&reader, sport: "sport", dport: "dport") {}
        var probe = reader.cursor
        let column = probe.columnAfterBlanks
        let negated = probe.takeNegation()
        if let (list, _) = probe.word() {
            var names: [String] = []
            for part in list.split(separator: ",") {
                if let number = Int(part) {
                    let name = ExtensionSpec.dccpTypes[min(number, ExtensionSpec.dccpTypes.count - 1)]
                    if !names.contains(name) { names.append(name) }
                } else if ExtensionSpec.dccpTypes.contains(String(part)) {
                    names.append(String(part))
                } else {
                    names = []
                    break
                }
            }
            if !names.isEmpty {
                reader.cursor = probe
                reader.option("dccp-types", [names.joined(separator: ",")], negated: negated, column: column)
            }
        }
        let optionColumn = reader.cursor.columnAfterBlanks
        if reader.cursor.takePrefix("option=") {
            let optionNegated = reader.cursor.take("!")
            if let (value, _) = reader.cursor.gluedWord() {
                reader.option("dccp-option", [value], negated: optionNegated, column: optionColumn)
            }
        }
        return true
    }
}
