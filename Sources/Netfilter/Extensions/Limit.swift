// libxt_limit.c / net/netfilter/xt_limit.c: token-bucket rate limit.

extension ExtensionSpec {
    /// The rate as iptables stores it: XT_LIMIT_SCALE (10000) × seconds per packet.
    static let limitScale: UInt64 = 10000

    /// `N/second|minute|hour|day` (any prefix of the unit), stored as the kernel's period
    /// (`scale` × seconds per packet) and printed back as libxt_limit's print_rate does:
    /// the largest unit whose count stays exact enough.
    static func rateValue(scale: UInt64, maximumPeriod: UInt64) -> ValueType {
        ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            let text = arguments[0]
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rate = UInt64(parts[0]), rate > 0 else { throw ValueError("invalid rate \"\(text)\"") }
            var seconds: UInt64 = 1
            if parts.count > 1 {
                let unit = parts[1].lowercased()
                if unit.isEmpty { throw ValueError("invalid rate \"\(text)\"") }
                if "second".hasPrefix(unit) { seconds = 1 }
                else if "minute".hasPrefix(unit) { seconds = 60 }
                else if "hour".hasPrefix(unit) { seconds = 3600 }
                else if "day".hasPrefix(unit) { seconds = 86400 }
                else { throw ValueError("invalid rate unit \"\(parts[1])\" (second, minute, hour or day)") }
            }
            let period = scale * seconds / rate
            if period == 0 || period > maximumPeriod {
                throw ValueError("rate \"\(text)\" is out of range")
            }
            return .number(period)
        }, print: { value, writer in
            guard case .number(let period) = value, period > 0 else { return }
            let rates: [(String, UInt64)] = [("day", scale * 86400), ("hour", scale * 3600), ("min", scale * 60), ("sec", scale)]
            var index = 1
            while index < rates.count {
                let mult = rates[index].1
                if period > mult || mult / period < mult % period { break }
                index += 1
            }
            writer.word("\(rates[index - 1].1 / period)/\(rates[index - 1].0)")
        })
    }

    static let limitRate = rateValue(scale: limitScale, maximumPeriod: UInt64(UInt32.max))

    /// `-m limit [--limit RATE] [--limit-burst N]`; iptables prints the defaults too.
    public static let limit = ExtensionSpec(
        "limit", kind: .match,
        options: [
            OptionSpec("limit", limitRate, negatable: false),
            OptionSpec("limit-burst", .number(0...10000, name: "burst")),
        ],
        finalize: { call, _ in
            // iptables-save prints the rate always (default 3/hour) and the burst unless it is 5.
            if !call.has("limit") { call.set("limit", .number(limitScale * 3600 / 3)) }
            if call.setting("limit-burst")?.value == .number(5) { call.remove("limit-burst") }
        },
        evaluate: { _, _ in .unknown("limit depends on the rate of earlier packets") },
        keepsState: true, traits: .limitsRate, listing: .limit)
}

// libxt_limit.c limit_print: `limit: avg RATE burst N`, the rate as print_rate writes it
// (`3/hour`, `5/min`, `10/sec`; the largest unit that keeps it exact enough).
extension ListingForm {
    static let limit = ListingForm(leads: ["limit: avg"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("limit:"), reader.cursor.takeWord("avg") else { return false }
        guard let (rate, _) = reader.cursor.word() else {
            reader.fail("limit: avg without its rate", column: column)
            return true
        }
        reader.option("limit", [rate], column: column)
        if reader.cursor.takeWord("burst"), let (burst, burstColumn) = reader.cursor.word() {
            reader.option("limit-burst", [burst], column: burstColumn)
        }
        return true
    }
}
