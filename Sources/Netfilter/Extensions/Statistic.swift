// libxt_statistic.c / net/netfilter/xt_statistic.c: random or every-nth packet.

extension ExtensionSpec {
    /// A probability 0..1, stored as the kernel keeps it (lround(p × 2^31)) together with the
    /// number of decimals to print: iptables prints 11 (`%.11f`), iptables 1.4 printed 10.
    static let probability = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let text = arguments[0]
        guard let value = Double(text), value >= 0, value <= 1 else {
            throw ValueError("invalid probability \"\(text)\" (a number from 0 to 1)")
        }
        let stored = UInt64((value * 2147483648.0).rounded())
        // Ten decimals is how iptables 1.4 printed it: print it back that way.
        let point = text.utf8.firstIndex(of: UInt8(ascii: "."))
        let decimals = point.map { text.utf8.distance(from: $0, to: text.utf8.endIndex) - 1 } ?? 0
        return .tuple([.number(stored), .number(decimals == 10 ? 10 : 11)])
    }, print: { value, writer in
        guard case .tuple(let parts) = value, parts.count == 2, case .number(let stored) = parts[0],
              case .number(let decimals) = parts[1] else { return }
        writer.word(formatFixed(Double(stored) / 2147483648.0, decimals: Int(decimals)))
    })

    /// `%.Nf` without Foundation.
    static func formatFixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * scale).rounded()
        let integer = UInt64(scaled)
        let whole = integer / UInt64(scale)
        var fraction = String(integer % UInt64(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        return decimals == 0 ? "\(whole)" : "\(whole).\(fraction)"
    }

    /// `-m statistic --mode random [!] --probability P` or `--mode nth [!] --every N [--packet P]`.
    public static let statistic = ExtensionSpec(
        "statistic", kind: .match,
        options: [
            OptionSpec("mode", .keyword(["random": "random", "nth": "nth"]), required: true),
            OptionSpec("probability", probability, negatable: true),
            OptionSpec("every", .number(1...UInt64(UInt32.max), name: "every"), negatable: true),
            OptionSpec("packet", .number(0...UInt64(UInt32.max), name: "packet")),
        ],
        finalize: { call, context in
            switch call.setting("mode")?.value {
            case .word("random")?:
                if !call.has("probability") { context.error("--mode random needs --probability") }
                if call.has("every") || call.has("packet") { context.error("--every and --packet go with --mode nth") }
            case .word("nth")?:
                if !call.has("every") { context.error("--mode nth needs --every") }
                if call.has("probability") { context.error("--probability goes with --mode random") }
                if case .number(let every)? = call.setting("every")?.value, case .number(let packet)? = call.setting("packet")?.value,
                   packet > every - 1 {
                    context.error("--packet must be smaller than --every")
                }
                if !call.has("packet") { call.set("packet", .number(0)) }
            default: break
            }
        },
        evaluate: { call, packet in
            // Random and every-nth matches depend on chance or on a counter: never decided.
            if case .tuple(let parts)? = call.setting("probability")?.value, let first = parts.first, case .number(let stored) = first {
                let probability = Double(stored) / 2147483648.0
                let negated = call.setting("probability")?.negated ?? false
                return MatchOutcome.chance(probability, "statistic --probability \(formatFixed(probability, decimals: 5))")
                    .negated(negated, "")
            }
            return .unknown("statistic --mode nth depends on the packet counter")
        },
        keepsState: true, listing: .statistic)
}

// libxt_statistic.c print_match: `statistic mode random[ !] probability P` or
// `statistic mode nth[ !] every N[ packet P]`; the `!` negates the probability or every.
extension ListingForm {
    static let statistic = ListingForm(leads: ["statistic"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("statistic"), reader.cursor.takeWord("mode"), let (mode, _) = reader.cursor.word() else {
            return false
        }
        reader.option("mode", [mode], column: column)
        let negated = reader.cursor.takeNegation()
        for (word, option) in [("probability", "probability"), ("every", "every"), ("packet", "packet")] {
            let itemColumn = reader.cursor.columnAfterBlanks
            guard reader.cursor.takeWord(word) else { continue }
            guard let (value, _) = reader.cursor.word() else {
                reader.fail("'\(word)' without its value", column: itemColumn)
                return true
            }
            reader.option(option, [value], negated: negated && option != "packet", column: itemColumn)
        }
        return true
    }
}
