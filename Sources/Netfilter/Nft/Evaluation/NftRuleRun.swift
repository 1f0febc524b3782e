// net/netfilter/nf_tables_core.c (a rule's expressions in order: NFT_BREAK ends the rule,
// a verdict ends it with that verdict), nft_lookup.c (a verdict map that has no element for
// the key breaks the rule), nft_meta.c / nft_ct.c (set), nft_nat.c (NF_ACCEPT after the
// mapping), nft_reject*.c (NF_DROP after the answer), nft_limit.c and nft_quota.c (they
// break the rule when over), nft_ct.c notrack.

/// One rule run over a class of packets: its statements in order, splitting the class where
/// a relation reads what the class leaves open.
struct NftRuleRun {
    /// How a rule's run ended for a part of the class.
    enum End: Sendable, Hashable {
        /// A relation did not hold, or a limit was over: the next rule (why).
        case broke(String)
        /// The rule ran to its end: its verdict, nil when it gave none (continue).
        case verdict(NftWalkVerdict?)
        /// A statement verdict does not model decides what follows (why).
        case undetermined(String)
    }

    let walker: NftWalker
    let rule: NftRule
    /// `inet filter input #3`, for the conditions the rule makes.
    let place: String

    func run(_ state: NftResult) -> [(NftResult, End)] {
        run(state, from: 0)
    }

    private func run(_ state: NftResult, from first: Int) -> [(NftResult, End)] {
        var state = state
        var index = first
        while index < rule.statements.count {
            let statement = rule.statements[index]
            index += 1
            switch statement {
            case .match(let relation):
                let text = NftPrinter.text(statement)
                let space = NftRelationSpace.matching(relation, packet: state.packet, sets: walker.table.sets,
                                                      condition: text)
                switch split(state, by: space, text: "\(place) \(text)") {
                case .none(let reason): return [(state, .broke(reason ?? "\(text): not this packet"))]
                case .all: continue
                case .some(let matched, let rest):
                    return run(matched, from: index) + [(rest, .broke("\(text): not these packets"))]
                case .tooMany: return [(state, .undetermined(Self.tooMany))]
                }
            case .verdict(let verdict):
                return [(state, .verdict(NftWalkVerdict(verdict)))]
            case .verdictMap(let key, let map):
                return verdictMap(state, key: key, map: map)
            case .limit, .quota:
                // A rate or a byte count the walk does not follow: a condition of this rule.
                let text = NftPrinter.text(statement)
                let space = PacketSpace.condition("\(text) (\(place))", family: state.packet.family)
                switch split(state, by: space, text: text) {
                case .some(let matched, let rest):
                    return run(matched, from: index) + [(rest, .broke("\(text): over"))]
                default: return [(state, .undetermined(Self.tooMany))]
                }
            case .reject(let words):
                // nft lists `meta l4proto tcp reject with tcp reset` as `reject with tcp reset`, and
                // `reject with icmp ...` in an inet table without its `meta nfproto ipv4`: the
                // dependency is still in the kernel's rule.
                if let dependency = NftEffects.rejectDependency(words, family: state.packet.family) {
                    let text = "reject with " + words.joined(separator: " ")
                    switch split(state, by: dependency, text: "\(place) \(text)") {
                    case .none: return [(state, .broke("\(text): not this packet (nft's implied protocol)"))]
                    case .all: break
                    case .some(let matched, let rest):
                        return run(matched, from: index - 1)
                            + [(rest, .broke("\(text): not these packets (nft's implied protocol)"))]
                    case .tooMany: return [(state, .undetermined(Self.tooMany))]
                    }
                }
                state.answer = NftEffects.rejectAnswer(words, family: state.packet.family)
                return [(state, .verdict(.drop))]
            case .queue:
                return [(state, .verdict(.queue))]
            case .nat(let nat):
                if let problem = NftEffects.apply(nat, to: &state, hook: walker.hook) {
                    return [(state, .undetermined(problem))]
                }
                return [(state, .verdict(.accept))]
            case .set(let target, let value):
                if let problem = NftEffects.set(target, value, in: &state, text: NftPrinter.text(statement)) {
                    return [(state, .undetermined(problem))]
                }
            case .notrack:
                NftEffects.notrack(&state, beforeConntrack: walker.beforeConntrack)
            case .counter, .log, .comment:
                continue
            case .compat(let kind, let name):
                return [(state, .undetermined("xt \(kind) \"\(name)\": an iptables-nft compatibility expression "
                                              + "(read this table through iptables-save instead)"))]
            case .tokens(let tokens):
                // `update @set { ip saddr }`, `add @set ...`: they fill a set, whose membership
                // the walk reads as a condition anyway.
                if let verb = tokens.first?.text, ["update", "add", "delete"].contains(verb),
                   tokens.dropFirst().first?.text.hasPrefix("@") == true { continue }
                let text = NftPrinter.text(statement).trimmingCharacters(in: .whitespaces)
                return [(state, .undetermined("\(text): not modelled"))]
            }
        }
        return [(state, .verdict(nil))]
    }

