/// One nft ruleset a lint run reads (`nft list ruleset` text, or a snapshot's nft.rules).
public struct NftLintInput: Sendable {
    /// The name findings use.
    public var file: String
    public var ruleset: NftRuleset

    public init(file: String, ruleset: NftRuleset) {
        self.file = file
        self.ruleset = ruleset
    }

    /// Tables that tools keep (Docker's nftables backend, kube-proxy, firewalld): their empty
    /// and unreferenced chains are placeholders by design.
    static let managedTables: Set<String> = ["docker-bridges", "kube-proxy", "firewalld", "firewalld_policy_drop"]
}

extension LintContext {
    /// Calls `body` for every chain of every nft input, with its table.
    func forEachNftChain(_ body: (NftLintInput, NftTable, NftChain) -> Void) {
        for input in nftInputs {
            for table in input.ruleset.tables {
                for chain in table.chains { body(input, table, chain) }
            }
        }
    }

    /// Where an nft rule (or, with no index, its chain) stood: `inet filter/input`, its number.
    func location(_ input: NftLintInput, _ table: NftTable, _ chain: NftChain, rule index: Int? = nil)
        -> LintLocation {
        LintLocation(file: input.file, position: index.map { chain.rules[$0].location } ?? chain.location,
                     chain: NftRules.place(table, chain), ruleNumber: index.map { $0 + 1 })
    }
}

/// What the lints read of nft rules: references between chains, a rule's end, its packets.
enum NftRules {
    /// `inet filter/input`.
    static func place(_ table: NftTable, _ chain: NftChain) -> String {
        "\(table.family.rawValue) \(table.name)/\(chain.name)"
    }

    /// The chains the rules and the named verdict maps of a table jump or go to, with how
    /// many times each.
    static func references(_ table: NftTable) -> [String: Int] {
        var counts: [String: Int] = [:]
        for chain in table.chains {
            for rule in chain.rules {
                for target in NftValidator.jumps(in: rule) { counts[target, default: 0] += 1 }
            }
        }
        for set in table.sets where set.isVerdictMap {
            for target in set.verdictTargets { counts[target, default: 0] += 1 }
        }
        return counts
    }

    /// The rule's text for a message, its counters and comment left out.
    static func text(_ rule: NftRule) -> String {
        rule.statements.compactMap { statement -> String? in
            switch statement {
            case .counter, .comment: return nil
            default: return NftPrinter.text(statement).trimmingCharacters(in: .whitespaces)
            }
        }.joined(separator: " ")
    }

    /// How a rule ends every packet it takes: its final verdict, when every statement before
    /// it is a relation (or a counter, log or comment); nil for a rule that goes on, or does
    /// more than match.
    static func ending(_ rule: NftRule) -> String? {
        guard let last = rule.statements.last(where: { !isQuiet($0) }) else { return nil }
        let before = rule.statements.prefix { $0 != last }
        guard before.allSatisfy({ if case .match = $0 { return true }; return isQuiet($0) }) else { return nil }
        switch last {
        case .verdict(.accept), .verdict(.drop), .verdict(.return), .verdict(.goto), .reject:
            return NftPrinter.text(last)
        default: return nil
        }
    }

    private static func isQuiet(_ statement: NftStatement) -> Bool {
        switch statement {
        case .counter, .comment, .log: return true
        default: return false
        }
    }

    /// The packets of `family` a rule's relations take together (nil: a relation is not exact,
    /// or the rule does more than match before its verdict).
    static func packets(_ rule: NftRule, family: Family, sets: [String: NftSet]) -> PacketSpace? {
        guard ending(rule) != nil else { return nil }
        var space = PacketSpace.all(family)
        let packet = Packet(family: family)
        for case .match(let relation) in rule.statements {
            var exact = true
            let part = NftRelationSpace.matching(relation, packet: packet, sets: sets,
                                                 condition: { exact = false; return "" }())
            guard exact else { return nil }
            space = space.intersection(part)
        }
        return space
    }

    /// Whether a rule may change what later relations read: it sets a field, NATs, untracks,
    /// or enters another chain (which may).
    static func changesWhatIsRead(_ rule: NftRule) -> Bool {
        rule.statements.contains { statement in
            switch statement {
            case .set, .nat, .notrack, .verdict(.jump), .verdict(.goto), .verdictMap, .tokens, .compat: return true
            default: return false
            }
        }
    }

    /// The families whose packets a table's rules see.
    static func families(_ table: NftTable) -> [Family] {
        Family.allCases.filter { NftProgram.sees(table.family, $0) }
    }
}
