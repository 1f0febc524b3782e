import Netfilter

/// `verdict trace` on `nft list ruleset` text: the base chains of a hook (or of several hooks
/// in a packet's order) walked as the kernel runs them, answered as `verdict trace` answers
/// for iptables rules; or the lines `nft monitor trace` prints (`--format nft`).
enum NftTrace {
    static func run(_ arguments: ParsedArguments, input: InputFile, hooks: [Hook], chain: String?,
                    format: OutputFormat) throws(UsageError) -> ExitStatus {
        guard format == .text || format == .json || format == .nft else {
            throw UsageError("an nft trace prints text, json or nft (the lines of nft monitor trace; nft rules log "
                             + "no TRACE lines to dmesg)")
        }
        guard chain == nil else {
            throw UsageError("--chain walks iptables chains; for nft rules give --hook HOOK[,HOOK...]")
        }
        guard !hooks.isEmpty else { throw UsageError("give --hook HOOK[,HOOK...] (e.g. --hook prerouting,input)") }
        let (parsed, diagnostics) = RulesInput.readNft(input.bytes, format: RulesInput.detectFormat(input.bytes))
        let errors = diagnostics.filter { $0.severity == .error }
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
        let maxClasses = try AnswerOption.maximum(arguments)
        let walker = NftHookWalker(parsed.ruleset, recordsSkippedRules: format == .json)
        let detailed = NftHookWalker(parsed.ruleset)
        if walker.program.tracksConnections { described.assumeReassembled() }
        // The witness takes its devices as the path's hook with both, where it has one.
        let witnessHook = hooks.contains(.forward) ? .forward : hooks.contains(.output) ? .output : hooks[0]
        let classes = TraceCommand.answer(
            described, format: format, brief: arguments.isSet(AnswerOption.brief), maxClasses: maxClasses,
            hook: witnessHook, interfaceNames: walker.program.interfaceNames,
            walk: { ($0 ? detailed : walker).walk(hooks: hooks, packet: $1, packets: $2) },
            evaluate: { detailed.walk(hooks: hooks, packet: $0) })
        if format == .nft {
            print(NftTraceRenderer.trace(classes, described: described, ruleset: parsed.ruleset), terminator: "")
        } else {
            TraceCommand.report(classes, of: described, in: Ruleset(family: described.packet.family), format: format,
                                brief: arguments.isSet(AnswerOption.brief), maxClasses: maxClasses, hook: hooks.last)
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