    static let tooMany = "more than \(ChainWalker.classLimit) packet classes"

    /// `KEY vmap { K : VERDICT, ... }` or `vmap @map`: each element's packets take its
    /// verdict; the packets of none break the rule.
    private func verdictMap(_ state: NftResult, key: NftExpression, map: NftExpression) -> [(NftResult, End)] {
        let elements: [NftSetElement]
        switch map {
        case .set(let items): elements = items
        case .setReference(let name):
            guard let set = walker.table.sets[name] else { return [(state, .undetermined("no map @\(name)"))] }
            elements = set.elements
        default: return [(state, .undetermined("vmap of \(NftPrinter.text(map)): not modelled"))]
        }
        if case .numgen(let mode, let modulus, let offset) = key {
            return randomPick(state, mode: mode, modulus: modulus, offset: offset ?? 0, elements: elements)
        }
        var results: [(NftResult, End)] = []
        var rest = state
        for element in elements {
            guard case .verdict(let verdict)? = element.value else { continue }
            let relation = NftRelation(left: key, right: element.key)
            let text = "\(NftPrinter.text(key)) \(NftPrinter.text(element.key))"
            let space = NftRelationSpace.matching(relation, packet: rest.packet, sets: walker.table.sets,
                                                  condition: text)
            switch split(rest, by: space, text: "\(place) \(text)") {
            case .none: continue
            case .all: return results + [(rest, .verdict(NftWalkVerdict(verdict)))]
            case .some(let matched, let others):
                results.append((matched, .verdict(NftWalkVerdict(verdict))))
                rest = others
            case .tooMany: return results + [(rest, .undetermined(Self.tooMany))]
            }
        }
        return results + [(rest, .broke("\(NftPrinter.text(key)): no element of the verdict map"))]
    }

    /// `numgen random mod N vmap { 0 : ..., 1 : ... }`: each element's verdict with the chance
    /// of its numbers, a condition of the class (`when [numgen random mod 2 0 (place)]`); a
    /// number no element has breaks the rule. `numgen inc` (a counter) is not modelled.
    private func randomPick(_ state: NftResult, mode: String, modulus: Int, offset: Int,
                            elements: [NftSetElement]) -> [(NftResult, End)] {
        guard mode == "random", modulus > 0 else {
            return [(state, .undetermined("numgen \(mode): the generator's state is not modelled"))]
        }
        var results: [(NftResult, End)] = []
        var rest = state
        var left = Double(modulus)
        for element in elements {
            guard case .verdict(let verdict)? = element.value, left > 0 else { continue }
            let count: Int
            switch element.key {
            case .value(let word): count = Int(word).map { (offset..<(offset + modulus)).contains($0) ? 1 : 0 } ?? 0
            case .range(let low, let high):
                guard let low = Int(low), let high = Int(high) else { continue }
                count = max(0, min(high, offset + modulus - 1) - max(low, offset) + 1)
            default: continue
            }
            guard count > 0 else { continue }
            let chance = Double(count) / left
            let text = "numgen random mod \(modulus) \(NftPrinter.text(element.key)) (\(place))"
            guard case .some(var picked, var others) = split(rest, by: .condition(text, family: rest.packet.family),
                                                             text: text) else {
                return results + [(rest, .undetermined(Self.tooMany))]
            }
            picked.probability = picked.probability.map { $0 * chance }
            results.append((picked, .verdict(NftWalkVerdict(verdict))))
            left -= Double(count)
            if left <= 0 { return results }
            others.probability = others.probability.map { $0 * (1 - chance) }
            rest = others
        }
        return results + [(rest, .broke("numgen random mod \(modulus): no element for the number"))]
    }

    /// How a set of packets divides a class.
    enum Split {
        /// None of the class's packets (why, for a packet given whole).
        case none(String?)
        case all
        case some(NftResult, NftResult)
        case tooMany
    }

    /// Divides the class by the packets a statement matches.
    func split(_ state: NftResult, by space: PacketSpace, text: String) -> Split {
        let specialized = space.specialized(by: state.packet)
        if specialized.isEmpty { return .none(nil) }
        if specialized.cubes.count == 1, specialized.cubes[0].constraints.isEmpty,
           specialized.cubes[0].conditions.isEmpty { return .all }
        let family = state.packet.family
        let packets = state.packets ?? .all(family)
        guard let (matched, rest) = state.environment.divide(packets, by: specialized,
                                                             beforeConntrack: walker.beforeConntrack,
                                                             ruleText: text, limit: ChainWalker.classLimit) else {
            return .tooMany
        }
        if matched.isEmpty { return .none(nil) }
        if rest.isEmpty { return .all }
        var taken = state
        taken.packets = matched
        taken.packet.pin(from: matched, environment: taken.environment)
        var skipped = state
        skipped.packets = rest
        skipped.packet.pin(from: rest, environment: skipped.environment)
        return .some(taken, skipped)
    }
}
