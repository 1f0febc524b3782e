import Netfilter

/// `verdict trace` on ebtables rules: the chains of a bridge hook (or one chain) walked as
/// ebt_do_table does, the answer first (one line per class of packets), then each class's
/// rules visited.
enum EbtablesTrace {
    static func run(_ arguments: ParsedArguments, input: InputFile, hook: Hook?, chain: String?,
                    format: OutputFormat) throws(UsageError) -> ExitStatus {
        guard format == .text || format == .json else {
            throw UsageError("an ebtables trace prints text or json")
        }
        let result = EbtablesValidator.read(input.bytes)
        let errors = result.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            for diagnostic in errors { printError(input.source.render(diagnostic)) }
            printError("verdict trace: \(input.name) does not load; fix it first (verdict check)")
            return .findings
        }
        let options = arguments.values(of: PacketOption.all)
        let described: DescribedPackets
        switch TraceCommand.describePacket(options, family: .ipv4) {
        case .success(let value): described = value
        case .failure(let error):
            guard case .success(let value) = TraceCommand.describePacket(options, family: .ipv6) else {
                throw UsageError(error.message)
            }
            described = value
        }
        let packet = described.packet
        // The bridge ports are --physdev-in/--physdev-out with -i/-o the bridge, or -i/-o themselves.
        let ports = packet.physdevIn != nil || packet.physdevOut != nil
        let devices = BridgeDevices(inPort: ports ? packet.physdevIn : packet.hookState.inInterface,
                                    outPort: ports ? packet.physdevOut : packet.hookState.outInterface,
                                    bridge: ports ? packet.hookState.inInterface ?? packet.hookState.outInterface ?? "" : "")
        let results: [EbtablesResult]
        if let hook {
            results = EbtablesHookWalker.walk(result.ruleset, hook: hook, packet: packet, devices: devices,
                                              packets: described.packets)
        } else {
            let parts = (chain ?? "").split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let table = result.ruleset.table(named: parts[0]),
                  table.chain(named: parts[1]) != nil else {
                throw UsageError("no chain '\(chain ?? "")' in these ebtables rules "
                                 + "(give TABLE/CHAIN, e.g. filter/FORWARD)")
            }
            results = EbtablesWalker.walk(table, chain: parts[1], packet: packet, devices: devices,
                                          packets: described.packets)
        }
        let brief = arguments.isSet(AnswerOption.brief)
        print(format == .json ? EbtablesTraceRenderer.json(results, described: described)
                               : EbtablesTraceRenderer.text(results, described: described, brief: brief), terminator: "")
        return .success
    }
}
