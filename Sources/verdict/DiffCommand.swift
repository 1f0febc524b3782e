import Netfilter

/// `verdict diff OLD NEW`: which packets two rulesets treat differently, exactly.
enum DiffCommand {
    /// The options of `verdict diff`.
    enum Option {
        static let hook = CommonOptions.hook(
            list: true, help: "compare only these hooks (repeatable or a comma list); default all")
        static let chain = OptionDeclaration(
            "--chain", placeholder: "T/C", completion: .chains,
            help: "walk one chain alone (filter/DOCKER-USER), as verdict trace --chain")
        static let from = OptionDeclaration(
            "--from", placeholder: "IFACE", completion: .interfacesOrLocal,
            help: "only packets arriving on this device; `local` for packets the host sends")
        static let format = CommonOptions.format([.text, .json], help: "text (default) or json (docs/json.md)")
        static let family = CommonOptions.family("ipv4, ipv6 or auto (default), for rules files")
    }

    static let declaration = CommandDeclaration(
        name: "diff", summary: "which packets two rulesets treat differently, exactly",
        help: CommandHelp(head: head, sections: [
            OptionSection("OPTIONS:", options: [Option.hook, Option.chain, Option.from, Option.format, Option.family,
                                                CommonOptions.help]),
        ], tail: tail),
        operands: .paths, run: run)

    static let head = """
    USAGE: verdict diff OLD NEW [--hook HOOK] [--chain TABLE/CHAIN] [--from IFACE|local] [--format text|json]

    Compares two rulesets (iptables-save files or iptables -L -n -v listings, or two
    host snapshot folders) for every packet, not for samples: the packets are followed as
    sets (addresses, protocols, ports, ICMP types, interfaces, conntrack states,
    fragments, marks, TCP flags) through every table of each hook in the kernel's order,
    both rulesets at once, and every class of packets whose fate differs is printed with
    both outcomes, the rules that decided, and a concrete witness packet that the
    evaluator walked through both rulesets to check. Fates are the verdict (ACCEPT,
    DROP, REJECT and its answer, QUEUE), what NAT and MARK did to packets that go on, and
    the logging targets run on the way; which rule decided is shown but not compared, so
    reordered independent rules, renamed chains and a multiport split into single ports
    diff as equal ("no packet changes").
    A match the algebra cannot express (recent, limit, statistic, string, addrtype, ...)
    is a named condition: a class that depends on one says "when [...]" rather than
    claiming an answer. Then the structural changes: chains added, removed or renamed,
    rules added, removed and moved, per chain.

    With snapshots, their iptables.rules are compared (and ip6tables.rules when both
    have one, and their nft rules when both have them: printed after, under "nft rules:");
    routing and the host's devices are not compared.

    Two nft rule sets (`nft list ruleset` text or JSON) are compared at each hook (--hook
    narrows it) for IPv4 and IPv6 packets alike: every packet walked through the base
    chains of both as a set, the classes intersected, and each class whose fate (verdict,
    reject's answer, NAT, a mark set) differs printed with both fates, the entries that
    decided and a witness walked through both.
    """

    static let tail = """
    EXIT STATUS: as diff(1): 0 no packet changes, 1 some do, 2 usage error, unreadable
    input, or rules that do not load (verdict check tells why).

    EXAMPLES:
      verdict diff rules.v4.old rules.v4
      verdict diff before-snapshot after-snapshot --hook FORWARD --from eth0
      iptables-save | verdict diff /etc/iptables/rules.v4 - --format json
    """

