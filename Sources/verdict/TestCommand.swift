import Foundation
import Netfilter

/// `verdict test RULES-OR-SNAPSHOT SPEC...`: expectation files, run as a test suite; and
/// `verdict test RULES-OR-SNAPSHOT --record PACKETS`: the current outcomes written as one.
enum TestCommand {
    /// The options of `verdict test`.
    enum Option {
        static let junit = OptionDeclaration(
            "--junit", placeholder: "FILE", completion: .paths,
            help: "also write JUnit XML (a testsuite per spec, a testcase per case)")
        static let format = CommonOptions.format([.text, .json], help: "text (default) or json")
        static let verbose = OptionDeclaration.flag("--verbose", aliases: ["-v"], help: "print passing cases too")
        static let record = OptionDeclaration(
            "--record", placeholder: "PACKETS", completion: .paths,
            help: "run the packet lines of PACKETS (cases with or without `expect OUTCOME`; `reply` asks for the "
                + "reply) and write a spec with their current outcomes, which `verdict test` then passes")
        static let output = OptionDeclaration(
            "--output", aliases: ["-o"], placeholder: "OUT", completion: .paths,
            help: "where --record writes (standard output without it); written whole or not at all")
        static let family = CommonOptions.family("ipv4, ipv6 or auto (default) for a rules file")
    }

    static let declaration = CommandDeclaration(
        name: "test", summary: "check packets against expectation files; --record writes them",
        help: CommandHelp(head: head, sections: [
            OptionSection("OPTIONS:", options: [Option.junit, Option.format, Option.verbose, Option.record,
                                                Option.output, Option.family, CommonOptions.help]),
        ], tail: tail),
        operands: .paths, run: run)

    static let head = """
    USAGE: verdict test RULES-OR-SNAPSHOT SPEC... [--junit FILE] [--format text|json] [--verbose]
           verdict test RULES-OR-SNAPSHOT --record PACKETS [-o OUT]

    Runs expectation files (docs/expectations.md): one case per line, a packet in the
    compact form and what must happen to it. Each failing case prints one line, the
    expectation and what happened instead with the rule that decided; then
    `N passed, M failed`.

        expect ACCEPT  tcp 93.184.216.34:50000 -> 10.0.2.15:8080 syn from eth0 dnat 172.17.0.2:80 to vethc1
        expect DROP    tcp 93.184.216.34:50000 -> 172.17.0.2:80 syn from eth0 by raw/PREROUTING:1
        expect ACCEPT  tcp 10.0.0.9:40000 -> 10.0.0.2:22 in eth0 at INPUT with ctstate NEW   # a rules file

    On a snapshot folder a case says where the packet arrives (`from IFACE|local`) and may
    check the path (`via HOOK,...`, `to IFACE|local`) and the reply (`reply ACCEPT ...`); on
    a rules file it says where it is evaluated (`at HOOK[,HOOK...]` or `at TABLE/CHAIN`).
    Clauses: by TABLE/CHAIN:N|"comment", dnat ADDR[:PORT], snat ADDR[:PORT], masquerade,
    with ctstate S|mark N|connmark N, assume MATCH=true|false. A packet may leave fields
    open or give sets (`tcp * -> 10.0.2.15:8080`, `udp 10.0.0.0/8 -> *:53`): `expect X`
    passes when every class of its packets gets X, `expect maybe X` when some class does.
    """

    static let tail = """
    EXIT STATUS: 0 every case passed (or recorded), 1 a case failed, 2 usage error, an
    unreadable file, rules with errors, or an error in a spec (FILE:LINE:COL, every error
    of every spec; then no case runs).

    EXAMPLES:
      verdict test rulesets/docker-default docs/examples/docker-default.spec
      verdict test rules.v4 checks.spec --junit build/firewall.xml
      verdict test rulesets/docker-default --record packets.txt -o golden.spec
    """

