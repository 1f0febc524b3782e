import XCTest
@testable import Netfilter

/// Whether the rules read from an `iptables -L` listing are the rules of an iptables-save
/// dump of the same tables, rule for rule by their canonical save text, chain by chain
/// (stricter than the semantic diff, which ListingKernelFixtureTests also runs): equal, or
/// equal once an `Allowance` takes out what one of the two texts provably leaves out. An allowance that the listing must report needs the
/// listing's warning on that rule.
enum ListingEquivalence {
    /// A difference between the two texts that is explained, with its reason.
    struct Allowance: Sendable {
        var reason: String
        /// Text the listing's warning on the rule must contain; nil when the loss is
        /// iptables-save's own (nothing for the listing to report).
        var reported: String?
        /// Both rule texts made comparable: equal when this allowance explains them.
        var normalize: @Sendable (_ listing: String, _ save: String) -> (String, String)
    }

    struct Comparison {
        /// Unexplained differences, one line each.
        var differences: [String] = []
        /// How many rules each allowance explained.
        var explained: [String: Int] = [:]
        /// Rules compared.
        var compared = 0
    }

    /// Compares the tables both have (and the save's tables that `required` names); a
    /// table only the listing has must be empty with ACCEPT policies (iptables creates a
    /// table when it is listed), unless `partialSave` says the dump holds only some of the
    /// host's tables. Counters are not compared here.
    static func compare(listing: ParseResult, save: Ruleset, required: [String] = [], allowances: [Allowance] = [],
                        withoutInterfaces: Bool = false, partialSave: Bool = false) -> Comparison {
        var result = Comparison()
        let family = save.family
        for table in listing.ruleset.tables where save.table(named: table.name) == nil && !partialSave {
            if table.chains.contains(where: { !$0.rules.isEmpty || ($0.policy != nil && $0.policy != .accept) }) {
                result.differences.append("table \(table.name) is only in the listing and not empty")
            }
        }
        for name in required where listing.ruleset.table(named: name) == nil {
            result.differences.append("table \(name) is not in the listing")
        }
        for saved in save.tables {
            guard let listed = listing.ruleset.table(named: saved.name) else { continue }
            if listed.chains.map(\.name) != saved.chains.map(\.name) {
                result.differences.append("\(saved.name): chains \(listed.chains.map(\.name)) against \(saved.chains.map(\.name))")
                continue
            }
            for (a, b) in zip(listed.chains, saved.chains) {
                if a.policy != b.policy {
                    result.differences.append("\(saved.name)/\(a.name): policy \(String(describing: a.policy)) against \(String(describing: b.policy))")
                }
                if a.rules.count != b.rules.count {
                    result.differences.append("\(saved.name)/\(a.name): \(a.rules.count) rules against \(b.rules.count)")
                    continue
                }
                for (index, (left, right)) in zip(a.rules, b.rules).enumerated() {
                    result.compared += 1
                    var savedRule = right
                    if withoutInterfaces {
                        savedRule.header.inInterface = nil
                        savedRule.header.outInterface = nil
                    }
                    let listingText = SavePrinter.ruleText(left, family: family)
                    let saveText = SavePrinter.ruleText(savedRule, family: family)
                    if listingText == saveText { continue }
                    let warnings = listing.diagnostics.filter { $0.severity == .warning && $0.location.line == left.location.line }
                    let allowance = allowances.first { allowance in
                        if let reported = allowance.reported, !warnings.contains(where: { $0.message.contains(reported) }) { return false }
                        let (x, y) = allowance.normalize(listingText, saveText)
                        return x == y
                    }
                    if let allowance {
                        result.explained[allowance.reason, default: 0] += 1
                    } else {
                        result.differences.append("\(saved.name)/\(a.name) #\(index + 1) (line \(left.location.line)):\n    listing: \(listingText)\n    save:    \(saveText)")
                    }
                }
            }
        }
        return result
    }

    /// Text with every match of `pattern` replaced.
    static func replacing(_ text: String, _ pattern: String, with replacement: String = "") -> String {
        guard let regex = try? Regex(pattern) else { return text }
        return text.replacing(regex, with: replacement)
    }

    /// `--hashlimit-name` is not printed by -L: the listing writes `unknown` and says so.
    static let hashlimitName = Allowance(reason: "hashlimit's name is not shown in listings (reported)", reported: "hashlimit-name") { l, s in
        (l, replacing(s, "--hashlimit-name [^ ]+", with: "--hashlimit-name unknown"))
    }

    /// quota_print prints no `!`.
    static let quotaNegation = Allowance(reason: "quota's ! is not shown in listings (reported)", reported: "quota") { l, s in
        (l, s.replacingOccurrences(of: "! --quota", with: "--quota"))
    }

    /// iptables-save leaves out a negated full range (`! --sport 0:65535` matches nothing),
    /// which -L prints: the listing is the more faithful of the two.
    static let negatedFullRangeOmittedBySave = Allowance(reason: "iptables-save leaves out a negated full range, -L shows it", reported: nil) { l, s in
        (replacing(l, " ! --(sport|dport|ahspi|espspi|fragid|ipcompspi|rt-segsleft|mh-type) 0:(65535|4294967295|255)"), s)
    }

    /// -L leaves out a full port range that iptables-save prints (dccp's --sport 0:65535).
    static let fullRangeOmittedByListing = Allowance(reason: "-L leaves out a full port range iptables-save prints", reported: nil) { l, s in
        (l, replacing(s, " --(sport|dport) 0:65535"))
    }

    /// iptables 1.8.9 saves type 255 code 255 as `any` (fixed later by 'Fix confusion
    /// between 255/255 and any'); -L prints `type 255 code 255`.
    static let icmpAnyConfusion = Allowance(reason: "iptables 1.8.9 saves --icmp-type 255/255 as any", reported: nil) { l, s in
        (l.replacingOccurrences(of: "--icmp-type 255/255", with: "--icmp-type any"), s)
    }

    /// ip6tables -L without -n prints `anywhere` for the address :: under any mask (the
    /// listing reports it where it matters: after a `!`).
    static let ipv6AnyAddress = Allowance(reason: "ip6tables -L without -n prints :: under any mask as anywhere", reported: nil) { l, s in
        (replacing(l, "(! )?-[sd] ::/[0-9]+( |$)"), replacing(s, "(! )?-[sd] ::/[0-9]+( |$)"))
    }

    /// What the kernel's own listings of iptables' test-suite rules need (see each reason).
    static let kernelAllowances = [hashlimitName, quotaNegation, negatedFullRangeOmittedBySave, fullRangeOmittedByListing,
                                   icmpAnyConfusion, ipv6AnyAddress]
}
