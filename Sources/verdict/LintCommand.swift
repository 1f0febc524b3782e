import Netfilter

/// `verdict lint RULES-OR-SNAPSHOT...`: what is wrong with a rule set.
enum LintCommand {
    /// The options of `verdict lint`.
    enum Option {
        static let format = CommonOptions.format(
            [.text, .json, .sarif], help: "text (default), json, or sarif (SARIF 2.1.0 for GitHub code scanning)")
        static let failOn = OptionDeclaration(
            "--fail-on", placeholder: "S",
            choices: OptionChoices(["error", "warning", "note", "never"], noun: "severity"),
            help: "exit 1 when a finding is at least this severe: error, warning (default), note, or never")
        static let disable = OptionDeclaration(
            "--disable", arity: .repeatable, placeholder: "ID",
            choices: OptionChoices(LintRegistry.all.map(\.descriptor.id), noun: "lint",
                                   reference: "verdict lint --list shows them"),
            commaList: true,
            help: "turn a lint off (repeatable, or a comma list); a rule can turn lints off for itself with "
                + "'# verdict: disable=ID[,ID]' on the comment line right before it, or in its own -m comment "
                + "--comment text")
        static let family = CommonOptions.family("ipv4, ipv6 or auto (default) for rules files")
        static let lenient = CommonOptions.lenient("keep rules with unknown modules as opaque text instead of failing")
        static let list = OptionDeclaration.flag("--list", help: "print every lint with its id, severity and summary")
    }

    static let declaration = CommandDeclaration(
        name: "lint", summary: "find what is wrong with a rule set (Docker's above all)",
        help: CommandHelp(head: head, sections: [
            OptionSection("OPTIONS:", options: [Option.format, Option.failOn, Option.disable, Option.family,
                                                Option.lenient, Option.list, CommonOptions.help]),
        ], tail: tail),
        operands: .paths, run: run)

    static let head = """
    USAGE: verdict lint [OPTIONS] FILE-OR-SNAPSHOT...
           verdict lint --list

    Finds what is wrong with a rule set: rules that can never match (shadowed by earlier
    rules, computed exactly over addresses, ports, protocols, interfaces, states and
    marks), unreachable and duplicate rules, unused chains, logging without a rate limit,
    the ESTABLISHED accept placed late, IPv6 left open where IPv4 is filtered, and, when the
    rules are Docker's, rules lost at the next daemon restart, DOCKER-USER not first, every
    published port with who can reach it, ufw rules Docker bypasses, missing isolation or
    masquerading, and (with a snapshot) containers reachable past Docker's guards.
    Each finding names FILE:LINE:COL of the rule concerned. docs/lints.md explains each
    lint, how to fix what it finds, with an example.

    Give iptables-save / ip6tables-save files or `iptables -L -n -v` listings (both
    families, to compare IPv4 with IPv6), `nft list ruleset` text (the generic lints that
    apply to nft: shadowed, unreachable and duplicate rules, unused chains, jumps to empty
    chains), or a host snapshot folder (iptables.rules, ip6tables.rules, nft.rules,
    sysctl.txt, ip -j ... files).
    """

    static let tail = """
    EXIT STATUS: 0 no finding at or above --fail-on, 1 such findings, 2 usage error,
    unreadable input, or rules that do not load (run verdict check for the details).

    EXAMPLES:
      verdict lint rulesets/docker-27
      verdict lint /etc/iptables/rules.v4 /etc/iptables/rules.v6 --fail-on error
      verdict lint --format sarif rules.v4 > verdict.sarif
    """

    static func run(_ parsed: ParsedArguments) throws(UsageError) -> ExitStatus {
        if parsed.isSet(Option.list) {
            print(LintTextRenderer.list(LintRegistry.all), terminator: "")
            return .success
        }
        let format = parsed.value(Option.format, as: OutputFormat.self) ?? .text
        let threshold: LintSeverity?
        switch parsed.value(Option.failOn) {
        case "never": threshold = nil
        case let name?: threshold = LintSeverity(rawValue: name)
        case nil: threshold = .warning
        }
        let disabled = Set(parsed.values(Option.disable))
        guard !parsed.operands.isEmpty else {
            throw UsageError("give a rules file or a snapshot folder", showsHelp: true)
        }
        guard let context = loadContext(parsed.operands, family: parsed.value(Option.family),
                                        lenient: parsed.isSet(Option.lenient)) else { return .usage }
        let findings = Linter(disabled: disabled).run(context)
        Leak.keep(context)
        switch format {
        case .json: print(LintJSONRenderer.render(findings))
        case .sarif: print(SARIFRenderer.render(findings, lints: LintRegistry.all, version: VerdictCommand.version))
        default: print(LintTextRenderer.render(findings), terminator: "")
        }
        if let threshold, findings.contains(where: { $0.severity >= threshold }) { return .findings }
        return .success
    }

    /// The inputs: one snapshot folder, or rules files. Nil after saying why.
    static func loadContext(_ operands: [String], family option: String?, lenient: Bool) -> LintContext? {
        if operands.count == 1, let folder = operands.first, folder != "-", HostSnapshot.isSnapshot(folder) {
            guard case .success(let snapshot) = RulesFile.loadSnapshot(folder, command: "lint") else { return nil }
            let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            var inputs = [LintInput(file: base + "/" + HostSnapshot.File.rules, ruleset: snapshot.ruleset)]
            if let v6 = snapshot.ipv6Ruleset { inputs.append(LintInput(file: base + "/" + HostSnapshot.File.ipv6Rules, ruleset: v6)) }
            let nft = snapshot.nft.map { [NftLintInput(file: base + "/" + HostSnapshot.File.nft, ruleset: $0)] } ?? []
            return LintContext(inputs: inputs, nft: nft, snapshot: snapshot)
        }
        var inputs: [LintInput] = []
        var nft: [NftLintInput] = []
        for path in operands {
            if path != "-", let file = try? InputFile.read(path), RulesInput.detectFormat(file.bytes).isNft {
                guard case .success(let ruleset) = RulesFile.loadNft(file, command: "lint") else { return nil }
                nft.append(NftLintInput(file: file.name, ruleset: ruleset))
                continue
            }
            guard case .success(let loaded) = RulesFile.load(path, family: option, lenient: lenient, command: "lint") else { return nil }
            inputs.append(LintInput(file: loaded.file.name, ruleset: loaded.ruleset))
        }
        return LintContext(inputs: inputs, nft: nft)
    }
}
