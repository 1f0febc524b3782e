/// A rule no packet can reach matching: the rules before it in its chain that end the walk
/// (ACCEPT, DROP, REJECT, RETURN, goto, DNAT, ...) already take every packet it matches.
/// Computed exactly with header-space sets: a rule before it with a match the algebra
/// cannot express never counts as covering, and nothing is claimed after a rule that
/// rewrites a modelled field (MARK, CONNMARK, CT) or jumps to a chain that does.
public struct ShadowedRule: Lint {
    public let descriptor = LintDescriptor(
        id: "shadowed-rule", severity: .warning, title: "Shadowed rule",
        summary: "A rule that can never match: rules before it in the chain already decide every packet it would match.")

    public init() {}

    /// The most packet classes a coverage check may build before it gives up (and claims nothing).
    static let classLimit = 20_000

    /// The rules (a small subset of `candidates`) that together take every packet of
    /// `space`; nil when they do not (or the check grows too large).
    static func cover(_ space: PacketSpace, by candidates: [(index: Int, space: PacketSpace)], family: Family)
        -> [(index: Int, space: PacketSpace)]? {
        func covers(_ rules: [(index: Int, space: PacketSpace)]) -> Bool {
            var remaining: PacketSpace? = space
            for rule in rules {
                remaining = remaining?.subtracting(rule.space, limit: classLimit)
                if remaining?.isEmpty ?? true { break }
            }
            return remaining?.isEmpty == true
        }
        guard covers(candidates) else { return nil }
        // Drop every rule the others cover without (latest first), so the finding names few.
        var needed = candidates
        for position in needed.indices.reversed() where needed.count > 1 {
            var without = needed
            without.remove(at: position)
            if covers(without) { needed = without }
        }
        return needed
    }

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        for input in context.inputs {
            let family = input.ruleset.family
            for table in input.ruleset.tables {
                let rewriting = table.chainsRewritingFields
                for chain in table.chains {
                    findings += check(chain, table: table, input: input, family: family, rewriting: rewriting, context: context)
                }
            }
        }
        context.forEachNftChain { input, table, chain in
            findings += check(chain, table: table, input: input, context: context)
        }
        return findings
    }

    /// An nft chain: a rule whose relations take only packets earlier rules of the chain end
    /// (in every family the table sees), or no packet at all. The scan stops at a rule that
    /// changes what later relations read or may (a `set`, NAT, notrack, a jump or goto).
    func check(_ chain: NftChain, table: NftTable, input: NftLintInput, context: LintContext) -> [LintFinding] {
        let families = NftRules.families(table)
        guard !families.isEmpty else { return [] }
        let sets = Dictionary(table.sets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var findings: [LintFinding] = []
        var covering: [Family: [(index: Int, space: PacketSpace)]] = [:]
        var seen = Set<String>()
        for (index, rule) in chain.rules.enumerated() {
            if !seen.insert(NftRules.text(rule)).inserted { continue }
            let spaces = families.map { NftRules.packets(rule, family: $0, sets: sets) }
            if spaces.allSatisfy({ $0?.isEmpty == true }) {
                findings.append(LintFinding(
                    lint: descriptor,
                    message: "rule \(index + 1) of \(NftRules.place(table, chain)) matches no packet at all: its "
                        + "conditions contradict each other",
                    location: context.location(input, table, chain, rule: index)))
            } else if spaces.allSatisfy({ $0 != nil }) {
                var covers: [[(index: Int, space: PacketSpace)]] = []
                for (family, space) in zip(families, spaces) {
                    guard let space, !space.isEmpty else { continue }
                    let relevant = (covering[family] ?? []).filter { $0.space.intersects(space) }
                    guard !relevant.isEmpty, let cover = ShadowedRule.cover(space, by: relevant, family: family) else {
                        covers = []
                        break
                    }
                    covers.append(cover)
                }
                if !covers.isEmpty {
                    let numbers = Array(Set(covers.flatMap { $0.map(\.index) })).sorted()
                    let list = numbers.map { "\($0 + 1)" }.joined(separator: ", ")
                    let plural = numbers.count > 1
                    findings.append(LintFinding(
                        lint: descriptor,
                        message: "rule \(index + 1) of \(NftRules.place(table, chain)) can never match: rule"
                            + "\(plural ? "s" : "") \(list) before it already take\(plural ? "" : "s") "
                            + "every packet it matches",
                        location: context.location(input, table, chain, rule: index),
                        related: numbers.map { context.location(input, table, chain, rule: $0) }))
                }
            }
            if NftRules.ending(rule) == nil && NftRules.changesWhatIsRead(rule) { break }
            guard NftRules.ending(rule) != nil else { continue }
            for (family, space) in zip(families, spaces) {
                if let space, !space.isEmpty { covering[family, default: []].append((index, space)) }
            }
            if !rule.statements.contains(where: { if case .match = $0 { true } else { false } }) { break }
        }
        return findings
    }

    func check(_ chain: Chain, table: Table, input: LintInput, family: Family, rewriting: Set<String>,
               context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        var covering: [(index: Int, space: PacketSpace)] = []
        let repeated = chain.repeatedRules
        for (index, rule) in chain.rules.enumerated() {
            // Rules after an unconditional end are the unreachable-rule lint's; duplicates the duplicate-rule lint's.
            if repeated[index] != nil { continue }
            let space = RuleSpace.matching(rule, family: family)
            let modelled = PacketSpace(family: family, cubes: space.cubes.map { $0.withoutConditions })
            if space.isEmpty {
                findings.append(LintFinding(lint: descriptor, message: "rule \(index + 1) of \(table.name)/\(chain.name) matches no packet at all: its conditions contradict each other",
                                            location: context.location(input, table, chain, rule: index)))
            } else if !covering.isEmpty {
                let relevant = covering.filter { $0.space.intersects(modelled) }
                if !relevant.isEmpty, let cover = ShadowedRule.cover(modelled, by: relevant, family: family) {
                    let relevant = cover
                    let numbers = relevant.map { "\($0.index + 1)" }.joined(separator: ", ")
                    findings.append(LintFinding(
                        lint: descriptor,
                        message: "rule \(index + 1) of \(table.name)/\(chain.name) can never match: rule\(relevant.count > 1 ? "s" : "") \(numbers) before it already take\(relevant.count > 1 ? "" : "s") every packet it matches",
                        location: context.location(input, table, chain, rule: index),
                        related: relevant.map { context.location(input, table, chain, rule: $0.index) }))
                }
            }
            if rule.isUnconditional && rule.target.endsChainWalk { break }
            if rule.target.rewritesModelledFields || (rule.target.chainName.map(rewriting.contains) ?? false) { break }
            if rule.target.endsChainWalk, space.cubes.allSatisfy({ $0.conditions.isEmpty }), !space.isEmpty {
                covering.append((index, space))
            }
        }
        return findings
    }
}

extension PacketCube {
    /// The class with its conditions dropped: a superset, for asking whether it is covered.
    var withoutConditions: PacketCube {
        var cube = PacketCube()
        for constraint in constraints { cube.restrict(constraint.field, to: constraint.set) }
        return cube
    }
}
