import Foundation
import Netfilter

/// `verdict trace RULES --hook H | --chain T/C PACKET`: what the rules do to one packet.
enum TraceCommand {
    /// The options of `verdict trace` besides the packet's.
    enum Option {
        static let hook = CommonOptions.hook(
            list: true, help: "PREROUTING, INPUT, FORWARD, OUTPUT or POSTROUTING: every table there; for nft rules "
                + "also several hooks in a packet's order (prerouting,input; prerouting,forward,postrouting; "
                + "output,postrouting), the packet carried from one to the next")
        static let chain = OptionDeclaration(
            "--chain", placeholder: "T/C", completion: .chains,
            help: "one chain, e.g. filter/FORWARD or filter/DOCKER-USER")
        static let format = CommonOptions.format(
            [.text, .kernel, .json, .svg, .nft],
            help: "text (default); kernel: the TRACE lines dmesg would show, each with the packet's IN= OUT= "
                + "[PHYSIN= PHYSOUT=] SRC= DST= PROTO= SPT= DPT= (ICMP: TYPE= CODE=) MARK= in the kernel's order "
                + "(? where open; what verdict does not model, MAC, LEN, TOS, TTL, ID, flags, is left out); json; "
                + "svg with a snapshot (see verdict help flow); nft, for nft rules: the lines nft monitor trace "
                + "prints (trace id 00000000; the packet: line cut to iif, oif, addresses, ports, ICMP type)")
        static let from = OptionDeclaration(
            "--from", placeholder: "IFACE|local", completion: .interfacesOrLocal,
            help: "with a snapshot folder: the device the packet arrives on, or local (see verdict help flow)")
        static let family = CommonOptions.family()
    }

    static let declaration = CommandDeclaration(
        name: "trace", summary: "walk a described packet through the rules, as the kernel does",
        help: CommandHelp(head: head, sections: [
            OptionSection("THE PACKET, with iptables' own spellings (or all in one line with --packet):",
                          options: PacketOption.all),
            OptionSection("OPTIONS:", options: [Option.hook, Option.chain, Option.format, AnswerOption.brief,
                                                AnswerOption.maxClasses, CommonOptions.assume, Option.family,
                                                Option.from, CommonOptions.help]),
        ], tail: tail),
        operands: .paths, run: run)

    static let head = """
    USAGE: verdict trace RULES (--hook HOOK | --chain TABLE/CHAIN) PACKET [--format text|kernel|json]
           verdict trace NFT-RULES --hook HOOK[,HOOK...] PACKET [--format text|json|nft]
           verdict trace SNAPSHOT --from IFACE|local PACKET [--format ...]   (see verdict help flow)

    Walks the packets through the rules as the kernel does (jump, goto, RETURN, policies,
    tables in priority order at a hook, nat only for a connection's first packet). A
    packet described in part stands for every packet that fits it: a field not given is
    any value the hook allows. Each rule splits them into the packets it matches and the
    others, so the answer is a list of disjoint classes of packets, one line each, the
    verdict first; then, for each class, every rule visited (why a rule did not match,
    what a matching one did) and a packet of the class the evaluator confirms. What the
    rules test that a description cannot carry (statistic random, a rate, the payload)
    is a named condition of the class: `when [...]` / `unless [...]`.

    RULES is an iptables-save dump or an `iptables -L -n -v` listing, or ebtables rules
    (ebtables-save text or an `ebtables -L` listing): then the hook's bridge chains are
    walked (broute BROUTING and nat PREROUTING at PREROUTING, filter INPUT, filter FORWARD,
    nat and filter OUTPUT, nat POSTROUTING), with --physdev-in/--physdev-out as the bridge
    ports and -i/-o the bridge (or -i/-o as the ports when no --physdev-* is given); text
    or json.

    RULES may also be `nft list ruleset` text: then every base chain of the ip, ip6 and
    inet tables at the hook runs in the kernel's order (by priority; nat chains at nf_nat's
    priority, -100 or 100, in their own order; only for a connection's first packet), an
    accept going on to the next base chain. Several hooks in a packet's order walk its way
    through them (--hook prerouting,forward,postrouting -i eth0 -o eth1). --format nft
    prints what `nft monitor trace` prints for the packet.
    """

