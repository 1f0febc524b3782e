/// Outcomes and expectations in the spec's own words: what the recorder writes and what a
/// failing case prints after "got".
public enum OutcomeWords {
    public static func fate(_ fate: CaseOutcome.Fate) -> String {
        switch fate {
        case .accept: return "ACCEPT"
        case .drop: return "DROP"
        case .reject(let kind): return "REJECT \(kind)"
        case .return: return "RETURN"
        case .undetermined(let reason): return "undetermined (\(reason))"
        }
    }

    /// The fate as an expectation (nil for an undetermined outcome, which no spec can expect).
    public static func expectedFate(_ fate: CaseOutcome.Fate) -> ExpectedFate? {
        switch fate {
        case .accept: return .accept
        case .drop: return .drop
        case .reject(let kind): return .reject(kind)
        case .return: return .return
        case .undetermined: return nil
        }
    }

    /// `ADDR[:PORT]` as the compact form writes an endpoint.
    public static func endpoint(_ endpoint: Endpoint) -> String {
        PacketDescription.endpoint(endpoint.address, endpoint.port)
    }

    /// The clauses that describe an outcome, in spec order: `by`, the NAT done, `via`
    /// (snapshot), `to` (snapshot). `explained`: the deciding rule's text in parentheses
    /// after `by` (for messages); otherwise `by` names the rule by its comment when it has
    /// one (what the recorder writes: comments survive rules inserted above).
    public static func clauses(_ outcome: CaseOutcome, rules: Ruleset?, snapshot: Bool, explained: Bool) -> [String] {
        var words: [String] = []
        if let step = outcome.decisive {
            let rule = rules.flatMap { RuleLookup.rule(step, in: $0) }
            let comment = step.kind == .matched ? rule.flatMap { RuleLookup.comments($0).first } : nil
            if explained {
                let text = rules.flatMap { RuleLookup.text(step, in: $0) }
                words.append("by \(RuleLookup.reference(step))" + (text.map { " (\($0))" } ?? ""))
            } else if let comment {
                words.append("by " + "\"" + SpecQuoting.escaped(comment) + "\"")
            } else if step.kind != .implicitReturn || outcome.fate == .return {
                words.append("by \(RuleLookup.reference(step))")
            }
        }
        let before = outcome.before, after = outcome.after
        if after.destination != before.destination || after.destinationPort != before.destinationPort {
            words.append("dnat " + endpoint(Endpoint(address: after.destination, port: after.destinationPort)))
        }
        if after.source != before.source || after.sourcePort != before.sourcePort {
            words.append(outcome.applied(.masquerade) ? "masquerade" : "snat " + endpoint(Endpoint(address: after.source, port: after.sourcePort)))
        }
        if snapshot, !outcome.hooks.isEmpty { words.append("via " + outcome.hooks.map(\.rawValue).joined(separator: ",")) }
        if let exit = outcome.exit { words.append("to \(exit)") }
        if explained, let reason = outcome.reason { words.append("(\(reason))") }
        return words
    }

    /// `ACCEPT by filter/DOCKER:1 (-A DOCKER ...) dnat 172.17.0.2:80 via ... to vethc1`.
    public static func summary(_ outcome: CaseOutcome, rules: Ruleset?, snapshot: Bool) -> String {
        ([fate(outcome.fate)] + clauses(outcome, rules: rules, snapshot: snapshot, explained: true)).joined(separator: " ")
    }

    /// The expectation as written: `maybe ACCEPT by filter/X:3 to vethc1`.
    public static func expectation(_ expectation: Expectation) -> String {
        let parts = expectationParts(expectation)
        return ([parts.head] + parts.clauses).joined(separator: " ")
    }

    /// The outcome (`maybe ACCEPT`) and the clauses (`by ...`, `dnat ...`) of an expectation.
    static func expectationParts(_ expectation: Expectation) -> (head: String, clauses: [String]) {
        var words: [String] = []
        if let decider = expectation.decider { words.append("by \(decider.value)") }
        if let nat = expectation.destinationNAT { words.append("dnat " + endpoint(nat.value)) }
        if let nat = expectation.sourceNAT { words.append("snat " + endpoint(nat.value)) }
        if expectation.masquerade != nil { words.append("masquerade") }
        if let hooks = expectation.hooks { words.append("via " + hooks.value.map(\.rawValue).joined(separator: ",")) }
        if let exit = expectation.exit { words.append("to \(exit.value)") }
        return (expectation.maybe ? "maybe \(expectation.fate.value)" : expectation.fate.value.description, words)
    }

    /// The case in its canonical spelling: `expect FATE PACKET CONDITIONS CLAUSES [reply ...]`.
    public static func caseLine(_ item: ExpectationCase) -> String {
        let request = item.request.map(expectationParts)
        var words: [String] = []
        if let request { words.append("expect " + request.head) }
        words.append(item.packetText)
        words += item.conditionText
        words += request?.clauses ?? []
        if let reply = item.reply { words.append("reply " + expectation(reply)) }
        return words.joined(separator: " ")
    }
}
