import Netfilter

/// `verdict fmt FILE`: the canonical iptables-save text of a dump.
enum FormatCommand {
    /// The options of `verdict fmt`.
    enum Option {
        static let from = OptionDeclaration(
            "--from", placeholder: "F",
            choices: OptionChoices(["save", "listing", "ebtables-save", "ebtables-listing", "nft", "nft-json", "auto"],
                                   noun: "input format"),
            help: "save, listing, ebtables-save, ebtables-listing, nft, nft-json, or auto (default: told from the "
                + "content: nft's JSON by its '{\"nftables\": [' start, "
                + "nft by 'table FAMILY NAME {' lines, a listing when the file starts with a 'Chain NAME (...)' "
                + "line, ebtables by 'Bridge table:' lines "
                + "or ebtables' own options)")
        static let family = CommonOptions.family("ipv4, ipv6, or auto (default)")
        static let table = OptionDeclaration(
            "--table", placeholder: "T", completion: .words(["filter", "nat", "mangle", "raw", "security"]),
            help: "the table of a listing that does not name it (default: told from its built-in chains)")
        static let lenient = CommonOptions.lenient("keep rules with unknown modules or options as they are")
    }

    static let declaration = CommandDeclaration(
        name: "fmt", summary: "print a dump in canonical iptables-save form",
        help: CommandHelp(head: head, sections: [
            OptionSection("OPTIONS:", options: [Option.from, Option.family, Option.table, Option.lenient,
                                                CommonOptions.help],
                          entries: [CommonOptions.standardInput]),
        ], tail: tail),
        operands: .paths, run: run)

    static let head = """
    USAGE: verdict fmt [--from save|listing|ebtables-save|ebtables-listing|auto] [--family ipv4|ipv6|auto]
                       [--table T] [--lenient] FILE

    Prints the dump in the canonical form iptables-save itself writes: options in
    iptables' order (-s -d -i -o -p -f, matches, target), /32 masks, -m tcp after
    -p tcp, values in their printed spelling (--set-mark 1 becomes --set-xmark
    0x1/0xffffffff). A dump that iptables-save wrote prints back byte for byte,
    comments and counters included. Nothing is printed if the file has errors: those
    `verdict check` reports (syntax, and what the kernel would refuse to load: jumps to
    undefined chains, targets outside their tables or hooks, jump loops).

    An `iptables -L` listing (-n, -v, -x, --line-numbers in any combination; several
    tables one after another, each under its `# iptables -t TABLE -L ...` line) is
    converted to iptables-save text, its counters as [packets:bytes]. What a listing
    does not show (options it leaves out, names printed without -n, rounded counters)
    is reported per rule on standard error.

    ebtables text is checked as `verdict check` does and printed in ebtables-save's layout:
    an ebtables-save file prints back byte for byte (rule options as written, not
    respelled); an `ebtables -L` listing (--Ln, --Lc) becomes the ebtables-save text of
    the same rules, its counters as `[PACKETS:BYTES]` before `-A` (ebtables-save -c).

    `nft list ruleset` text prints back in nft's own layout (tabs, a blank line between a
    table's chains and sets, counters, comments): what nft printed, byte for byte. The JSON
    of `nft -j list ruleset` prints as the text `nft list ruleset` prints for the same
    ruleset (but for what nft 1.0.6 leaves out of its JSON: table flags and comments,
    chain comments and devices, typeof, a set's dynamic flag).
    """

    static let tail = """
    EXIT STATUS: 0 printed, 1 the input has errors (nothing printed), 2 usage error.

    EXAMPLES:
      verdict fmt /etc/iptables/rules.v4
      verdict fmt hand-written.rules > canonical.rules
      iptables -t nat -L -n -v | verdict fmt --table nat -
    """

    static func run(_ parsed: ParsedArguments) throws(UsageError) -> ExitStatus {
        guard parsed.operands.count == 1, let path = parsed.operands.first else {
            throw UsageError("give exactly one file (or - for standard input)", showsHelp: true)
        }
        let input: InputFile
        let family: Family
        let format: RulesInput.Format?
        do {
            format = try InputFile.format(parsed.value(Option.from))
            input = try InputFile.read(path)
            family = try input.family(parsed.value(Option.family), format: format)
        } catch let error as InputFile.ReadError {
            throw UsageError(error.message)
        } catch let error as UsageError {
            throw error
        } catch {
            return .usage
        }
        let inputFormat = format ?? RulesInput.detectFormat(input.bytes)
        if inputFormat.isNft {
            let (result, diagnostics) = RulesInput.readNft(input.bytes, format: inputFormat)
            guard clean(diagnostics, source: input.source) else { return .findings }
            writeOutput(Array(NftPrinter.text(result.ruleset).utf8))
            return .success
        }
        if (format ?? RulesInput.detectFormat(input.bytes)).isEbtables {
            return formatEbtables(input, lenient: parsed.isSet(Option.lenient))
        }
        let options = ParseOptions(lenient: parsed.isSet(Option.lenient), table: parsed.value(Option.table))
        let result = RulesInput.parse(input.bytes, family: family, format: format, options: options)
        // The rules as `check` validates them: what check refuses (a jump to no chain, a target
        // outside its table, a loop), fmt does not print either (rules that do not read are
        // not validated: their errors are enough).
        let diagnostics = result.hasErrors ? result.diagnostics : Validator.diagnostics(of: result)
        guard clean(diagnostics, source: input.source) else { return .findings }
        writeOutput(SavePrinter.bytes(result.ruleset))
        Leak.keep(result)
        return .success
    }

    /// ebtables text: checked, then printed as ebtables-save text.
    static func formatEbtables(_ input: InputFile, lenient: Bool) -> ExitStatus {
        let result = EbtablesValidator.read(input.bytes, lenient: lenient)
        guard clean(result.diagnostics, source: input.source) else { return .findings }
        writeOutput(Array(EbtablesSavePrinter.text(result.ruleset).utf8))
        return .success
    }

    /// Prints the diagnostics; whether none is an error (when one is, says that nothing is printed).
    static func clean(_ diagnostics: [Diagnostic], source: SourceText) -> Bool {
        if !diagnostics.isEmpty {
            DiagnosticOutput.print(diagnostics, source: source, command: "fmt")
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        if errors > 0 { printError("verdict fmt: \(errors) error(s); nothing printed") }
        return errors == 0
    }
}
