/// What a rule's checks (header and matches, one conjunction) say of a packet whose fields
/// may be open: it matches, it fails (one check fails, whatever the others), or some checks
/// read open fields and none fails.
enum RuleCheck {
    case matches
    case fails(String)
    case undecided(UndecidedParts)
}

/// The checks of a rule a packet leaves undecided: the header options that read open
/// fields, and the matches that could not decide (with the probability of a random one).
/// A class, so that a rule's check result stays one word on the fast path.
final class UndecidedParts {
    /// The undecided header options alone; nil when the header decided.
    let header: HeaderMatch?
    /// Undecided matches by their index in the rule; `chance` for statistic's random mode.
    let matches: [(index: Int, chance: Double?)]
    /// The text of a rule verdict kept without understanding it (`--lenient`).
    let opaque: String?

    init(header: HeaderMatch?, matches: [(index: Int, chance: Double?)], opaque: String?) {
        self.header = header
        self.matches = matches
        self.opaque = opaque
    }
}

extension TableWalk {
    /// The rule's header checks, then each match: the first that fails decides; otherwise
    /// the undecided ones (open fields, matches the evaluator cannot decide), unless the
    /// user pinned their module with `--assume`.
    @inline(__always)
    func check(_ position: Int, _ packet: Packet) -> RuleCheck {
        // The rule is read in place (a compiled rule is large: copying it per rule visited
        // would cost more than deciding it).
        guard rules[position].opaqueText == nil else { return checkWithHeader(position, packet) }
        switch rules[position].fastHeader.decide(packet) {
        case true?:
            break
        case false? where !recordsSkips:
            return .fails("")
        default:
            return checkWithHeader(position, packet)
        }
        let matches = checkMatches(position, packet)
        if let failure = matches.failure { return .fails(failure) }
        if matches.undecided.isEmpty { return .matches }
        return .undecided(UndecidedParts(header: nil, matches: matches.undecided, opaque: nil))
    }

    /// The check of a rule whose header fails (with the reason a trace shows) or reads open
    /// fields, or that was kept without being understood.
    @inline(never)
    private func checkWithHeader(_ position: Int, _ packet: Packet) -> RuleCheck {
        if let opaque = rules[position].opaqueText {
            return .undecided(UndecidedParts(header: nil, matches: [], opaque: opaque))
        }
        // Set past the failure (the common case here, in a trace), not before it.
        let header: HeaderMatch?
        switch rules[position].header.partition(packet) {
        case .matches: header = nil
        case .fails(let reason): return .fails(reason)
        case .undecided(let open, _): header = open
        }
        let matches = checkMatches(position, packet)
        if let failure = matches.failure { return .fails(failure) }
        if header == nil && matches.undecided.isEmpty { return .matches }
        return .undecided(UndecidedParts(header: header, matches: matches.undecided, opaque: nil))
    }

    /// The rule's matches: the first failure's reason, or the undecided ones (none: all match).
    @inline(__always)
    private func checkMatches(_ position: Int, _ packet: Packet)
        -> (failure: String?, undecided: [(index: Int, chance: Double?)]) {
        var undecided: [(index: Int, chance: Double?)] = []
        let explains = recordsSkips
        for (index, match) in rules[position].matches.enumerated() {
            if !explains, let decided = match.spec.decide?(match, packet) {
                if decided { continue }
                return ("", [])
            }
            let outcome = match.spec.evaluate?(match, packet) ?? .unknown("-m \(match.spec.name) is not modelled yet")
            switch outcome {
            case .matches:
                continue
            case .fails(let reason):
                return (reason, [])
            case .unknown(let reason), .chance(_, let reason):
                if let value = walker.pinned[match.spec.name] {
                    if value { continue }
                    return ("\(reason) (assumed false by --assume)", [])
                }
                if case .chance(let probability, _) = outcome {
                    undecided.append((index, probability))
                } else {
                    undecided.append((index, nil))
                }
            }
        }
        return (nil, undecided)
    }

    /// The undecided checks in save form (`-s 10.0.0.0/8 -m tcp --dport 22`), for reasons.
    func text(of parts: UndecidedParts, _ position: Int, family: Family) -> String {
        if let opaque = parts.opaque { return opaque }
        var rule = Rule()
        rule.header = parts.header ?? HeaderMatch()
        rule.matches = parts.matches.map { rules[position].matches[$0.index] }
        return SavePrinter.ruleText(rule, family: family)
    }
}
