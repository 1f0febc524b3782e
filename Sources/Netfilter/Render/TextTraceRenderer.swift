/// The readable explanation of a walk: one line per rule visited, indented by call depth,
/// the deciding entry marked, the verdict last.
public enum TextTraceRenderer {
    /// `colour`: ANSI colours for a terminal (rules that did not match dimmed, the deciding
    /// entry and the verdict bold, green for ACCEPT and red for DROP).
    public static func render(_ results: [WalkResult], ruleset: Ruleset, colour: Bool = false) -> String {
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func verdictCode(_ result: WalkResult) -> String {
            switch result.verdict {
            case .accept?: return "1;32"
            case .drop?: return "1;31"
            default: return "1;33"
            }
        }
        let rules = RuleBook(ruleset)
        var out = ""
        for (position, result) in results.enumerated() {
            if results.count > 1 {
                let chance = result.probability.map { " (probability \(ChainWalker.percent($0)))" } ?? ""
                out += "outcome \(position + 1) of \(results.count): \(verdictText(result))\(chance)\n"
                for assumption in result.assumptions { out += "  \(assumption)\n" }
            }
            out += stepLines(result.steps, rules: rules, colour: colour, markLast: true)
            out += paint("verdict: \(verdictText(result))", verdictCode(result)) + "\n"
            if result.steps.contains(where: { $0.targetSpec?.nat != nil }) {
                out += "packet after NAT: \(PacketDescription.format(result.packet))\n"
            }
        }
        return out
    }

    /// One line per step, indented by call depth (plus `indent` levels); `markLast` marks
    /// the last entry as the deciding one. `rules` finds each step's rule in constant time (a
    /// walk down a line of chains visits a new chain at every step).
    public static func stepLines(_ steps: [TraceStep], rules: RuleBook, colour: Bool, indent extra: Int = 0,
                                 markLast: Bool) -> String {
        var out = ""
        writeSteps(steps, rules: rules, colour: colour, indent: extra, markLast: markLast, to: &out)
        return out
    }

    /// `stepLines`, written to `out` line by line.
    public static func writeSteps<Output: TextOutputStream>(_ steps: [TraceStep], rules: RuleBook, colour: Bool,
                                                            indent extra: Int = 0, markLast: Bool,
                                                            to out: inout Output) {
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        for (index, step) in steps.enumerated() {
            let indent = String(repeating: "  ", count: step.depth + 1 + extra)
            let place = "\(step.table)/\(step.chain)"
            let decisive = markLast && index == steps.count - 1 ? "=> " : ""
            switch step.kind {
            case .skipped(let reason):
                let text = "\(indent)\(place) #\(step.number) \(ruleText(step, rules)): no match (\(reason))"
                out.write(paint(text, "2") + "\n")
            case .mayMatch(let options):
                let text = "\(indent)\(place) #\(step.number) \(ruleText(step, rules)): may match some of these "
                    + "packets (\(options)); no target, so all of them go on alike"
                out.write(paint(text, "2") + "\n")
            case .skippedRun(let last, let reason):
                let count = last - step.number + 1
                let text = "\(indent)\(place) #\(step.number)-#\(last) (\(count) rules): no match (\(reason))"
                out.write(paint(text, "2") + "\n")
            case .matched:
                let line = "\(indent)\(decisive)\(place) #\(step.number) \(ruleText(step, rules)): "
                    + "match -> \(step.effect?.description ?? "continue")"
                out.write((decisive.isEmpty ? line : paint(line, "1")) + "\n")
            case .policy:
                let line = "\(indent)\(decisive)\(place) policy \(step.effect?.description ?? "ACCEPT")"
                out.write((decisive.isEmpty ? line : paint(line, "1")) + "\n")
            case .implicitReturn:
                out.write("\(indent)\(place) end of chain: return\n")
            }
        }
    }

    static func verdictText(_ result: WalkResult) -> String {
        if let verdict = result.verdict {
            let word = verdict == .return ? "RETURN (falls back to the caller)" : verdict.rawValue
            return word + AnswerRenderer.caveat(result)
        }
        return "undetermined: \(result.undetermined ?? "")"
    }

    static func ruleText(_ step: TraceStep, _ rules: RuleBook) -> String {
        if let text = step.nftRule { return text }
        guard let rule = rules.rule(step) else { return "" }
        let text = SavePrinter.ruleText(rule, family: rules.ruleset.family)
        return text.isEmpty ? "(no conditions)" : text
    }
}
