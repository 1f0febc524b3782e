/// The short forms pictures print for what decided a walk: `FORWARD #3 ACCEPT -o docker0
/// --ctstate RELATED,ESTABLISHED` (the rule's conditions without `-m NAME`, comments and
/// the target, which the verdict word already says).
enum RuleSummary {
    /// The entry that ended a table's walk at a hook: its chain, number, effect and
    /// conditions; `policy ACCEPT` for a policy.
    static func deciding(_ step: TraceStep, ruleset: Ruleset?) -> String {
        switch step.kind {
        case .policy: return "\(step.chain) policy \(step.effect?.description ?? "ACCEPT")"
        case .implicitReturn: return "\(step.chain) end of chain: return"
        case .skipped, .skippedRun: return "\(step.chain) #\(step.number) no match"
        case .mayMatch: return "\(step.chain) #\(step.number) may match"
        case .matched:
            let conditions = ruleset.flatMap { self.conditions(of: step, in: $0) } ?? ""
            return "\(step.chain) #\(step.number) \(step.effect?.description ?? "continue")" + (conditions.isEmpty ? "" : " " + conditions)
        }
    }

    /// The full text of the entry (for a tooltip): the rule as iptables-save prints it.
    static func full(_ step: TraceStep, ruleset: Ruleset?) -> String {
        if let text = step.nftRule { return "\(step.table)/\(step.chain) #\(step.number): " + text }
        guard let rule = rule(of: step, in: ruleset) else { return deciding(step, ruleset: ruleset) }
        return "\(step.table)/\(step.chain) #\(step.number): " + SavePrinter.ruleText(rule, family: ruleset?.family ?? .ipv4)
    }

    static func rule(of step: TraceStep, in ruleset: Ruleset?) -> Rule? {
        guard let chain = ruleset?.table(named: step.table)?.chain(named: step.chain), step.number >= 1,
              step.number <= chain.rules.count else { return nil }
        return chain.rules[step.number - 1]
    }

    /// The rule's conditions in save form, without module loads, comments and target.
    static func conditions(of step: TraceStep, in ruleset: Ruleset) -> String? {
        guard var rule = rule(of: step, in: ruleset) else { return nil }
        rule.matches.removeAll { $0.traits.contains(.annotates) }
        rule.target = .none
        let words = SavePrinter.ruleText(rule, family: ruleset.family).split(separator: " ", omittingEmptySubsequences: true)
        var kept: [Substring] = []
        var index = 0
        while index < words.count {
            if words[index] == "-m", index + 1 < words.count {
                index += 2
                continue
            }
            kept.append(words[index])
            index += 1
        }
        return kept.joined(separator: " ")
    }

    /// The user chains a table's walk went through (in order, each once), without the
    /// chain where it started and the one that decided.
    static func via(_ steps: [TraceStep]) -> [String] {
        guard let first = steps.first, let last = steps.last else { return [] }
        var seen: Set<String> = [first.chain, last.chain]
        var chains: [String] = []
        for step in steps where !seen.contains(step.chain) {
            seen.insert(step.chain)
            chains.append(step.chain)
        }
        return chains
    }

    /// What matching rules did on the way that did not decide (TRACE, MARK, LOG, ...).
    static func sideEffects(_ steps: [TraceStep]) -> [String] {
        var effects: [String] = []
        for step in steps.dropLast() {
            guard case .matched = step.kind, let effect = step.effect, !effect.entersChain,
                  effect != .verdict(.return), !effects.contains(effect.description) else { continue }
            effects.append(effect.description)
        }
        return effects
    }

    /// An ebtables step line (`eb nat/PREROUTING #1 TEXT: match -> ACCEPT`) in the same
    /// short form: `PREROUTING #1 ACCEPT TEXT`.
    /// `short`: without the conditions (`PREROUTING #1 ACCEPT`).
    static func bridgeStep(_ step: EbtablesStep, table: String, short: Bool = false) -> String {
        guard case .matched(let target) = step.kind, let number = step.number else {
            let text = step.description
            let place = "eb \(table)/"
            return text.hasPrefix(place) ? String(text.dropFirst(place.count)) : text
        }
        var rest = Substring(step.ruleText ?? "")
        if rest.hasSuffix(" -j \(target)") { rest = rest.dropLast(" -j \(target)".count) }
        return "\(step.chain) #\(number) \(target)" + (rest.isEmpty || short ? "" : " " + rest)
    }
}
