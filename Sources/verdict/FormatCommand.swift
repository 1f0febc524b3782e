import Netfilter

/// `verdict fmt FILE`: the canonical iptables-save text of a dump.
enum FormatCommand {
    static let help = """
    USAGE: verdict fmt [--family ipv4|ipv6|auto] [--lenient] FILE

    Prints the dump in the canonical form iptables-save itself writes: options in
    iptables' order (-s -d -i -o -p -f, matches, target), /32 masks, -m tcp after
    -p tcp, values in their printed spelling (--set-mark 1 becomes --set-xmark
    0x1/0xffffffff). A dump that iptables-save wrote prints back byte for byte,
    comments and counters included. Nothing is printed if the file has errors.

    OPTIONS:
      --family F   ipv4, ipv6, or auto (default)
      --lenient    keep rules with unknown modules or options as they are
      -            read standard input

    EXIT STATUS: 0 printed, 1 the input has errors (nothing printed), 2 usage error.

    EXAMPLES:
      verdict fmt /etc/iptables/rules.v4
      verdict fmt hand-written.rules > canonical.rules
    """

    static func run(_ words: [String]) -> ExitStatus {
        let parsed: (options: [String: [String]], operands: [String])
        do {
            parsed = try Arguments.parse(words, flags: ["--lenient"], valued: ["--family"])
        } catch let error as Arguments.UsageError {
            printError("verdict fmt: \(error.message)")
            return .usage
        } catch {
            return .usage
        }
        guard parsed.operands.count == 1, let path = parsed.operands.first else {
            printError("verdict fmt: give exactly one file (or - for standard input)\n\n" + help)
            return .usage
        }
        let input: InputFile
        let family: Family
        do {
            input = try InputFile.read(path)
            family = try input.family(parsed.options["--family"]?.last)
        } catch let error as InputFile.ReadError {
            printError("verdict fmt: \(error.message)")
            return .usage
        } catch let error as Arguments.UsageError {
            printError("verdict fmt: \(error.message)")
            return .usage
        } catch {
            return .usage
        }
        let result = SaveParser.parse(input.bytes, family: family, options: ParseOptions(lenient: parsed.options["--lenient"] != nil))
        if !result.diagnostics.isEmpty {
            let source = input.source
            for diagnostic in result.diagnostics { printError(source.render(diagnostic)) }
        }
        if result.hasErrors {
            printError("verdict fmt: \(result.errors.count) error(s); nothing printed")
            return .findings
        }
        writeOutput(SavePrinter.bytes(result.ruleset))
        Leak.keep(result)
        return .success
    }
}
