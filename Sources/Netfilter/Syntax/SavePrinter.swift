/// Prints a `Ruleset` in the canonical `iptables-save` form: the text iptables-save
/// itself would print for it, with the dump's own comments and line endings kept.
public enum SavePrinter {
    public static func print(_ ruleset: Ruleset) -> String {
        String(decoding: bytes(ruleset), as: UTF8.self)
    }

    public static func bytes(_ ruleset: Ruleset) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(ruleset.ruleCount * 96 + 256)
        let newline = Array(ruleset.lineEnding.utf8)
        func line(_ text: String, trailing: String = "") {
            out.append(contentsOf: text.utf8)
            out.append(contentsOf: trailing.utf8)
            out.append(contentsOf: newline)
        }
        func trivia(_ comments: [Comment]) {
            for comment in comments { line(comment.text) }
        }
        for table in ruleset.tables {
            trivia(table.leadingTrivia)
            line("*" + table.name, trailing: table.headerTrailingWhitespace)
            for chain in table.chains {
                trivia(chain.leadingTrivia)
                var declaration = ":" + chain.name + " " + (chain.policy?.rawValue ?? "-")
                if let counters = chain.counters ?? (chain.location == .unknown ? .zero : nil) {
                    declaration += " [\(counters.packets):\(counters.bytes)]"
                }
                line(declaration, trailing: chain.trailingWhitespace)
            }
            for chain in table.chains {
                for rule in chain.rules {
                    trivia(rule.leadingTrivia)
                    var writer = SaveWriter(style: ruleset.style)
                    if let counters = rule.counters { writer.raw("[\(counters.packets):\(counters.bytes)] ") }
                    writer.raw("-A " + chain.name)
                    if let opaque = rule.opaqueText {
                        if !opaque.isEmpty { writer.word(opaque) }
                    } else {
                        printRule(rule, family: ruleset.family, to: &writer)
                    }
                    out.append(contentsOf: writer.bytes)
                    out.append(contentsOf: rule.trailingWhitespace.utf8)
                    out.append(contentsOf: newline)
                }
            }
            trivia(table.commitTrivia)
            if table.commitLocation != nil { line("COMMIT", trailing: table.commitTrailingWhitespace) }
        }
        trivia(ruleset.trailingTrivia)
        // The last line keeps its own ending (or none).
        if out.count >= newline.count, Array(out.suffix(newline.count)) == newline, ruleset.finalLineEnding != ruleset.lineEnding {
            out.removeLast(newline.count)
            out.append(contentsOf: ruleset.finalLineEnding.utf8)
        }
        return out
    }

    /// The rule's options in save order: `-s -d -i -o -p -f`, matches in order, target.
    public static func printRule(_ rule: Rule, family: Family, to writer: inout SaveWriter) {
        let header = rule.header
        let legacy = writer.style == .v1_3
        for (flag, address) in [("-s", header.source), ("-d", header.destination)] {
            guard let address, !(address.value.isAny && !address.negated) else { continue }
            // iptables 1.3 printed the negation after the option: `-d ! 10.0.0.0/255.0.0.0`.
            if address.negated && !legacy { writer.word("!") }
            writer.word(flag)
            if address.negated && legacy { writer.word("!") }
            writer.word(legacy ? address.value.legacyDescription : address.value.description)
        }
        for (flag, interface) in [("-i", header.inInterface), ("-o", header.outInterface)] {
            // `-i +` matches every interface and is not printed; `! -i +` is.
            guard let interface, !(interface.value.matchesEverything && !interface.negated) else { continue }
            if interface.negated { writer.word("!") }
            writer.word(flag)
            writer.name(interface.value.text)
        }
        if let proto = header.protocol, proto.value != 0 {
            if proto.negated { writer.word("!") }
            writer.word("-p")
            writer.word(header.protocolSpelling.flatMap { IPProtocol.number(for: $0) == proto.value ? $0 : nil }
                        ?? IPProtocol.saveName(for: proto.value, family: family) ?? String(proto.value))
        }
        if let fragment = header.fragment {
            if fragment.negated { writer.word("!") }
            writer.word("-f")
        }
        for match in rule.matches {
            let spec = match.spec
            writer.word("-m")
            writer.word(spec.name)
            spec.printOptions(match, to: &writer)
        }
        switch rule.target {
        case .none:
            break
        case .verdict(let verdict):
            writer.word("-j")
            writer.word(verdict.rawValue)
        case .jump(let chain):
            writer.word("-j")
            writer.word(chain)
        case .goto(let chain):
            writer.word("-g")
            writer.word(chain)
        case .extension(let call):
            let spec = call.spec
            writer.word("-j")
            writer.word(spec.name)
            spec.printOptions(call, to: &writer)
        }
    }

    /// One rule's options alone, e.g. `-p tcp -m tcp --dport 22 -j ACCEPT`.
    public static func ruleText(_ rule: Rule, family: Family) -> String {
        var writer = SaveWriter()
        printRule(rule, family: family, to: &writer)
        return String(writer.text.dropFirst())
    }
}
