// libxt_time.c / net/netfilter/xt_time.c: time of day, weekdays, month days, date range.

extension ExtensionSpec {
    static let clockTime = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let parts = arguments[0].split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let hours = UInt64(parts[0]), let minutes = UInt64(parts[1]),
              let seconds = parts.count == 3 ? UInt64(parts[2]) : 0, hours < 24, minutes < 60, seconds < 60 else {
            throw ValueError("invalid time \"\(arguments[0])\" (HH:MM[:SS])")
        }
        return .number(hours * 3600 + minutes * 60 + seconds)
    }, print: { value, writer in
        guard case .number(let total) = value else { return }
        func two(_ n: UInt64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        writer.word("\(two(total / 3600)):\(two(total / 60 % 60)):\(two(total % 60))")
    })

    static let calendarDate = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        // YYYY[-MM[-DD[THH[:MM[:SS]]]]], printed in full.
        let text = arguments[0]
        let pieces = text.split(whereSeparator: { $0 == "-" || $0 == "T" || $0 == ":" }).map { UInt64($0) }
        guard !pieces.isEmpty, pieces.count <= 6, pieces.allSatisfy({ $0 != nil }) else {
            throw ValueError("invalid date \"\(text)\" (YYYY[-MM[-DD[Thh[:mm[:ss]]]]])")
        }
        var fields = pieces.compactMap { $0 }
        let defaults: [UInt64] = [1970, 1, 1, 0, 0, 0]
        while fields.count < 6 { fields.append(defaults[fields.count]) }
        guard (1970...2038).contains(fields[0]), (1...12).contains(fields[1]), (1...31).contains(fields[2]),
              fields[3] < 24, fields[4] < 60, fields[5] < 60 else { throw ValueError("date \"\(text)\" is out of range") }
        return .tuple(fields.map { .number($0) })
    }, print: { value, writer in
        guard case .tuple(let parts) = value else { return }
        let numbers = parts.compactMap { part -> UInt64? in if case .number(let n) = part { return n }; return nil }
        guard numbers.count == 6 else { return }
        func two(_ n: UInt64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        writer.word("\(numbers[0])-\(two(numbers[1]))-\(two(numbers[2]))T\(two(numbers[3])):\(two(numbers[4])):\(two(numbers[5]))")
    })

    static let weekdays = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        var seen = Set<Int>()
        for part in arguments[0].split(separator: ",") {
            if let number = Int(part), (1...7).contains(number) { seen.insert(number - 1); continue }
            guard let index = names.firstIndex(where: { $0.lowercased() == part.lowercased().prefix(3) && part.count >= 2 }) else {
                throw ValueError("invalid weekday \"\(part)\"")
            }
            seen.insert(index)
        }
        return .words(names.enumerated().filter { seen.contains($0.offset) }.map(\.element))
    }, print: { value, writer in
        if case .words(let days) = value { writer.word(days.joined(separator: ",")) }
    })

    static let monthdays = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        var days = Set<UInt64>()
        for part in arguments[0].split(separator: ",") {
            guard let day = UInt64(part), (1...31).contains(day) else { throw ValueError("invalid day of month \"\(part)\"") }
            days.insert(day)
        }
        return .words(days.sorted().map(String.init))
    }, print: { value, writer in
        if case .words(let days) = value { writer.word(days.joined(separator: ",")) }
    })

    /// `-m time [--datestart D] [--datestop D] [--timestart T] [--timestop T]
    /// [!] --monthdays LIST [!] --weekdays LIST [--kerneltz] [--contiguous]`.
    public static let time = ExtensionSpec(
        "time", kind: .match,
        options: [
            OptionSpec("timestart", clockTime),
            OptionSpec("timestop", clockTime),
            OptionSpec("monthdays", monthdays, negatable: true),
            OptionSpec("weekdays", aliases: ["days"], weekdays, negatable: true),
            OptionSpec("datestart", calendarDate),
            OptionSpec("datestop", calendarDate),
            OptionSpec("kerneltz", aliases: ["localtz"], .flag),
            OptionSpec("contiguous", .flag),
        ],
        evaluate: { _, _ in .unknown("time depends on the moment the packet arrives") },
        listing: .time)
}

// libxt_time.c time_print: `TIME [from HH:MM:SS to HH:MM:SS] [on Mon,Tue] [on 1st,2nd]
// [starting from YYYY-MM-DD HH:MM:SS] [until date YYYY-MM-DD HH:MM:SS] [UTC] [contiguous]`;
// `UTC` is printed unless --kerneltz was given.
extension ListingForm {
    static let time = ListingForm(leads: ["TIME"]) { reader in
        let column = reader.cursor.columnAfterBlanks
        guard reader.cursor.takeWord("TIME") else { return false }
        var utc = false
        while true {
            let itemColumn = reader.cursor.columnAfterBlanks
            if reader.cursor.takeWord("from") {
                guard let (start, _) = reader.cursor.word(), reader.cursor.takeWord("to"), let (stop, _) = reader.cursor.word() else {
                    reader.fail("TIME from without 'HH:MM:SS to HH:MM:SS'", column: itemColumn)
                    return true
                }
                reader.option("timestart", [start], column: itemColumn)
                reader.option("timestop", [stop], column: itemColumn)
            } else if reader.cursor.takeWord("on") {
                guard let (days, _) = reader.cursor.word() else { break }
                if days.first?.isNumber == true {
                    let numbers = days.split(separator: ",").map { String($0.prefix { $0.isNumber }) }
                    reader.option("monthdays", [numbers.joined(separator: ",")], column: itemColumn)
                } else {
                    reader.option("weekdays", [days], column: itemColumn)
                }
            } else if let option = reader.cursor.takeWord("starting from") ? "datestart"
                        : reader.cursor.takeWord("until date") ? "datestop" : nil {
                guard let (day, _) = reader.cursor.word(), let (clock, _) = reader.cursor.word() else {
                    reader.fail("a date without 'YYYY-MM-DD HH:MM:SS'", column: itemColumn)
                    return true
                }
                reader.option(option, [day + "T" + clock], column: itemColumn)
            } else if reader.cursor.takeWord("UTC") {
                utc = true
            } else if reader.cursor.takeWord("contiguous") {
                reader.option("contiguous", column: itemColumn)
            } else {
                break
            }
        }
        if !utc { reader.option("kerneltz", column: column) }
        return true
    }
}
