extension Chain {
    /// The rules that repeat an earlier rule of the chain (same header, matches and target;
    /// comments, counters and locations aside): each one's index, to the index of the first.
    public var repeatedRules: [Int: Int] {
        var repeated: [Int: Int] = [:]
        guard rules.count > 1 else { return repeated }
        if rules.count <= 16 {
            // Few rules (most chains): compared pair by pair, nothing built.
            for index in 1..<rules.count {
                if let first = (0..<index).first(where: { rules[$0].hasSameSemantics(as: rules[index]) }) {
                    repeated[index] = first
                }
            }
            return repeated
        }
        var first: [Rule.Semantics: Int] = [:]
        for index in rules.indices {
            let key = rules[index].semantics
            if let original = first[key] { repeated[index] = original } else { first[key] = index }
        }
        return repeated
    }
}

extension Rule {
    /// What decides a rule's behaviour: header, matches and target, without locations,
    /// counters and comments.
    struct Semantics: Hashable {
        var header: HeaderMatch
        var matches: [[OptionSetting]]
        var matchIDs: [ExtensionID]
        var target: RuleTarget
        var opaque: String?
    }

    var semantics: Semantics {
        let kept = matches.filter { !$0.traits.contains(.annotates) }
        var target = self.target
        if case .extension(var call) = target {
            call.location = .unknown
            target = .extension(call)
        }
        return Semantics(header: header, matches: kept.map(\.settings), matchIDs: kept.map(\.id), target: target,
                         opaque: opaqueText)
    }

    /// Whether the two rules have equal `semantics`, found without building them.
    func hasSameSemantics(as other: Rule) -> Bool {
        guard header == other.header, opaqueText == other.opaqueText, target.equalsIgnoringLocation(other.target) else {
            return false
        }
        var index = 0
        var otherIndex = 0
        while true {
            while index < matches.count && matches[index].traits.contains(.annotates) { index += 1 }
            while otherIndex < other.matches.count && other.matches[otherIndex].traits.contains(.annotates) {
                otherIndex += 1
            }
            guard index < matches.count, otherIndex < other.matches.count else {
                return index == matches.count && otherIndex == other.matches.count
            }
            guard matches[index].equalsIgnoringLocation(other.matches[otherIndex]) else { return false }
            index += 1
            otherIndex += 1
        }
    }
}
