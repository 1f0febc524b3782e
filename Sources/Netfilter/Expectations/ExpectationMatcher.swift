/// Decides whether outcomes meet an expectation. `expect X` needs every possible outcome to
/// be X (an undecidable match that could make it otherwise fails the case, saying which
/// assumption does); `expect maybe X` needs one.
public enum ExpectationMatcher {
    /// Whether one outcome meets every clause of the expectation.
    public static func meets(_ outcome: CaseOutcome, _ expectation: Expectation, rules: Ruleset?) -> Bool {
        guard fateMatches(outcome.fate, expectation.fate.value) else { return false }
        if let decider = expectation.decider {
            // An accepted packet was accepted by a rule in each table it met: any of them may
            // be named. A dropped or returned one has the one entry that decided.
            let candidates = outcome.fate == .accept ? outcome.deciders : outcome.decisive.map { [$0] } ?? []
            guard candidates.contains(where: { refers(decider.value, to: $0, rules: rules) }) else { return false }
        }
        let before = outcome.before, after = outcome.after
        if let nat = expectation.destinationNAT {
            let changed = after.destination != before.destination || after.destinationPort != before.destinationPort
            guard changed, after.destination == nat.value.address, nat.value.port == nil || after.destinationPort == nat.value.port else { return false }
        }
        if let nat = expectation.sourceNAT {
            let changed = after.source != before.source || after.sourcePort != before.sourcePort
            guard changed, after.source == nat.value.address, nat.value.port == nil || after.sourcePort == nat.value.port else { return false }
        }
        if expectation.masquerade != nil, !outcome.applied(.masquerade) { return false }
        if let hooks = expectation.hooks, !isSubsequence(hooks.value, of: outcome.hooks) { return false }
        if let exit = expectation.exit, outcome.exit != exit.value { return false }
        return true
    }

    static func fateMatches(_ fate: CaseOutcome.Fate, _ expected: ExpectedFate) -> Bool {
        switch (fate, expected) {
        case (.accept, .accept), (.drop, .drop), (.return, .return), (.reject, .reject(nil)): return true
        case (.reject(let kind), .reject(let wanted?)): return kind == wanted
        default: return false
        }
    }

    /// Whether `by` names this entry.
    static func refers(_ reference: RuleReference, to step: TraceStep, rules: Ruleset?) -> Bool {
        switch reference {
        case .rule(let table, let chain, let number):
            // An nft table is `FAMILY NAME`; `by NAME/CHAIN:N` names it without its family.
            let nftTable = (step.nftRule != nil || step.kind == .policy) && step.table.hasSuffix(" " + table)
            guard step.table == table || nftTable, step.chain == chain else { return false }
            if let number { return step.number == number }
            return step.kind == .policy
        case .comment(let text):
            guard step.kind == .matched else { return false }
            if step.nftRule != nil { return step.nftComment == text }
            guard let rules, let rule = RuleLookup.rule(step, in: rules) else { return false }
            return RuleLookup.comments(rule).contains(text)
        }
    }

    /// `, for tcp * -> 10.0.0.2:22 ctstate NEW`: the class an outcome is for, when the case
    /// left fields open (its conditions too).
    static func packetsText(_ outcome: CaseOutcome) -> String {
        guard let packets = outcome.packets else { return "" }
        return ", for " + packets.cubes.map { PacketDescription.classText(outcome.before, class: $0) }
            .joined(separator: " or ")
    }

    static func isSubsequence(_ wanted: [Hook], of hooks: [Hook]) -> Bool {
        var remaining = wanted[...]
        for hook in hooks where hook == remaining.first { remaining = remaining.dropFirst() }
        return remaining.isEmpty
    }

    /// Whether the outcomes meet the expectation, and the words that explain it: for a
    /// failure `expected X, got Y` with the deciding rule; for a pass what happened.
    public static func judge(_ expectation: Expectation, _ outcomes: [CaseOutcome], rules: (Family) -> Ruleset?,
                             snapshot: Bool) -> (passed: Bool, message: String) {
        func describe(_ outcome: CaseOutcome) -> String {
            OutcomeWords.summary(outcome, rules: rules(outcome.after.family), snapshot: snapshot)
        }
        let expected = OutcomeWords.expectation(expectation)
        guard !outcomes.isEmpty else { return (false, "expected \(expected), got no outcome") }
        let met = outcomes.map { meets($0, expectation, rules: rules($0.after.family)) }
        let passed = expectation.maybe ? met.contains(true) : !met.contains(false)
        if outcomes.count == 1 {
            return (passed, passed ? describe(outcomes[0]) : "expected \(expected), got \(describe(outcomes[0]))")
        }
        let listed = outcomes.enumerated().map { position, outcome in
            let flag = !passed && !expectation.maybe && !met[position] ? " (not as expected)" : ""
            return "outcome \(position + 1)\(flag)\(packetsText(outcome)): \(describe(outcome))"
        }.joined(separator: "; ")
        if passed { return (true, "\(outcomes.count) outcomes: \(listed)") }
        let failing = met.filter { !$0 }.count
        if expectation.maybe {
            return (false, "expected \(expected) in some outcome, got none of \(outcomes.count): \(listed)")
        }
        return (false, "expected \(expected) in every outcome, but \(failing) of \(outcomes.count) \(failing == 1 ? "is" : "are") not: \(listed)")
    }
}
