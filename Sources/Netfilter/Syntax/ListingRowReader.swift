/// Reads the columns of one rule row of a listing (print_rule_details, print_fragment,
/// print_ifaces, print_ipv4_addresses in iptables/xshared.c): `[num] [pkts bytes] target
/// prot opt [in out] source destination`, then `[goto]` before the matches' text. It
/// emits the rule's header as save words (`! -s 10.0.0.0/8 -i eth0 -p 6 -f`) and leaves
/// the reader's cursor at the matches' text.
enum ListingRowReader {
    struct Columns {
        /// The target column (nil when empty: a rule without -j).
        var target: (name: String, column: Int)?
        /// `[goto]`: the target column names the chain of a `-g`.
        var goto: Bool
        var counters: (value: Counters, exact: Bool, text: String, column: Int)?
        /// The column of the row's first word.
        var firstColumn: Int
    }

    /// The `opt` column: `--`, `-f` (fragments) or `!f` (not fragments).
    static func isOption(_ word: String) -> Bool { word == "--" || word == "-f" || word == "!f" }

    static func read(_ line: [UInt8], line number: Int, columns: ListingColumns, label: String,
                     reader: inout ListingReader) -> Columns? {
        var cursor = ListingCursor(line: line, start: 0)
        cursor.skipBlanks()
        var result = Columns(target: nil, goto: false, counters: nil, firstColumn: cursor.column)
        func fail(_ message: String, _ column: Int) -> Columns? {
            reader.fail("\(label): \(message)", column: column)
            return nil
        }
        if columns.lineNumbers {
            guard let word = cursor.word() else { return fail("empty row", result.firstColumn) }
            guard UInt(word.text) != nil else { return fail("expected the rule number of the num column, found '\(word.text)'", word.column) }
        }
        if columns.counters {
            guard let packets = cursor.word() else { return fail("expected the pkts column", cursor.column) }
            guard let count = ListingCount(packets.text) else {
                return fail("expected the packet counter of the pkts column, found '\(packets.text)'", packets.column)
            }
            guard let bytes = cursor.word() else { return fail("expected the bytes column", cursor.column) }
            guard let byteCount = ListingCount(bytes.text) else {
                return fail("expected the byte counter of the bytes column, found '\(bytes.text)'", bytes.column)
            }
            result.counters = (Counters(packets: count.value, bytes: byteCount.value), count.exact && byteCount.exact,
                               "\(packets.text) packets, \(bytes.text) bytes", packets.column)
        }
        var probe = cursor
        let first = probe.word()
        let second = probe.word()
        let third = probe.word()
        let hasTarget: Bool
        if let second, isOption(second.text) {
            hasTarget = false
        } else if let third, isOption(third.text) {
            hasTarget = true
        } else if let first {
            // No opt column (ip6tables before 1.4.21 printed blanks there): a target starts
            // left of the prot column.
            hasTarget = first.column < columns.protocolColumn - 1
        } else {
            return fail("expected the target and prot columns", cursor.column)
        }
        if hasTarget, let target = cursor.word() { result.target = (target.text, target.column) }
        guard let proto = cursor.word() else { return fail("expected the prot column", cursor.column) }
        var probeOption = cursor
        var fragment: (String, Int)?
        if let option = probeOption.word(), isOption(option.text) {
            cursor = probeOption
            fragment = (option.text, option.column)
        }
        var interfaces: [(String, Int)] = []
        if columns.interfaces {
            for name in ["in", "out"] {
                guard let word = cursor.word() else { return fail("expected the \(name) column", cursor.column) }
                interfaces.append((word.text, word.column))
            }
        }
        var addresses: [(String, Int)] = []
        for name in ["source", "destination"] {
            guard let word = cursor.word() else { return fail("expected the \(name) column", cursor.column) }
            addresses.append((word.text, word.column))
        }
        if cursor.takeWord("[goto]") { result.goto = true }
        reader.cursor = cursor

        // The header as save words.
        for ((text, column), flag) in zip(addresses, ["-s", "-d"]) {
            let (value, negated) = split(text)
            if !negated && (value == "anywhere" || value == "0.0.0.0/0" || value == "::/0") { continue }
            if negated { reader.word("!", column: column) }
            reader.word(flag, column: column)
            reader.word(reader.address(value, column: column + (negated ? 1 : 0)), column: column + (negated ? 1 : 0))
        }
        for ((text, column), flag) in zip(interfaces, ["-i", "-o"]) {
            let (value, negated) = split(text)
            if value == "*" || value == "any" {
                if negated { reader.fail("'\(text)' negates every interface", column: column) }
                continue
            }
            if negated { reader.word("!", column: column) }
            reader.word(flag, column: column)
            reader.word(value, column: column + (negated ? 1 : 0))
        }
        let (protocolText, protocolNegated) = split(proto.text)
        if !(protocolText == "all" || protocolText == "0") || protocolNegated {
            if protocolNegated { reader.word("!", column: proto.column) }
            reader.word("-p", column: proto.column)
            // The number, so that the save text spells it as iptables-save does.
            let number = IPProtocol.number(for: protocolText).map(String.init) ?? protocolText
            reader.word(number, column: proto.column + (protocolNegated ? 1 : 0))
        }
        if let (option, column) = fragment, option != "--" {
            if option.hasPrefix("!") { reader.word("!", column: column) }
            if option.hasSuffix("f") { reader.word("-f", column: column) }
        }
        return result
    }

    /// A column value with its `!` prefix removed.
    static func split(_ text: String) -> (String, Bool) {
        text.hasPrefix("!") && text.utf8.count > 1 ? (String(text.dropFirst()), true) : (text, false)
    }
}
