import Netfilter

/// `verdict lint RULES-OR-SNAPSHOT...`: what is wrong with a rule set.
enum LintCommand {
    static let help = """
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
    families, to compare IPv4 with IPv6), or a host
    snapshot folder (iptables.rules, ip6tables.rules, sysctl.txt, ip -j ... files).

    OPTIONS:
      --format F       text (default), json, or sarif (SARIF 2.1.0 for GitHub code scanning)
      --fail-on S      exit 1 when a finding is at least this severe: error, warning
                       (default), note, or never
      --disable ID     turn a lint off (repeatable, or a comma list); a rule can turn lints
                       off for itself with '# verdict: disable=ID[,ID]' on the comment line
                       right before it, or in its own -m comment --comment text
      --family F       ipv4, ipv6 or auto (default) for rules files
      --lenient        keep rules with unknown modules as opaque text instead of failing
      --list           print every lint with its id, severity and summary

    EXIT STATUS: 0 no finding at or above --fail-on, 1 such findings, 2 usage error,
    unreadable input, or rules that do not load (run verdict check for the details).

    EXAMPLES:
      verdict lint rulesets/docker-27
      verdict lint /etc/iptables/rules.v4 /etc/iptables/rules.v6 --fail-on error
      verdict lint --format sarif rules.v4 > verdict.sarif
    """

    static func run(_ words: [String]) -> ExitStatus {
        let parsed: (options: [String: [String]], operands: [String])
        do {
            parsed = try Arguments.parse(words, flags: ["--list", "--lenient"],
                                         valued: ["--format", "--fail-on", "--disable", "--family"])
        } catch let error as Arguments.UsageError {
            printError("verdict lint: \(error.message)")
            return .usage
        } catch {
            return .usage
        }
        if parsed.options["--list"] != nil {
            print(LintTextRenderer.list(LintRegistry.all), terminator: "")
            return .success
        }
        let format = parsed.options["--format"]?.last ?? "text"
        guard ["text", "json", "sarif"].contains(format) else {
            printError("verdict lint: unknown format '\(format)' (text, json or sarif)")
            return .usage
        }
        let failOn = parsed.options["--fail-on"]?.last ?? "warning"
        let threshold: LintSeverity?
        switch failOn {
        case "never": threshold = nil
        default:
            guard let severity = LintSeverity(rawValue: failOn) else {
                printError("verdict lint: --fail-on takes error, warning, note or never, not '\(failOn)'")
                return .usage
            }
            threshold = severity
        }
        let disabled = Set((parsed.options["--disable"] ?? []).flatMap { $0.split(separator: ",").map(String.init) })
        for id in disabled where LintRegistry.lint(id) == nil {
            printError("verdict lint: no lint '\(id)' (verdict lint --list shows them)")
            return .usage
        }
        guard !parsed.operands.isEmpty else {
            printError("verdict lint: give a rules file or a snapshot folder\n\n" + help)
            return .usage
        }
        guard let context = loadContext(parsed.operands, family: parsed.options["--family"]?.last,
                                        lenient: parsed.options["--lenient"] != nil) else { return .usage }
        let findings = Linter(disabled: disabled).run(context)
        switch format {
        case "json": print(LintJSONRenderer.render(findings))
        case "sarif": print(SARIFRenderer.render(findings, lints: LintRegistry.all, version: VerdictCommand.version))
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
            return LintContext(inputs: inputs, snapshot: snapshot)
        }
        var inputs: [LintInput] = []
        for path in operands {
            guard case .success(let loaded) = RulesFile.load(path, family: option, lenient: lenient, command: "lint") else { return nil }
            inputs.append(LintInput(file: loaded.file.name, ruleset: loaded.ruleset))
        }
        return LintContext(inputs: inputs)
    }
}