    static let tail = """
    EXIT STATUS: 0 traced, 1 the rules have errors, 2 usage error or unreadable file.

    EXAMPLES:
      verdict trace rulesets/docker-default/iptables.rules --hook FORWARD \\
          -p tcp -s 172.17.0.2 -d 93.184.216.34 --sport 40000 --dport 443 -i docker0 -o eth0 --ctstate NEW
      verdict trace rules.v4 --chain filter/INPUT --packet "tcp 203.0.113.5:50000 -> 10.0.0.2:22 in eth0 ctstate NEW" --format kernel
    """

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> ExitStatus {
        if arguments.operands.count == 1, let folder = arguments.operands.first, HostSnapshot.isSnapshot(folder) {
            return try FlowCommand.run(arguments, command: "trace", replies: false)
        }
        if arguments.isSet(Option.from) {
            throw UsageError("--from needs a host snapshot folder, not a rules file")
        }
        guard arguments.operands.count == 1, let path = arguments.operands.first else {
            throw UsageError("give exactly one rules file", showsHelp: true)
        }
        let format = arguments.value(Option.format, as: OutputFormat.self) ?? .text
        if format == .svg {
            throw UsageError(
                "--format svg draws a host path: give a snapshot folder and --from (see verdict help flow)")
        }
        let hooks = arguments.values(Option.hook).compactMap(Hook.init(rawValue:))
        let chain = arguments.value(Option.chain)
        if path != "-", let input = try? InputFile.read(path), RulesInput.detectFormat(input.bytes).isNft {
            return try NftTrace.run(arguments, input: input, hooks: hooks, chain: chain, format: format)
        }
        if format == .nft { throw UsageError("--format nft prints nft's trace: give nft list ruleset text") }
        if hooks.count > 1 {
            throw UsageError("several hooks (--hook A,B) walk nft rules; give one hook for iptables or ebtables rules "
                             + "(or a snapshot and --from for a packet's whole path)")
        }
        let hook = hooks.first
        guard (hook == nil) != (chain == nil) else {
            throw UsageError("give one of --hook HOOK and --chain TABLE/CHAIN")
        }
        // Standard input is read once, by RulesFile: ebtables rules come from a file.
        if path != "-", let input = try? InputFile.read(path), RulesInput.detectFormat(input.bytes).isEbtables {
            return try EbtablesTrace.run(arguments, input: input, hook: hook, chain: chain, format: format)
        }
        let ruleset: Ruleset
        switch RulesFile.load(path, family: arguments.value(Option.family), command: "trace") {
        case .success(let loaded): ruleset = loaded.ruleset
        case .failure(.invalid): return .findings
        case .failure(.unreadable): return .usage
        }
        var described: DescribedPackets
        switch describePacket(arguments.values(of: PacketOption.all), family: ruleset.family) {
        case .success(let value): described = value
        case .failure(let error): throw UsageError(error.message)
        }
        if described.packet.family != ruleset.family {
            throw UsageError("the packet is \(described.packet.family == .ipv6 ? "IPv6" : "IPv4"), the rules are "
                             + "\(ruleset.family == .ipv6 ? "IPv6 (ip6tables)" : "IPv4 (iptables)")")
        }
        // Later fragments reach rules only at PREROUTING, FORWARD and POSTROUTING of a host
        // without connection tracking (docs/semantics.md).
        if HookEvaluator.tracksConnections(ruleset) || hook == .input || hook == .output { described.assumeReassembled() }
        let pinned = try assumptions(arguments)
        let maxClasses = try AnswerOption.maximum(arguments)
        // The walk over the packets described: with the rules that did not match only where
        // every class is printed with its details (JSON); else the answer lines need only the
        // entries that decided, and the classes shown are walked again for their details.
        let everyDetail = format == .json
        let walk: (_ recordsSkips: Bool, _ packet: Packet, _ packets: PacketSpace?) -> [WalkResult]
        let evaluate: (Packet) -> [WalkResult]
        let walkHook: Hook?
        if let hook {
            let evaluator = HookEvaluator(ruleset, pinned: pinned, recordsSkippedRules: everyDetail)
            let detailed = everyDetail ? evaluator : evaluator.recordingSkippedRules(true)
            walk = { ($0 ? detailed : evaluator).walk(hook: hook, packet: $1, packets: $2) }
            evaluate = { detailed.walk(hook: hook, packet: $0) }
            walkHook = hook
        } else {
            let parts = (chain ?? "").split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let table = ruleset.table(named: parts[0]), table.chain(named: parts[1]) != nil else {
                throw UsageError("no chain '\(chain ?? "")' in this ruleset (give TABLE/CHAIN, e.g. filter/FORWARD)")
            }
            var walker = ChainWalker(table: table, pinned: pinned)
            walker.recordsSkippedRules = everyDetail
            var detailed = walker
            detailed.recordsSkippedRules = true
            walk = { ($0 ? detailed : walker).walk(from: parts[1], packet: $1, packets: $2) }
            evaluate = { detailed.walk(from: parts[1], packet: $0) }
            walkHook = Hook(rawValue: parts[1])
        }
        let classes = answer(described, format: format, brief: arguments.isSet(AnswerOption.brief),
                             maxClasses: maxClasses, hook: walkHook,
                             interfaceNames: SemanticDiff.interfaceNames(ruleset), walk: walk, evaluate: evaluate)
        report(classes, of: described, in: ruleset, format: format, brief: arguments.isSet(AnswerOption.brief),
               maxClasses: maxClasses, hook: walkHook)
        Leak.keep((ruleset, classes, walk))
        return .success
    }

