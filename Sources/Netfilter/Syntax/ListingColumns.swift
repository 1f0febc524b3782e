/// The column header `iptables -L` prints under each chain (`num pkts bytes target prot
/// opt in out source destination`): which columns the rows have. `num` comes with
/// `--line-numbers`, `pkts bytes` and `in out` with `-v` (print_header in xshared.c).
struct ListingColumns: Sendable, Hashable {
    var lineNumbers: Bool
    var counters: Bool
    var interfaces: Bool
    /// The 1-based column where `prot` starts in the header, to tell an empty target
    /// column when a row has no `opt` column to count from (old ip6tables).
    var protocolColumn: Int

    /// Reads a column header line; nil when the line is not one.
    static func parse(_ line: ArraySlice<UInt8>) -> ListingColumns? {
        var words: [(String, Int)] = []
        var index = line.startIndex
        while index < line.endIndex {
            while index < line.endIndex && ListingCursor.isBlank(line[index]) { index += 1 }
            let start = index
            while index < line.endIndex && !ListingCursor.isBlank(line[index]) { index += 1 }
            if start < index { words.append((String(decoding: line[start..<index], as: UTF8.self), start - line.startIndex + 1)) }
        }
        let names = words.map(\.0)
        guard let prot = words.first(where: { $0.0 == "prot" }), names.contains("source"),
              names.last == "destination", names.contains("target") else { return nil }
        let known: Set<String> = ["num", "pkts", "bytes", "target", "prot", "opt", "in", "out", "source", "destination"]
        guard names.allSatisfy(known.contains) else { return nil }
        return ListingColumns(lineNumbers: names.first == "num", counters: names.contains("pkts"),
                              interfaces: names.contains("in"), protocolColumn: prot.1)
    }
}

/// A counter as `iptables -L -v` prints it: exact with `-x`, otherwise rounded to
/// thousands with a K, M, G or T suffix above 99999 (xtables_print_num).
struct ListingCount: Sendable, Hashable {
    var value: UInt64
    var exact: Bool

    init?(_ text: String) {
        var digits = Substring(text)
        var scale: UInt64 = 1
        if let last = text.last, let power = "KMGT".firstIndex(of: last) {
            scale = [1_000, 1_000_000, 1_000_000_000, 1_000_000_000_000][ "KMGT".distance(from: "KMGT".startIndex, to: power)]
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = UInt64(digits) else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        value = product
        exact = scale == 1
    }
}