    static func run(_ parsed: ParsedArguments) throws(UsageError) -> ExitStatus {
        guard parsed.operands.count == 2 else {
            throw UsageError("give two rules files or two snapshot folders (OLD NEW)", showsHelp: true)
        }
        let format = parsed.value(Option.format, as: OutputFormat.self) ?? .text
        var scope = DiffScope()
        if parsed.isSet(Option.hook) {
            var chosen: [Hook] = []
            for hook in parsed.values(Option.hook).compactMap(Hook.init(rawValue:)) where !chosen.contains(hook) {
                chosen.append(hook)
            }
            scope.hooks = chosen
        }
        if let chain = parsed.value(Option.chain) {
            let parts = chain.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw UsageError("--chain takes TABLE/CHAIN, e.g. filter/FORWARD, not '\(chain)'")
            }
            if parsed.isSet(Option.hook) {
                throw UsageError("give --hook or --chain, not both")
            }
            scope.chain = (parts[0], parts[1])
        }
        if let from = parsed.value(Option.from) {
            scope.origin = PacketOrigin(named: from)
        }
        let family = parsed.value(Option.family)
        if let status = try nftDiff(parsed, scope: scope, format: format) { return status }
        // Both inputs are read at once (standard input only by one of them).
        let loaded = parsed.operands.contains("-")
            ? (old: load(parsed.operands[0], family: family), new: load(parsed.operands[1], family: family))
            : BothSides.map(parsed.operands[0], parsed.operands[1]) { load($0, family: family) }
        guard let old = loaded.old, let new = loaded.new else { return .usage }
        var pairs: [(Ruleset, Ruleset)] = []
        for family in [Family.ipv4, .ipv6] {
            let before = old.rulesets.first { $0.family == family }
            let after = new.rulesets.first { $0.family == family }
            if let before, let after { pairs.append((before, after)) }
        }
        guard !pairs.isEmpty else {
            throw UsageError("the two inputs have no family in common (one is IPv4, the other IPv6)")
        }
        var diffs: [SemanticDiff] = []
        for (before, after) in pairs {
            do throws(SemanticDiff.Failure) {
                diffs.append(try SemanticDiff.compare(old: before, new: after, scope: scope))
            } catch {
                throw UsageError(error.message)
            }
        }
        // Two snapshots' nft rules, when both have them (docs/diff.md).
        var nft: [NftDiff.Change]?
        if let before = old.nft, let after = new.nft {
            nft = NftDiff.compare(old: before, new: after, hooks: scope.hooks)
        }
        switch format {
        case .json:
            let iptables = DiffRenderer.json(diffs)
            print(nft.map { "{\"iptables\": \(iptables), \"nft\": \(NftDiff.json($0))}" } ?? iptables)
        default:
            print(DiffRenderer.text(diffs), terminator: "")
            if let nft { print("nft rules:\n" + NftDiff.text(nft), terminator: "") }
        }
        Leak.keep((old, new))
        return diffs.contains { $0.changesPackets } || !(nft?.isEmpty ?? true) ? .findings : .success
    }

    /// Two nft rulesets (`nft list ruleset` text or JSON) compared (`NftDiff`); nil when the
    /// inputs are not nft rules.
    static func nftDiff(_ parsed: ParsedArguments, scope: DiffScope, format: OutputFormat)
        throws(UsageError) -> ExitStatus? {
        let files = parsed.operands.map { path in
            path == "-" || HostSnapshot.isSnapshot(path) ? nil : try? InputFile.read(path)
        }
        let nft = files.map { file in file.map { RulesInput.detectFormat($0.bytes).isNft } ?? false }
        guard nft.contains(true) else { return nil }
        guard nft.allSatisfy({ $0 }), let old = files[0], let new = files[1] else {
            throw UsageError("give two nft rule sets to compare nft rules (nft list ruleset text or JSON)")
        }
        if scope.chain != nil || scope.origin != nil {
            throw UsageError("--chain and --from compare iptables rules; for nft rule sets give --hook")
        }
        guard case .success(let before) = RulesFile.loadNft(old, command: "diff"),
              case .success(let after) = RulesFile.loadNft(new, command: "diff") else { return .usage }
        let changes = NftDiff.compare(old: before, new: after, hooks: scope.hooks)
        print(format == .json ? NftDiff.json(changes) : NftDiff.text(changes), terminator: format == .json ? "\n" : "")
        return changes.isEmpty ? .success : .findings
    }

    /// The rulesets of an input: a rules file, or a snapshot's IPv4 and IPv6 rules and its nft
    /// rules. Nil after saying why.
    static func load(_ path: String, family option: String?) -> (rulesets: [Ruleset], nft: NftRuleset?)? {
        if path != "-", HostSnapshot.isSnapshot(path) {
            guard case .success(let snapshot) = RulesFile.loadSnapshot(path, command: "diff") else { return nil }
            return ([snapshot.ruleset] + (snapshot.ipv6Ruleset.map { [$0] } ?? []), snapshot.nft)
        }
        guard case .success(let loaded) = RulesFile.load(path, family: option, command: "diff") else { return nil }
        return ([loaded.ruleset], nil)
    }
}
