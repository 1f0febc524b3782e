// libxt_connbytes.c / net/netfilter/xt_connbytes.c: bytes or packets a connection has carried.

extension ExtensionSpec {
    /// `FROM[:TO]` over 64-bit counts; an open end is "no upper limit", printed as `FROM` alone.
    static let connbytesRange = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let parts = arguments[0].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        func count(_ text: Substring, default fallback: UInt64) throws(ValueError) -> UInt64 {
            if text.isEmpty { return fallback }
            guard let value = UInt64(text) else { throw ValueError("invalid count \"\(text)\"") }
            return value
        }
        let low = try count(parts[0], default: 0)
        let high = parts.count > 1 ? try count(parts[1], default: .max) : .max
        if low > high { throw ValueError("invalid range \"\(arguments[0])\": \(low) is greater than \(high)") }
        return .range(low, high)
    }, print: { value, writer in
        guard case .range(let low, let high) = value else { return }
        writer.word(high == .max ? "\(low)" : "\(low):\(high)")
    })

    /// `-m connbytes [!] --connbytes FROM[:TO] --connbytes-mode packets|bytes|avgpkt
    /// --connbytes-dir original|reply|both`.
    public static let connbytes = ExtensionSpec(
        "connbytes", kind: .match,
        options: [
            OptionSpec("connbytes", connbytesRange, negatable: true, required: true),
            OptionSpec("connbytes-mode", .keyword(["packets": "packets", "bytes": "bytes", "avgpkt": "avgpkt"]), required: true),
            OptionSpec("connbytes-dir", .keyword(["original": "original", "reply": "reply", "both": "both"]), required: true),
        ],
        evaluate: { _, _ in .unknown("connbytes depends on the connection's counters") },
        keepsState: true, usesConntrack: true, listing: .connbytes)
}

// libxt_connbytes.c connbytes_print: `[!] connbytes N[:M] connbytes mode packets|bytes|avgpkt
// connbytes direction original|reply|both`.
extension ListingForm {
    static let connbytes = ListingForm(leads: ["connbytes"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        let negated = reader.cursor.takeNegation()
        guard reader.cursor.takeWord("connbytes"), let (range, _) = reader.cursor.word() else { return false }
        reader.option("connbytes", [range], negated: negated, column: column)
        for (phrase, option) in [("connbytes mode", "connbytes-mode"), ("connbytes direction", "connbytes-dir")] {
            let itemColumn = reader.cursor.columnAfterBlanks
            guard reader.cursor.takeWord(phrase), let (value, _) = reader.cursor.word() else { continue }
            reader.option(option, [value], column: itemColumn)
        }
        return true
    }
}
