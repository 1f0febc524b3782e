// libxt_sctp.c / net/netfilter/xt_sctp.c: SCTP ports and chunk types.

extension ExtensionSpec {
    static let sctpChunks = ValueType(arity: .two, parse: { arguments, _ throws(ValueError) in
        let scope = arguments[0].lowercased()
        guard ["all", "any", "only"].contains(scope) else {
            throw ValueError("chunk match type \"\(arguments[0])\" is not all, any or only")
        }
        let chunks = arguments[1].split(separator: ",").map { $0.uppercased() }
        if chunks.isEmpty { throw ValueError("no chunk types given") }
        return .tuple([.word(scope), .words(chunks)])
    }, print: { value, writer in
        guard case .tuple(let parts) = value, parts.count == 2, case .word(let scope) = parts[0],
              case .words(let chunks) = parts[1] else { return }
        writer.word(scope)
        writer.word(chunks.joined(separator: ","))
    })

    /// `-m sctp [!] --sport P[:P] [!] --dport P[:P] [!] --chunk-types all|any|only LIST`.
    public static let sctp = ExtensionSpec(
        "sctp", kind: .match,
        options: [
            OptionSpec("sport", aliases: ["source-port"], .portRange, negatable: true),
            OptionSpec("dport", aliases: ["destination-port"], .portRange, negatable: true),
            OptionSpec("chunk-types", sctpChunks, negatable: true),
        ],
        protocols: [IPProtocol.sctp],
        evaluate: { call, packet in evaluatePorts(call, packet) },
        space: { call, family in portsSpace(call, family) }, listing: .sctp)
}

// libxt_sctp.c sctp_print: `sctp [spt:...] [dpt:...] [[!] any|all|only CHUNKS]`, the chunks
// as 0xNNNN with -n and by name without (`NONE`, `ALL`, flags as `:Ab`).
extension ListingForm {
    /// SCTP chunk type numbers and names (sctp_chunk_names in libxt_sctp.c).
    static let sctpChunkNames: [UInt64: String] = [
        0: "DATA", 1: "INIT", 2: "INIT_ACK", 3: "SACK", 4: "HEARTBEAT", 5: "HEARTBEAT_ACK", 6: "ABORT",
        7: "SHUTDOWN", 8: "SHUTDOWN_ACK", 9: "ERROR", 10: "COOKIE_ECHO", 11: "COOKIE_ACK", 12: "ECN_ECNE",
        13: "ECN_CWR", 14: "SHUTDOWN_COMPLETE", 64: "I_DATA", 128: "ASCONF_ACK", 130: "RE_CONFIG", 132: "PAD",
        192: "FORWARD_TSN", 193: "ASCONF", 194: "I_FORWARD_TSN",
    ]

    static let sctp = ListingForm(leads: ["sctp"]) { reader in
        guard reader.cursor.takeWord("sctp") else { return false }
        while readPortItem(&reader, sport: "sport", dport: "dport") {}
        var probe = reader.cursor
        let column = probe.columnAfterBlanks
        let negated = probe.takeNegation()
        guard let (scope, _) = probe.word(), ["any", "all", "only"].contains(scope) else { return true }
        guard let (list, listColumn) = probe.word() else {
            reader.fail("sctp \(scope) without its chunk types", column: column)
            return true
        }
        reader.cursor = probe
        var names: [String] = []
        for chunk in list.split(separator: ",") {
            let parts = chunk.split(separator: ":", maxSplits: 1).map(String.init)
            var name = parts[0]
            if name.hasPrefix("0x"), let number = UInt64(name.dropFirst(2), radix: 16) {
                guard let known = sctpChunkNames[number] else {
                    reader.fail("unknown SCTP chunk type \(name)", column: listColumn)
                    return true
                }
                name = known
            }
            names.append(parts.count > 1 ? name + ":" + parts[1] : name)
        }
        reader.option("chunk-types", [scope, names.joined(separator: ",")], negated: negated, column: column)
        return true
    }
}
