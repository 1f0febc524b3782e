import Foundation
import Netfilter

/// `verdict graph RULES`: the chains of a rule set as a graph (SVG or Graphviz dot).
enum GraphCommand {
    static let help = """
    USAGE: verdict graph RULES [--table T] [--chain [TABLE/]CHAIN] [--format svg|dot] [--max-chains N]

    Draws the chains of an iptables-save / ip6tables-save dump as a graph, per table:
    a node per chain (built-in chains bold and blue, with their policy; every chain with
    its rule count; user chains no rule uses marked unused), an arrow per jump (-j CHAIN,
    solid) and goto (-g CHAIN, dashed), labelled with the numbers of the rules that make
    it. The layout is verdict's own (layers from the built-in chains, left to right); the
    dot output is for Graphviz, with a cluster per table. RULES may be a host snapshot
    folder (its iptables.rules) or - for standard input.

    OPTIONS:
      --format F        svg (default) or dot
      --table T         one table (filter, nat, mangle, raw, security); default every table
      --chain C         only what chain C reaches (TABLE/CHAIN, or CHAIN when one table has it)
      --max-chains N    draw at most N chains per table (default 150; 0: all); the rest are
                        summed up in one node, with a note
      --family F        ipv4, ipv6 or auto (default)
      --lenient         keep rules with unknown modules as opaque text

    EXIT STATUS: 0 drawn, 1 the rules have errors, 2 usage error or unreadable file.

    EXAMPLES:
      verdict graph rulesets/docker-default --table filter > docker-filter.svg
      verdict graph rulesets/kube-proxy/iptables.rules --chain nat/KUBE-SERVICES --max-chains 60 > kube.svg
      verdict graph /etc/iptables/rules.v4 --format dot | dot -Tpng > chains.png
    """

    static let defaultLimit = 150

    static func run(_ words: [String]) -> ExitStatus {
        let parsed: (options: [String: [String]], operands: [String])
        do {
            parsed = try Arguments.parse(words, flags: ["--lenient"], valued: ["--format", "--table", "--chain", "--max-chains", "--family"])
        } catch let error as Arguments.UsageError {
            printError("verdict graph: \(error.message)")
            return .usage
        } catch {
            return .usage
        }
        func option(_ name: String) -> String? { parsed.options[name]?.last }
        let format = option("--format") ?? "svg"
        guard format == "svg" || format == "dot" else {
            printError("verdict graph: unknown format '\(format)' (svg or dot)")
            return .usage
        }
        var limit = defaultLimit
        if let text = option("--max-chains") {
            guard let number = Int(text), number >= 0 else {
                printError("verdict graph: --max-chains takes a number (0 for no limit), not '\(text)'")
                return .usage
            }
            limit = number
        }
        guard parsed.operands.count == 1, var path = parsed.operands.first else {
            printError("verdict graph: give exactly one rules file (or snapshot folder)\n\n" + help)
            return .usage
        }
        if path != "-", HostSnapshot.isSnapshot(path) { path = (path as NSString).appendingPathComponent(HostSnapshot.File.rules) }
        let input: InputFile
        let ruleset: Ruleset
        switch RulesFile.load(path, family: option("--family"), lenient: parsed.options["--lenient"] != nil, command: "graph") {
        case .success(let loaded): (input, ruleset) = loaded
        case .failure(.invalid): return .findings
        case .failure(.unreadable): return .usage
        }
        var tables = ruleset.tables
        if let name = option("--table") {
            tables = tables.filter { $0.name == name }
            guard !tables.isEmpty else {
                printError("verdict graph: no table '\(name)' in \(input.name) (it has \(ruleset.tables.map(\.name).joined(separator: ", ")))")
                return .usage
            }
        }
        var start: String?
        if let chain = option("--chain") {
            let parts = chain.split(separator: "/", maxSplits: 1).map(String.init)
            let name = parts.count == 2 ? parts[1] : chain
            if parts.count == 2 { tables = tables.filter { $0.name == parts[0] } }
            tables = tables.filter { $0.chain(named: name) != nil }
            guard !tables.isEmpty else {
                printError("verdict graph: no chain '\(chain)' in \(input.name)")
                return .usage
            }
            guard tables.count == 1 else {
                printError("verdict graph: chain '\(name)' is in the tables \(tables.map(\.name).joined(separator: ", ")): give TABLE/\(name)")
                return .usage
            }
            start = name
        }
        let graphs = tables.map { JumpGraph($0, start: start, limit: limit) }
        Leak.keep(ruleset)
        if format == "dot" {
            print(JumpGraphDotRenderer.dot(graphs), terminator: "")
        } else {
            let title = "verdict graph: \(input.name)" + (start.map { " from \(tables.first?.name ?? "")/\($0)" } ?? "")
            print(JumpGraphSVGRenderer.svg(graphs, title: title), terminator: "")
        }
        return .success
    }
}
