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
        space: { call, family in portsSpace(call, family) })
}
