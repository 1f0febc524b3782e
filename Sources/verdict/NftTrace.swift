import Netfilter

/// `verdict trace` on `nft list ruleset` text: the base chains of a hook (or of several hooks
/// in a packet's order) walked as the kernel runs them, the answer first (one line per class
/// of packets), then each class's chains and rules; or the lines `nft monitor trace` prints.
enum NftTrace {
    static func run(_ arguments: ParsedArguments, input: InputFile, hooks: [Hook], chain: String?,
                    format: OutputFormat) throws(UsageError) -> ExitStatus {
        guard format == .text || format == .json || format == .nft else {
            throw UsageError("an nft trace prints text, json or nft (the lines of nft monitor trace)")
        }
        guard chain == nil else {
            throw UsageError("--chain walks iptables chains; for nft rules give --hook HOOK[,HOOK...]")
        }
        guard !hooks.isEmpty else { throw UsageError("give --hook HOOK[,HOOK...] (e.g. --hook prerouting,input)") }
        let parsed = NftParser.parse(input.bytes)
        let errors = NftValidator.diagnostics(of: parsed).filter { $0.severity == .error }
        guard errors.isEmpty else {
            for diagnostic in errors { printError(input.source.render(diagnostic)) }
            printError("verdict trace: \(input.name) does not load; fix it first (verdict check)")
            return .findings
        }
        try checkOrder(hooks)
        let options = arguments.values(of: PacketOption.all)
        var described: DescribedPackets
        let family = arguments.value(TraceCommand.Option.family)
        switch TraceCommand.describePacket(options, family: family == "ipv6" || family == "6" ? .ipv6 : .ipv4) {
        case .success(let value): described = value
        case .failure(let error):
            guard family == nil, case .success(let value) = TraceCommand.describePacket(options, family: .ipv6) else {
                throw UsageError(error.message)
            }
            described = value
        }
        let walker = NftHookWalker(parsed.ruleset)
        if walker.program.tracksConnections { described.assumeReassembled() }
        let results = walker.walk(hooks: hooks, packet: described.packet, packets: described.packets)
        switch format {
        case .json:
            let classes = NftWitness.classes(results, described: described, hooks: hooks, walker: walker)
            print(NftTraceRenderer.json(classes, described: described), terminator: "")
        case .nft: print(NftTraceRenderer.trace(results, described: described, ruleset: parsed.ruleset), terminator: "")
        default:
            let brief = arguments.isSet(AnswerOption.brief)
            let classes = brief ? results.map { NftClass(result: $0) }
                : NftWitness.classes(results, described: described, hooks: hooks, walker: walker)
            print(NftTraceRenderer.text(classes, described: described, brief: brief), terminator: "")
        }
        return .success
    }

    /// The paths a packet takes through the IP hooks: in, to a local socket or forwarded
    /// (PREROUTING, INPUT | FORWARD, POSTROUTING), or out of one (OUTPUT, POSTROUTING).
    static func checkOrder(_ hooks: [Hook]) throws(UsageError) {
        guard hooks.count > 1 else { return }
        let paths: [[Hook]] = [[.prerouting, .input], [.prerouting, .forward, .postrouting], [.output, .postrouting]]
        let fits = paths.contains { path in
            guard let start = path.firstIndex(of: hooks[0]) else { return false }
            return Array(path[start...].prefix(hooks.count)) == hooks
        }
        guard fits else {
            let names = hooks.map { $0.rawValue.lowercased() }.joined(separator: ",")
            throw UsageError("--hook \(names): no packet passes these hooks in this order (prerouting,input; "
                             + "prerouting,forward,postrouting; output,postrouting)")
        }
    }
}
