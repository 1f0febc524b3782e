/// The lines `nft monitor trace` prints for the walks of nft base chains (`verdict trace
/// --format nft`), with the trace id written as 00000000.
public enum NftTraceRenderer {
    /// A walk's lines: a base chain's `packet:` line before its first traced entry, each rule
    /// run to its end (`rule TEXT (verdict V)`), each policy (`policy V`, with `meta mark
    /// 0x...` when the mark is not 0). `fromStart`: every entry is traced (the rules set no
    /// nftrace). Entries of iptables tables (a mixed host) have no nft line.
    public static func traceLines(_ result: WalkResult, fromStart: Bool) -> [String] {
        traceLines(result.steps, fromStart: fromStart)
    }

    /// The lines of a walk's steps (see `traceLines(_:fromStart:)`).
    public static func traceLines(_ steps: [TraceStep], fromStart: Bool) -> [String] {
        let id = "trace id 00000000"
        var lines: [String] = []
        var packetLine: String?
        for step in steps {
            if let packet = step.nftPacket { packetLine = "\(id) \(step.table) \(step.chain) packet: \(packet)" }
            guard fromStart || step.traced else { continue }
            let line: String
            switch step.kind {
            case .matched:
                guard let rule = step.nftRule else { continue }
                line = "\(id) \(step.table) \(step.chain) rule \(rule) (verdict \(verdictWord(step.effect)))"
            case .policy:
                guard step.table.contains(" ") else { continue }
                let mark = step.markAfter.map { $0 == 0 ? "" : " meta mark 0x" + hex8($0) } ?? ""
                line = "\(id) \(step.table) \(step.chain) policy \(verdictWord(step.effect))\(mark)"
            default:
                continue
            }
            if let packet = packetLine {
                lines.append(packet)
                packetLine = nil
            }
            lines.append(line)
        }
        return lines
    }

    /// nft's word for what an entry did: `accept`, `drop` (a reject too), `continue`,
    /// `jump web`, `goto dns`, `return`, `queue`.
    static func verdictWord(_ effect: StepEffect?) -> String {
        switch effect {
        case nil, .target?: return "continue"
        case .answers?: return "drop"
        case .verdict(let verdict)?: return verdict.rawValue.lowercased()
        case .jump(let chain)?: return "jump \(chain)"
        case .goto(let chain)?: return "goto \(chain)"
        }
    }

    static func hex8(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Whether a ruleset sets nftrace somewhere (`meta nftrace set 1`): then only what follows
    /// is traced, as in the kernel.
    public static func setsTrace(_ ruleset: NftRuleset) -> Bool {
        ruleset.tables.contains { table in
            table.chains.contains { chain in
                chain.rules.contains { rule in
                    rule.statements.contains { statement in
                        if case .set(.meta("nftrace", _), _) = statement { return true }
                        return false
                    }
                }
            }
        }
    }

    /// Every class's lines, with a `# class N of M: ...` line before each when there are
    /// several, and `# way ...` before each walk of a class whose packets went different ways.
    public static func trace(_ classes: [OutcomeClass], described: DescribedPackets, ruleset: NftRuleset) -> String {
        let fromStart = !setsTrace(ruleset)
        let book = RuleBook(Ruleset(family: described.packet.family))
        var out = ""
        for (number, item) in classes.enumerated() {
            if classes.count > 1 {
                out += "# class \(number + 1) of \(classes.count): "
                    + AnswerRenderer.line(item, described: described, ruleset: book) + "\n"
            }
            if item.ways.isEmpty {
                for line in traceLines(item.result, fromStart: fromStart) { out += line + "\n" }
            }
            for (position, way) in item.ways.enumerated() {
                out += "# way \(position + 1) of \(item.ways.count): "
                    + AnswerRenderer.packets(way.packets, described: described) + "\n"
                for line in traceLines(way.result, fromStart: fromStart) { out += line + "\n" }
            }
        }
        return out
    }

    /// A flow's packets (`verdict flow --format nft`): per packet `# request SRC > DST`, then
    /// the lines nft's trace shows for it at each hook it passed.
    public static func flow(_ packets: [FlowPacket], fromStart: Bool) -> String {
        PathRenderer.lines(packets) { outcome in
            outcome.events.flatMap { event -> [String] in
                guard case .hook(_, _, _, let steps, _, _) = event else { return [] }
                return traceLines(steps, fromStart: fromStart)
            }
        }
    }
}
