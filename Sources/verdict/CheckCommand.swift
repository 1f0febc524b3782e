import Netfilter

/// `verdict check FILE...`: parse and validate, then summarise each table.
enum CheckCommand {
    /// The options of `verdict check`.
    enum Option {
        static let family = CommonOptions.family(
            "ipv4, ipv6, or auto (default: from the dump's header, name or addresses)")
        static let lenient = CommonOptions.lenient(
            "keep rules with unknown modules, targets or options as opaque text (a warning each) so that the rest "
            + "of the file still loads")
        static let format = CommonOptions.format(
            [.text, .json], help: "text (default) or json (summary and diagnostics on standard output)")
    }

    static let declaration = CommandDeclaration(
        name: "check", summary: "parse and validate rule dumps like the kernel would",
        help: CommandHelp(head: head, sections: [
            OptionSection("OPTIONS:", options: [Option.family, Option.lenient, Option.format, CommonOptions.help],
                          entries: [CommonOptions.standardInput]),
        ], tail: tail),
        operands: .paths, run: run)

    static let head = """
    USAGE: verdict check [--family ipv4|ipv6|auto] [--lenient] [--format text|json] FILE...

    Parses each iptables-save / ip6tables-save dump (or `iptables -L -n -v` listing, told
    apart by its 'Chain NAME (...)' lines; what a listing leaves out is a warning per
    rule; or ebtables-save text or an `ebtables -L` listing, told apart by their content)
    and validates it as the kernel would when loading it: unknown modules and options,
    bad values, chains declared twice,
    rules for undeclared chains, policies on user chains, jumps to undefined chains,
    jump loops, targets outside the tables and hooks the kernel allows, missing COMMIT.
    Every error in a file is reported in one pass, on standard error, as
    FILE:LINE:COL: error: message, with the offending line and token marked.

    `nft list ruleset` text (told by its 'table FAMILY NAME {' lines) is read as nft
    lists it: tables of every family, base and regular chains, sets, maps and rules; so is
    the JSON of `nft -j list ruleset` (told by its '{"nftables": [' start).

    Then prints a summary per table: chains, rules, the modules and targets used (for
    nft text: family, chains, base chains with hook and priority, sets, maps, rules).
    """

    static let tail = """
    EXIT STATUS: 0 clean, 1 errors or warnings found, 2 usage error or unreadable file.

    EXAMPLES:
      verdict check rulesets/docker-default/iptables.rules
      iptables-save | verdict check -
      verdict check --lenient --format json /etc/iptables/rules.v4
    """

    /// One file's summary and diagnostics: ebtables text (the bridge family) or iptables text.
    static func check(_ input: InputFile, family: Family, lenient: Bool)
        -> (family: String, summary: RulesetSummary, diagnostics: [Diagnostic]) {
        let format = RulesInput.detectFormat(input.bytes)
        if format.isEbtables {
            let result = EbtablesValidator.read(input.bytes, lenient: lenient)
            let guessed = EbtablesDetector.guessNote(input.bytes).map { [$0] } ?? []
            return ("bridge", RulesetSummary(result.ruleset), guessed + result.diagnostics)
        }
        let options = ParseOptions(lenient: lenient)
        let result = RulesInput.parse(input.bytes, family: family, format: format, options: options)
        let diagnostics = Validator.diagnostics(of: result)
        // The tool exits right after printing: freeing a large tree is wasted time.
        Leak.keep(result)
        return (family.rawValue, RulesetSummary(result.ruleset), diagnostics)
    }

    /// nft text or JSON: read, its diagnostics and summary printed (or its JSON report kept);
    /// whether it has findings.
    static func checkNft(_ input: InputFile, format: RulesInput.Format, json: Bool, reports: inout [String]) -> Bool {
        let (result, diagnostics) = RulesInput.readNft(input.bytes, format: format)
        let summary = NftSummary(result.ruleset)
        if json {
            reports.append(CheckReport.json(file: input.name, nft: summary, diagnostics: diagnostics))
        } else {
            if !diagnostics.isEmpty {
                DiagnosticOutput.print(diagnostics, source: input.source, command: "check")
            }
            print(CheckReport.text(file: input.name, nft: summary, diagnostics: diagnostics))
        }
        return diagnostics.contains { $0.severity != .note }
    }

    static func run(_ parsed: ParsedArguments) throws(UsageError) -> ExitStatus {
        let format = parsed.value(Option.format, as: OutputFormat.self) ?? .text
        guard !parsed.operands.isEmpty else {
            throw UsageError("no file given (use - for standard input)", showsHelp: true)
        }
        var status = ExitStatus.success
        var reports: [String] = []
        for path in parsed.operands {
            let input: InputFile
            let family: Family
            do {
                input = try InputFile.read(path)
                family = try input.family(parsed.value(Option.family))
            } catch let error as InputFile.ReadError {
                throw UsageError(error.message)
            } catch let error as UsageError {
                throw error
            } catch {
                return .usage
            }
            let inputFormat = RulesInput.detectFormat(input.bytes)
            if inputFormat.isNft {
                if checkNft(input, format: inputFormat, json: format == .json, reports: &reports) { status = .findings }
                continue
            }
            let lenient = parsed.isSet(Option.lenient)
            let checked = check(input, family: family, lenient: lenient)
            let diagnostics = checked.diagnostics
            if diagnostics.contains(where: { $0.severity != .note }) { status = .findings }
            if format == .json {
                reports.append(CheckReport.json(file: input.name, family: checked.family, summary: checked.summary,
                                                diagnostics: diagnostics))
            } else {
                if !diagnostics.isEmpty {
                    DiagnosticOutput.print(diagnostics, source: input.source, command: "check")
                }
                print(CheckReport.text(file: input.name, family: checked.family, summary: checked.summary,
                                       diagnostics: diagnostics))
            }
        }
        if format == .json {
            print("[" + reports.joined(separator: ",\n") + "]")
        }
        return status
    }
}
