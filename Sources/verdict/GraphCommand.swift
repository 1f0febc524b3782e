import Foundation
import Netfilter

/// `verdict graph RULES`: the chains of a rule set as a graph (SVG or Graphviz dot).
enum GraphCommand {
    /// The options of `verdict graph`.
    enum Option {
        static let format = CommonOptions.format([.svg, .dot], help: "svg (default) or dot")
        static let table = OptionDeclaration(
            "--table", placeholder: "T", completion: .tables,
            help: "one table (filter, nat, mangle, raw, security); default every table")
        static let chain = OptionDeclaration(
            "--chain", placeholder: "C", completion: .chains,
            help: "only what chain C reaches (TABLE/CHAIN, or CHAIN when one table has it)")
        static let maxChains = OptionDeclaration(
            "--max-chains", placeholder: "N",
            help: "draw at most N chains per table (default 150; 0: all); the rest are summed up in one node, "
                + "with a note")
        static let family = CommonOptions.family()
        static let lenient = CommonOptions.lenient()
    }

    static let declaration = CommandDeclaration(
        name: "graph", summary: "draw the chains and their jumps (svg, dot)",
        help: CommandHelp(head: head, sections: [
            OptionSection("OPTIONS:", options: [Option.format, Option.table, Option.chain, Option.maxChains,
                                                Option.family, Option.lenient, CommonOptions.help]),
        ], tail: tail),
        operands: .paths, run: run)

    static let head = """
    USAGE: verdict graph RULES [--table T] [--chain [TABLE/]CHAIN] [--format svg|dot] [--max-chains N]

    Draws the chains of an iptables-save / ip6tables-save dump as a graph, per table:
    a node per chain (built-in chains bold and blue, with their policy; every chain with
    its rule count; user chains no rule uses marked unused), an arrow per jump (-j CHAIN,
    solid) and goto (-g CHAIN, dashed), labelled with the numbers of the rules that make
    it. The layout is verdict's own (layers from the built-in chains, left to right); the
    dot output is for Graphviz, with a cluster per table. RULES may be a host snapshot
    folder (its iptables.rules) or - for standard input.
    """

    static let tail = """
    EXIT STATUS: 0 drawn, 1 the rules have errors, 2 usage error or unreadable file.

    EXAMPLES:
      verdict graph rulesets/docker-default --table filter > docker-filter.svg
      verdict graph rulesets/kube-proxy/iptables.rules --chain nat/KUBE-SERVICES --max-chains 60 > kube.svg
      verdict graph /etc/iptables/rules.v4 --format dot | dot -Tpng > chains.png
    """

    static let defaultLimit = 150

    static func run(_ parsed: ParsedArguments) throws(UsageError) -> ExitStatus {
        let format = parsed.value(Option.format, as: OutputFormat.self) ?? .svg
        var limit = defaultLimit
        if let text = parsed.value(Option.maxChains) {
            guard let number = Int(text), number >= 0 else {
                throw UsageError("--max-chains takes a number (0 for no limit), not '\(text)'")
            }
            limit = number
        }
        guard parsed.operands.count == 1, var path = parsed.operands.first else {
            throw UsageError("give exactly one rules file (or snapshot folder)", showsHelp: true)
        }
        if path != "-", HostSnapshot.isSnapshot(path) { path = (path as NSString).appendingPathComponent(HostSnapshot.File.rules) }
        let input: InputFile
        let ruleset: Ruleset
        switch RulesFile.load(path, family: parsed.value(Option.family), lenient: parsed.isSet(Option.lenient),
                            command: "graph") {
        case .success(let loaded): (input, ruleset) = loaded
        case .failure(.invalid): return .findings
        case .failure(.unreadable): return .usage
        }
        var tables = ruleset.tables
        if let name = parsed.value(Option.table) {
            tables = tables.filter { $0.name == name }
            guard !tables.isEmpty else {
                let names = ruleset.tables.map(\.name)
                throw UsageError("no table '\(name)' in \(input.name) (it has \(names.joined(separator: ", ")))"
                                 + (Suggestion.closest(to: name, among: names).map { "; did you mean '\($0)'?" } ?? ""))
            }
        }
        var start: String?
        if let chain = parsed.value(Option.chain) {
            let parts = chain.split(separator: "/", maxSplits: 1).map(String.init)
            let name = parts.count == 2 ? parts[1] : chain
            if parts.count == 2 { tables = tables.filter { $0.name == parts[0] } }
            tables = tables.filter { $0.chain(named: name) != nil }
            guard !tables.isEmpty else {
                throw UsageError("no chain '\(chain)' in \(input.name)")
            }
            guard tables.count == 1 else {
                let names = tables.map(\.name).joined(separator: ", ")
                throw UsageError("chain '\(name)' is in the tables \(names): give TABLE/\(name)")
            }
            start = name
        }
        let graphs = tables.map { JumpGraph($0, start: start, limit: limit) }
        Leak.keep(ruleset)
        if format == .dot {
            print(JumpGraphDotRenderer.dot(graphs), terminator: "")
        } else {
            let title = "verdict graph: \(input.name)" + (start.map { " from \(tables.first?.name ?? "")/\($0)" } ?? "")
            print(JumpGraphSVGRenderer.svg(graphs, title: title), terminator: "")
        }
        return .success
    }
}
