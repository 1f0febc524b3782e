/// Which packets two nft rulesets treat differently, at each hook: every packet of a family
/// walked through both as a set (the walk splits it into classes), the classes of the two
/// intersected, and each intersection whose fate differs (the verdict, a reject's answer,
/// what NAT and marks did) reported with a witness walked through both.
public enum NftDiff {
    /// One class of packets the two rulesets treat differently.
    public struct Change: Sendable {
        public var hook: Hook
        public var family: Family
        /// The class (as it arrived at the hook), nil for every packet.
        public var packets: PacketCube?
        public var old: WalkResult
        public var new: WalkResult
        /// A packet of the class, and whether its own walks end as the class's do.
        public var witness: Packet?
        public var confirmed: Bool
    }

    /// The fate of a walk as the diff compares it, the deciding rule aside: the verdict, a
    /// reject's answer, what NAT rewrote the packets to, and the mark where a rule set it.
    struct Fate: Hashable {
        var verdict: StandardVerdict?
        var undetermined: String?
        var answer: String?
        var nat: [String]
        var mark: String?

        init(_ result: WalkResult) {
            verdict = result.verdict
            undetermined = result.verdict == nil ? result.undetermined : nil
            answer = result.steps.last?.effect?.answer
            let book = RuleBook(Ruleset(family: result.packet.family))
            nat = result.steps.filter(\.rewritesAddresses).compactMap { step in
                AnswerRenderer.natText(step, ruleset: book, after: result.packet)
            }
            let setsMark = result.steps.contains { $0.nftRule?.contains("mark set") == true }
            if setsMark {
                mark = result.packet.open.contains(.mark)
                    ? result.environment.rewrites[.mark].map { "\($0)" } : String(result.packet.mark, radix: 16)
            }
        }
    }

    /// The changes at the hooks (every IP hook by default), for the families the rulesets'
    /// tables see.
    public static func compare(old: NftRuleset, new: NftRuleset, hooks: [Hook] = Hook.allCases) -> [Change] {
        let before = NftHookWalker(old, recordsSkippedRules: false), after = NftHookWalker(new, recordsSkippedRules: false)
        let names = before.program.interfaceNames + after.program.interfaceNames
        var changes: [Change] = []
        for family in Family.allCases {
            let seen = (old.tables + new.tables).contains { NftProgram.sees($0.family, family) }
            guard seen else { continue }
            for hook in hooks {
                var packet = Packet(family: family)
                packet.open = [.mark]
                let olds = before.walk(hooks: [hook], packet: packet), news = after.walk(hooks: [hook], packet: packet)
                for a in olds {
                    for b in news where Fate(a) != Fate(b) {
                        let both = (a.packets ?? .all(family)).intersection(b.packets ?? .all(family))
                        for cube in both.cubes {
                            var change = Change(hook: hook, family: family, packets: cube, old: a, new: b, witness: nil,
                                                confirmed: false)
                            let witness = OutcomeClasses.witness(in: cube, described: DescribedPackets(packet: packet),
                                                                 hook: hook, interfaceNames: names)
                            if let witness {
                                change.witness = witness
                                let walkedOld = before.walk(hooks: [hook], packet: witness).map(Fate.init)
                                let walkedNew = after.walk(hooks: [hook], packet: witness).map(Fate.init)
                                change.confirmed = walkedOld.contains(Fate(a)) && walkedNew.contains(Fate(b))
                            }
                            changes.append(change)
                        }
                    }
                }
            }
        }
        return changes
    }

    /// The changes as text: per family and hook, the number of classes, then each class with
    /// both fates and the entries that decided, and its witness.
    public static func text(_ changes: [Change]) -> String {
        guard !changes.isEmpty else { return "no packet changes\n" }
        var out = ""
        var heading = ""
        for change in changes {
            let family = change.family == .ipv6 ? "IPv6" : "IPv4"
            let head = "\(family) \(change.hook.rawValue)"
            if head != heading {
                heading = head
                let count = changes.filter { $0.family == change.family && $0.hook == change.hook }.count
                out += "\(head): \(count) class\(count == 1 ? "" : "es") of packets treated differently\n"
            }
            let described = DescribedPackets(packet: change.old.packet.arrived(as: nil))
            let packets = AnswerRenderer.packets(change.packets, described: described)
            out += "  \(packets): \(fate(change.old)) → \(fate(change.new)) (old \(entry(change.old)), "
                + "new \(entry(change.new)))\n"
            if let witness = change.witness {
                out += "      e.g. \(PacketDescription.format(witness)) "
                    + "(\(change.confirmed ? "the evaluator agrees" : "the evaluator does NOT agree"))\n"
            }
        }
        out += "\(changes.count) class\(changes.count == 1 ? "" : "es") of packets change\n"
        return out
    }

    /// The changes as JSON: `{"changesPackets": ..., "classes": [...]}`, each class with its
    /// family, hook, packets, both fates and deciding entries, and its witness.
    public static func json(_ changes: [Change]) -> String {
        let classes = changes.map { change -> String in
            let described = DescribedPackets(packet: change.old.packet.arrived(as: nil))
            let fields = [
                "\"family\": \(JSONText.string(change.family == .ipv6 ? "ipv6" : "ipv4"))",
                "\"hook\": \(JSONText.string(change.hook.rawValue))",
                "\"packets\": \(JSONText.string(AnswerRenderer.packets(change.packets, described: described)))",
                "\"old\": {\"fate\": \(JSONText.string(fate(change.old))), \"by\": \(JSONText.string(entry(change.old)))}",
                "\"new\": {\"fate\": \(JSONText.string(fate(change.new))), \"by\": \(JSONText.string(entry(change.new)))}",
                "\"witness\": \(change.witness.map { JSONText.string(PacketDescription.format($0)) } ?? "null")",
                "\"confirmed\": \(change.confirmed)",
            ]
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return "{\"changesPackets\": \(!changes.isEmpty), \"classes\": [" + classes.joined(separator: ",\n") + "]}"
    }

    /// `ACCEPT`, `DROP`, `REJECT tcp-reset`, with what NAT did to the packets.
    static func fate(_ result: WalkResult) -> String {
        var text = AnswerRenderer.verdictWord(result)
        if let answer = result.steps.last?.effect?.answer { text += " " + answer }
        for step in result.steps where step.rewritesAddresses {
            if let nat = AnswerRenderer.natText(step, ruleset: RuleBook(Ruleset(family: result.packet.family)),
                                                after: result.packet) {
                text += " " + nat
            }
        }
        return text
    }

    /// The entry that decided: `inet filter/input:3`, `inet filter/input policy`.
    static func entry(_ result: WalkResult) -> String {
        guard let last = result.steps.last else { return "no base chain" }
        if case .policy = last.kind { return "\(last.table)/\(last.chain) policy" }
        return "\(last.table)/\(last.chain):\(last.number)"
    }
}