    /// The classes of a walk over the described packets: results with the same answer merged,
    /// the classes shown walked again with the rules that did not match (text), each with a
    /// witness the concrete walk (`evaluate`) confirms. `walk(recordsSkips, packet, packets)`.
    static func answer(_ described: DescribedPackets, format: OutputFormat, brief: Bool, maxClasses: Int, hook: Hook?,
                       interfaceNames: [String], walk: (Bool, Packet, PacketSpace?) -> [WalkResult],
                       evaluate: (Packet) -> [WalkResult]) -> [OutcomeClass] {
        let everyDetail = format == .json
        let shown = brief && format == .text ? 0 : everyDetail ? Int.max : maxClasses
        let packet = described.packet
        let results = walk(everyDetail, packet, described.packets)
        var classes = OutcomeClasses.merge(results, waysFor: shown)
        Leak.keep(results)
        // The kernel format prints matched entries alone: the first walk has them.
        if format == .text {
            for index in classes.indices.prefix(shown) {
                classes[index] = OutcomeClasses.detailed(classes[index], packet: packet) { walk(true, $0, $1) }
            }
        }
        return OutcomeClasses.witnesses(Array(classes.prefix(maxClasses)), described: described, hook: hook,
                                        interfaceNames: interfaceNames, evaluate: evaluate)
            + classes.dropFirst(maxClasses)
    }

    /// The walk's classes in the chosen format, on standard output.
    /// `hook`: the hook walked (nil: a chain walked alone), for the headers of the kernel format.
    static func report(_ classes: [OutcomeClass], of described: DescribedPackets, in ruleset: Ruleset, format: OutputFormat,
                       brief: Bool, maxClasses: Int, hook: Hook?) {
        let fromStart = !KernelTraceRenderer.hasTraceRules(ruleset)
        let book = RuleBook(ruleset)
        switch format {
        case .kernel:
            for (position, item) in classes.prefix(maxClasses).enumerated() {
                if classes.count > 1 || item.packets != nil {
                    print("# class \(position + 1) of \(classes.count): "
                          + AnswerRenderer.line(item, described: described, ruleset: book))
                }
                if item.ways.isEmpty {
                    let lines = KernelTraceRenderer.traceLines(item.result, described: described.packet,
                                                               packets: item.packets, hook: hook, fromStart: fromStart)
                    for line in lines { print(line.kernelText) }
                }
                for (number, way) in item.ways.enumerated() {
                    print("# way \(number + 1) of \(item.ways.count): "
                          + AnswerRenderer.packets(way.packets, described: described))
                    let lines = KernelTraceRenderer.traceLines(way.result, described: described.packet,
                                                               packets: way.packets ?? item.packets, hook: hook,
                                                               fromStart: fromStart)
                    for line in lines { print(line.kernelText) }
                }
            }
        case .json:
            var output = StandardOutput()
            JSONTraceRenderer.write(classes, described: described, ruleset: book, fromStart: fromStart, hook: hook,
                                    to: &output)
            output.write("\n")
        default:
            let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            var output = StandardOutput()
            AnswerRenderer.write(classes, described: described, ruleset: book, brief: brief, maxClasses: maxClasses,
                                 colour: colour, to: &output)
        }
    }

    /// The matches pinned with `--assume MATCH=true|false`.
    static func assumptions(_ arguments: ParsedArguments) throws(UsageError) -> [String: Bool] {
        var pinned: [String: Bool] = [:]
        for assumption in arguments.values(CommonOptions.assume) {
            let parts = assumption.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = ["true": true, "false": false][parts[1].lowercased()] else {
                throw UsageError("--assume takes MATCH=true or MATCH=false, not '\(assumption)'")
            }
            pinned[parts[0]] = value
        }
        return pinned
    }
}
