/// Writes the current outcomes of a packet list as a spec (`verdict test --record`): per
/// packet `expect OUTCOME PACKET CONDITIONS by ... dnat ... via ... to ...`, which
/// `verdict test` then passes. Comment and blank lines stay where they were. A packet
/// with several possible outcomes gets one `expect maybe` line per distinct outcome; an
/// outcome verdict cannot decide is written as a comment, never guessed.
public enum SpecRecorder {
    public struct Recording: Sendable {
        public var text: String
        /// Lines whose packet had an outcome that could not be decided, and why.
        public var undecided: [(line: Int, reason: String)]
        public var cases: Int
    }

    public static func record(_ spec: ExpectationSpec, with evaluator: inout CaseEvaluator) -> Recording {
        var out = ""
        var undecided: [(line: Int, reason: String)] = []
        var cases = 0
        let target = evaluator.target
        for line in spec.lines {
            switch line {
            case .text(let text):
                out += text + "\n"
            case .case(let item):
                let (outcomes, replies) = evaluator.outcomes(for: item)
                let rules = { (family: Family) in target.rules(for: family) }
                let requestGroups = groups(outcomes, rules: rules, snapshot: target.isSnapshot)
                for reason in requestGroups.undetermined {
                    undecided.append((item.line, reason))
                    out += "# verdict cannot decide an outcome of the next packet (\(reason)); not recorded\n"
                }
                var replyWords: [String] = [""]
                if item.recordsReply, let replies, !replies.isEmpty {
                    let replyGroups = groups(replies, rules: rules, snapshot: true)
                    for reason in replyGroups.undetermined {
                        undecided.append((item.line, "reply: " + reason))
                        out += "# verdict cannot decide an outcome of the next packet's reply (\(reason)); not recorded\n"
                    }
                    let maybe = replyGroups.words.count > 1 || !replyGroups.undetermined.isEmpty
                    replyWords = replyGroups.words.map { " reply " + (maybe ? "maybe " : "") + ([$0.fate] + $0.clauses).joined(separator: " ") }
                    if replyWords.isEmpty { replyWords = [""] }
                }
                let conditions = item.conditionText.joined(separator: " ")
                if requestGroups.words.isEmpty {
                    out += "# " + ([item.packetText, conditions].filter { !$0.isEmpty }.joined(separator: " ")) + "\n"
                    continue
                }
                let maybe = requestGroups.words.count > 1 || !requestGroups.undetermined.isEmpty
                for words in requestGroups.words {
                    for reply in replyWords {
                        var text = "expect " + (maybe ? "maybe " : "") + padded(words.fate) + item.packetText
                        if !conditions.isEmpty { text += " " + conditions }
                        if !words.clauses.isEmpty { text += " " + words.clauses.joined(separator: " ") }
                        text += reply
                        if let comment = item.trailingComment { text += "  " + comment }
                        out += text + "\n"
                        cases += 1
                    }
                }
            }
        }
        return Recording(text: out, undecided: undecided, cases: cases)
    }

    /// The distinct outcomes in spec words, in order (fate, clauses), and the reasons of
    /// those that could not be decided.
    static func groups(_ outcomes: [CaseOutcome], rules: (Family) -> Ruleset?, snapshot: Bool)
        -> (words: [(fate: String, clauses: [String])], undetermined: [String]) {
        var words: [(fate: String, clauses: [String])] = []
        var undetermined: [String] = []
        for outcome in outcomes {
            guard let fate = OutcomeWords.expectedFate(outcome.fate) else {
                if case .undetermined(let reason) = outcome.fate, !undetermined.contains(reason) { undetermined.append(reason) }
                continue
            }
            let entry = (fate: fate.description, clauses: OutcomeWords.clauses(outcome, rules: rules(outcome.after.family), snapshot: snapshot, explained: false))
            if !words.contains(where: { $0.fate == entry.fate && $0.clauses == entry.clauses }) { words.append(entry) }
        }
        return (words, undetermined)
    }

    /// The outcome word padded so that packets line up (`ACCEPT  `, `DROP    `).
    static func padded(_ fate: String) -> String {
        fate + String(repeating: " ", count: max(1, 8 - fate.count))
    }
}
