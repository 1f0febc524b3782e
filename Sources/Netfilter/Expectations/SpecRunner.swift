/// The result of one case: passed or not, the line that says why, and the outcomes behind it.
public struct CaseResult: Sendable {
    public var item: ExpectationCase
    public var passed: Bool
    /// For a failure `expected X, got Y by RULE (...)`; for a pass what happened.
    public var message: String
    public var outcomes: [CaseOutcome]
    /// On a snapshot: the reply's outcomes (every reply of every request outcome).
    public var replies: [CaseOutcome]?
    /// The walk behind the message: each hook with every rule visited (for JUnit, JSON).
    public var details: String
}

/// The results of one spec file.
public struct SpecResult: Sendable {
    public var file: String
    public var cases: [CaseResult]

    public var passed: Int { cases.filter(\.passed).count }
    public var failed: Int { cases.count - passed }
}

/// Runs a checked spec's cases against its target.
public enum SpecRunner {
    public static func run(_ spec: ExpectationSpec, with evaluator: inout CaseEvaluator) -> SpecResult {
        SpecResult(file: spec.file, cases: spec.cases.compactMap { run($0, with: &evaluator) })
    }

    /// nil for a case without an expectation (a packet-list line).
    public static func run(_ item: ExpectationCase, with evaluator: inout CaseEvaluator) -> CaseResult? {
        guard let request = item.request else { return nil }
        let target = evaluator.target
        let (outcomes, replies) = evaluator.outcomes(for: item)
        let rules = { (family: Family) in target.rules(for: family) }
        var (passed, message) = ExpectationMatcher.judge(request, outcomes, rules: rules, snapshot: target.isSnapshot)
        if let reply = item.reply {
            let replyOutcomes = replies ?? []
            let judged: (passed: Bool, message: String)
            if replyOutcomes.isEmpty {
                judged = (false, "expected \(OutcomeWords.expectation(reply)), got no reply (no outcome of the request got through to be answered)")
            } else {
                judged = ExpectationMatcher.judge(reply, replyOutcomes, rules: rules, snapshot: true)
            }
            if !judged.passed {
                message = passed ? "reply: \(judged.message)" : "\(message); reply: \(judged.message)"
            } else if passed {
                message += "; reply: \(judged.message)"
            }
            passed = passed && judged.passed
        }
        var details = details(of: outcomes, rules: rules, heading: "request")
        if item.reply != nil, let replies { details += Self.details(of: replies, rules: rules, heading: "reply") }
        return CaseResult(item: item, passed: passed, message: message, outcomes: outcomes, replies: item.reply == nil ? nil : replies,
                          details: details)
    }

    /// Each outcome's hooks with every rule visited, as `verdict trace` prints them.
    static func details(of outcomes: [CaseOutcome], rules: (Family) -> Ruleset?, heading: String) -> String {
        var out = ""
        var books: [Family: RuleBook] = [:]
        for (position, outcome) in outcomes.enumerated() {
            out += outcomes.count > 1 ? "\(heading), outcome \(position + 1) of \(outcomes.count)" : heading
            out += ": \(OutcomeWords.fate(outcome.fate))\n"
            for assumption in outcome.assumptions { out += "  \(assumption)\n" }
            let family = outcome.after.family
            guard let book = books[family] ?? rules(family).map(RuleBook.init) else { continue }
            books[family] = book
            for pass in outcome.passes {
                if let hook = pass.hook { out += "  \(hook.rawValue)" + (pass.steps.isEmpty ? ": no rules\n" : "\n") }
                out += TextTraceRenderer.stepLines(pass.steps, rules: book, colour: false,
                                                   indent: pass.hook == nil ? 0 : 1, markLast: false)
            }
            if let reason = outcome.reason { out += "  \(reason)\n" }
        }
        return out
    }
}
