// libxt_policy.c / net/netfilter/xt_policy.c: the IPsec policy a packet was or will be handled by.

extension ExtensionSpec {
    /// The options that describe one policy element; `--next` starts another.
    static let policyElementOptions = ["reqid", "spi", "proto", "mode", "tunnel-dst", "tunnel-src"]

    /// `-m policy --dir in|out --pol none|ipsec [--strict] ELEMENT [--next ELEMENT]...` where
    /// an element is `[!] --reqid N [!] --spi N [!] --proto ah|esp|ipcomp [!] --mode
    /// tunnel|transport [!] --tunnel-dst A [!] --tunnel-src A`. Options keep their element.
    public static let policy = ExtensionSpec(
        "policy", kind: .match,
        options: [
            OptionSpec("dir", .keyword(["in": "in", "out": "out"]), required: true),
            OptionSpec("pol", .keyword(["none": "none", "ipsec": "ipsec"]), required: true),
            OptionSpec("strict", .flag),
            OptionSpec("reqid", .number(0...UInt64(UInt32.max), name: "reqid"), negatable: true, repeatable: true),
            OptionSpec("spi", .hexNumber(0...UInt64(UInt32.max), name: "SPI"), negatable: true, repeatable: true),
            OptionSpec("proto", .keyword(["ah": "ah", "esp": "esp", "ipcomp": "ipcomp", "51": "ah", "50": "esp", "108": "ipcomp"]),
                       negatable: true, repeatable: true),
            OptionSpec("mode", .keyword(["tunnel": "tunnel", "transport": "transport"]), negatable: true, repeatable: true),
            OptionSpec("tunnel-dst", .network, negatable: true, repeatable: true),
            OptionSpec("tunnel-src", .network, negatable: true, repeatable: true),
            OptionSpec("next", .flag, repeatable: true),
        ],
        finalize: { call, context in
            let spec = call.spec
            var elements: [[OptionSetting]] = [[]]
            for setting in call.settings {
                let name = spec.options[setting.option].name
                if name == "next" {
                    elements.append([])
                } else if policyElementOptions.contains(name) {
                    if elements[elements.count - 1].contains(where: { $0.option == setting.option }) {
                        context.error("--\(name) given twice in one policy element (separate elements with --next)")
                    }
                    elements[elements.count - 1].append(setting)
                }
            }
            if call.has("next") && !call.has("strict") { context.error("--next needs --strict") }
            if call.has("strict") && elements.allSatisfy(\.isEmpty) {
                context.error("--strict needs at least one policy element (--reqid, --spi, --proto, --mode, --tunnel-src, --tunnel-dst)")
            }
            for element in elements {
                let names = element.map { spec.options[$0.option].name }
                let tunnel = element.first { spec.options[$0.option].name == "mode" }?.value == .word("tunnel")
                if (names.contains("tunnel-src") || names.contains("tunnel-dst")) && !tunnel {
                    context.error("--tunnel-src and --tunnel-dst need --mode tunnel")
                }
            }
            if call.setting("dir")?.value == .word("in") || call.setting("dir")?.value == .word("out") {
                // Keep dir, pol and strict first, then each element in iptables' order.
                var ordered = call.settings.filter { !policyElementOptions.contains(spec.options[$0.option].name) && spec.options[$0.option].name != "next" }
                ordered.sort { $0.option < $1.option }
                for (position, element) in elements.enumerated() {
                    if position > 0, let next = spec.optionIndex("next") { ordered.append(OptionSetting(option: next, value: .flag)) }
                    ordered += element.sorted { $0.option < $1.option }
                }
                call.settings = ordered
            }
        },
        hookCheck: { call in
            // xt_policy.c policy_mt_check: no input policy after routing out, no output policy before.
            switch call.setting("dir")?.value {
            case .word("in")?: return [.prerouting, .input, .forward]
            case .word("out")?: return [.forward, .output, .postrouting]
            default: return nil
            }
        },
        preservesOptionOrder: true,
        evaluate: { _, _ in .unknown("the IPsec policy of the packet was not given") },
        listing: .policy)
}

// libxt_policy.c policy4_print: `policy match dir in|out pol none|ipsec [strict]` then each
// element (`[N]` before each when there are several): `[!] reqid N [!] spi 0xN [!] proto P
// [!] mode M [!] tunnel-dst A [!] tunnel-src A`, the elements joined by --next.
extension ListingForm {
    static let policy = ListingForm(leads: ["policy match"]) { reader in
        guard reader.cursor.takeWord("policy match") else { return false }
        let keywords = [
            ListingKeyword("dir", "dir"), ListingKeyword("pol", "pol"), ListingKeyword("strict", "strict", values: 0),
            ListingKeyword("reqid", "reqid"), ListingKeyword("spi", "spi"), ListingKeyword("proto", "proto"),
            ListingKeyword("mode", "mode"), ListingKeyword("tunnel-dst", "tunnel-dst"), ListingKeyword("tunnel-src", "tunnel-src"),
        ]
        while true {
            if let word = reader.cursor.peekWord(), word.hasPrefix("["), word.hasSuffix("]"), UInt(word.dropFirst().dropLast()) != nil {
                let column = reader.cursor.columnAfterBlanks
                _ = reader.cursor.word()
                if word != "[0]" { reader.option("next", column: column) }
                continue
            }
            guard readKeyword(keywords, &reader) else { break }
        }
        return true
    }
}