    static func run(_ parsed: ParsedArguments) throws(UsageError) -> ExitStatus {
        let format = parsed.value(Option.format, as: OutputFormat.self) ?? .text
        guard let targetPath = parsed.operands.first else {
            throw UsageError("give a rules file or a snapshot folder, then the spec files", showsHelp: true)
        }
        let specPaths = Array(parsed.operands.dropFirst())
        let record = parsed.value(Option.record)
        if record != nil, !specPaths.isEmpty {
            throw UsageError("--record takes its packet list as its value; give no spec files with it")
        }
        if record == nil, specPaths.isEmpty {
            throw UsageError("give at least one spec file after \(targetPath) (or --record PACKETS)")
        }
        if record == nil, parsed.isSet(Option.output) {
            throw UsageError("-o goes with --record (use --junit FILE for a report)")
        }
        guard let target = loadTarget(targetPath, family: parsed.value(Option.family)) else { return .usage }
        if let record {
            return recordSpec(record, target: target, output: parsed.value(Option.output))
        }
        var specs: [ExpectationSpec] = []
        var failedToParse = false
        for path in specPaths {
            guard let spec = readSpec(path, mode: .spec, target: target) else {
                failedToParse = true
                continue
            }
            specs.append(spec)
        }
        if failedToParse { return .usage }
        var evaluator = CaseEvaluator(target: target)
        let results = specs.map { SpecRunner.run($0, with: &evaluator) }
        for result in results where result.cases.isEmpty { printError("verdict test: note: \(result.file) has no cases") }
        let passed = results.reduce(0) { $0 + $1.passed }, failed = results.reduce(0) { $0 + $1.failed }
        if format == .json {
            print(ExpectationJSONRenderer.render(results, target: target))
        } else {
            let verbose = parsed.isSet(Option.verbose)
            for result in results {
                for item in result.cases where !item.passed || verbose {
                    print("\(result.file):\(item.item.line): \(item.passed ? "ok: " : "")\(item.message)")
                }
            }
            print("\(passed) passed, \(failed) failed")
        }
        if let junit = parsed.value(Option.junit) {
            do {
                try AtomicFile.write(JUnitRenderer.render(results), to: junit)
            } catch {
                printError("verdict test: cannot write \(junit): \(error)")
                return .usage
            }
        }
        return failed > 0 ? .findings : .success
    }

    /// The rules file or snapshot folder, its rules free of errors; nil after saying why not.
    static func loadTarget(_ path: String, family: String?) -> SpecTarget? {
        if HostSnapshot.isSnapshot(path) {
            guard case .success(let snapshot) = RulesFile.loadSnapshot(path, command: "test") else { return nil }
            return .snapshot(snapshot)
        }
        guard case .success(let loaded) = RulesFile.load(path, family: family, command: "test") else { return nil }
        return .rules(loaded.ruleset)
    }

    /// A spec or packet list, parsed and checked against the target; nil after printing
    /// every error it has.
    static func readSpec(_ path: String, mode: SpecParser.Mode, target: SpecTarget) -> ExpectationSpec? {
        let input: InputFile
        do {
            input = try InputFile.read(path)
        } catch let error as InputFile.ReadError {
            printError("verdict test: \(error.message)")
            return nil
        } catch {
            return nil
        }
        let (spec, errors) = SpecParser.parse(input.bytes, file: input.name, mode: mode)
        let diagnostics = (errors + SpecChecker.check(spec, against: target)).sorted { $0.location < $1.location }
        guard diagnostics.isEmpty else {
            for diagnostic in diagnostics { printError(input.source.render(diagnostic)) }
            let consequence = mode == .spec ? "no case was run" : "nothing was recorded"
            printError("verdict test: \(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in \(input.name); \(consequence)")
            return nil
        }
        return spec
    }

    static func recordSpec(_ path: String, target: SpecTarget, output: String?) -> ExitStatus {
        guard let packets = readSpec(path, mode: .packets, target: target) else { return .usage }
        var evaluator = CaseEvaluator(target: target)
        let recording = SpecRecorder.record(packets, with: &evaluator)
        // What is written must be a spec that parses: never hand on a file that does not.
        let (_, errors) = SpecParser.parse(Array(recording.text.utf8), file: output ?? "<recording>", mode: .spec)
        if let first = errors.first {
            printError("verdict test: internal error: the recorded spec does not parse (\(first)); nothing written")
            return .usage
        }
        for (line, reason) in recording.undecided {
            printError("\(packets.file):\(line): warning: an outcome cannot be decided (\(reason)); written as a comment")
        }
        if let output {
            do {
                try AtomicFile.write(recording.text, to: output)
            } catch {
                printError("verdict test: cannot write \(output): \(error)")
                return .usage
            }
            printError("verdict test: recorded \(recording.cases) case\(recording.cases == 1 ? "" : "s") in \(output)")
        } else {
            print(recording.text, terminator: "")
        }
        return .success
    }
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename.
enum AtomicFile {
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw WriteError(description: "\(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(description: reason)
        }
    }
}
