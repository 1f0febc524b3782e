/// `verdict reach` as text (the matrix first, one symbol per cell, then each cell in
/// words) and as JSON (docs/json.md).
public enum ReachRenderer {
    /// The most services one block of the text matrix shows side by side.
    static let blockWidth = 40

    /// The matrices (one per family) as text, each with its legend, then what the snapshot
    /// lacks (`notes`: what is assumed instead). `brief`: without every cell in words.
    public static func text(_ matrices: [ReachMatrix], notes: [String] = [], brief: Bool = false) -> String {
        var lines: [String] = []
        for matrix in matrices {
            if !lines.isEmpty { lines.append("") }
            lines += table(matrix)
            if !notes.isEmpty, matrix.family == matrices.first?.family {
                lines.append("")
                lines += notes.map { "note: " + $0 }
            }
            if !brief {
                lines.append("")
                lines += cellLines(matrix)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The services numbered, the matrix in blocks of `blockWidth` columns, the legend.
    static func table(_ matrix: ReachMatrix) -> [String] {
        var lines = [heading(matrix, services: matrix.services.count)]
        guard !matrix.services.isEmpty, !matrix.sources.isEmpty else { return lines }
        let numberWidth = String(matrix.services.count).count
        lines.append("services:")
        for (index, service) in matrix.services.enumerated() {
            let number = String(index + 1)
            let padding = String(repeating: " ", count: numberWidth - number.count)
            lines.append("  " + padding + number + "  " + serviceText(service))
        }
        let nameWidth = matrix.sources.map(\.name.count).max() ?? 0
        for start in stride(from: 0, to: matrix.services.count, by: blockWidth) {
            let columns = start..<min(start + blockWidth, matrix.services.count)
            lines.append("")
            // The column numbers written downwards, one digit per line.
            let numbers = columns.map { String($0 + 1) }
            let height = numbers.map(\.count).max() ?? 1
            for row in 0..<height {
                let digits = numbers.map { number -> String in
                    let padded = String(repeating: " ", count: height - number.count) + number
                    return String(Array(padded)[row])
                }
                lines.append(String(repeating: " ", count: nameWidth + 2) + "  " + digits.joined(separator: " "))
            }
            for (row, source) in matrix.sources.enumerated() {
                let symbols = columns.map { String(matrix.cell(source: row, service: $0).outcome.symbol) }
                lines.append("  " + source.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                             + symbols.joined(separator: " "))
            }
        }
        let used = Set(matrix.cells.map(\.outcome))
        lines.append("")
        lines += ReachOutcome.allCases.filter(used.contains).map { "  \($0.symbol)  \($0.meaning)" }
        return lines
    }

    /// `IPv4: 5 sources × 10 services` (`services`: how many the matrix has, where a picture
    /// shows fewer).
    static func heading(_ matrix: ReachMatrix, services: Int) -> String {
        (matrix.family == .ipv6 ? "IPv6" : "IPv4") + ": \(matrix.sources.count) sources × \(services) services"
    }

    /// `tcp 10.0.2.15:8080 → 172.17.0.2:80 (published: nat)`, with what is known of it.
    static func serviceText(_ service: ReachService) -> String {
        var text = service.name
        if !service.to.isEmpty {
            let shown = service.to.prefix(3).joined(separator: ", ")
            text += " → " + shown + (service.to.count > 3 ? ", … (\(service.to.count) in all)" : "")
        }
        var notes: [String] = []
        switch service.kind {
        case .listener: notes.append("listening")
        case .nat: notes.append("nat")
        case .container: notes.append("container")
        case .echo: notes.append("ping")
        case .given: notes.append("asked")
        }
        if service.kind == .nat, service.listener == true { notes.append("a socket listens too") }
        return text + " (" + notes.joined(separator: ", ") + ")"
    }

    /// Each cell in words: the source, the service, the outcome, the deciding rules and NAT;
    /// a cell of several classes with each class on a line of its own.
    static func cellLines(_ matrix: ReachMatrix) -> [String] {
        var lines: [String] = []
        for cell in matrix.cells {
            let source = matrix.sources[cell.source], service = matrix.services[cell.service]
            var line = "\(source.name) → \(service.name): \(cell.outcome.rawValue)"
            if cell.classes.count == 1, let only = cell.classes.first {
                line += describe(only)
                lines.append(line)
                if let witness = only.witness { lines.append("    witness: " + PacketDescription.format(witness)) }
                continue
            }
            lines.append(line)
            for item in cell.classes {
                lines.append("    \(item.packetsText): \(item.outcome.rawValue)" + describe(item))
                if let witness = item.witness { lines.append("        witness: " + PacketDescription.format(witness)) }
            }
        }
        return lines
    }

    /// `, by filter/DOCKER:1, nat 10.0.2.15:8080 → 172.17.0.2:80, probability 20%`.
    static func describe(_ item: ReachClass) -> String {
        var text = ""
        if !item.by.isEmpty { text += ", by " + item.by.joined(separator: ", ") }
        if let why = item.why { text += ", " + why }
        if !item.nat.isEmpty { text += ", nat " + item.nat.joined(separator: ", ") }
        if let probability = item.probability { text += ", probability " + ChainWalker.percent(probability) }
        return text
    }

    /// The matrices as one JSON object; the sources and services of every family in one
    /// array each, the cells indexing them.
    public static func json(_ matrices: [ReachMatrix], notes: [String] = []) -> String {
        func quote(_ text: String) -> String { JSONText.string(text) }
        func list(_ items: [String]) -> String { "[" + items.map(quote).joined(separator: ", ") + "]" }
        var sources: [String] = [], services: [String] = [], cells: [String] = []
        for matrix in matrices {
            let (sourceBase, serviceBase) = (sources.count, services.count)
            let family = quote(matrix.family.rawValue)
            sources += matrix.sources.map { source in
                "{\"name\": \(quote(source.name)), \"from\": \(quote(source.origin.description)), "
                    + "\"family\": \(family), "
                    + "\"addresses\": \(list(source.addressTexts))}"
            }
            services += matrix.services.map { service in
                "{\"protocol\": \(quote(service.protocolName)), \"address\": \(quote(service.address.description)), "
                    + "\"port\": \(service.port.map(String.init) ?? "null"), "
                    + "\"listener\": \(service.listener.map { $0 ? "true" : "false" } ?? "null"), "
                    + "\"to\": \(list(service.to)), \"kind\": \(quote(service.kind.rawValue)), \"family\": \(family)}"
            }
            cells += matrix.cells.map { cell in
                let classes = cell.classes.map { item in
                    "{\"packets\": \(quote(item.packetsText)), \"outcome\": \(quote(item.outcome.rawValue)), "
                        + "\"by\": \(list(item.by)), \"nat\": \(list(item.nat)), \"detail\": \(quote(item.detail)), "
                        + "\"why\": \(item.why.map(quote) ?? "null"), "
                        + "\"probability\": \(item.probability.map { String($0) } ?? "null"), "
                        + "\"witness\": \(item.witness.map { quote(PacketDescription.format($0)) } ?? "null"), "
                        + "\"confirmed\": \(item.confirmed.map { $0 ? "true" : "false" } ?? "null")}"
                }
                return "{\"source\": \(sourceBase + cell.source), \"service\": \(serviceBase + cell.service), "
                    + "\"outcome\": \(quote(cell.outcome.rawValue)), \"by\": \(list(cell.by)), "
                    + "\"nat\": \(list(cell.nat)), "
                    + "\"witness\": \(cell.witness.map { quote(PacketDescription.format($0)) } ?? "null"), "
                    + "\"classes\": [" + classes.joined(separator: ", ") + "]}"
            }
        }
        return "{\"notes\": " + list(notes) + ", \"sources\": [" + sources.joined(separator: ", ")
            + "], \"services\": ["
            + services.joined(separator: ", ") + "], \"cells\": [" + cells.joined(separator: ", ") + "]}"
    }

    /// The changed cells, one line each: `eth0 elsewhere → tcp 10.0.2.15:5432: dropped → open
    /// (now by filter/DOCKER:3)`; `no cell changes` when none.
    public static func diffText(_ diffs: [ReachDiff]) -> String {
        let changes = diffs.flatMap(\.changes)
        guard !changes.isEmpty else { return "no cell changes\n" }
        var lines: [String] = []
        for change in changes {
            let leads = change.service.to.prefix(3).joined(separator: ", ")
            let to = change.service.to.isEmpty ? "" : " (→ " + leads + ")"
            let old = change.old?.outcome.rawValue ?? "absent", new = change.new?.outcome.rawValue ?? "absent"
            var line = "\(change.source.name) → \(change.service.name)\(to): \(old) → \(new)"
            if let cell = change.new, !cell.by.isEmpty { line += " (now by " + cell.by.joined(separator: ", ") + ")" }
            lines.append(line)
            // A mixed cell's classes, each side's, so that the change shows where it lies.
            for (side, cell) in [("was", change.old), ("now", change.new)] {
                guard let cell, cell.outcome == .partly || cell.outcome == .depends else { continue }
                for item in cell.classes {
                    lines.append("    \(side) \(item.packetsText): \(item.outcome.rawValue)" + describe(item))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The changed cells as JSON: `{"changes": [{"source", "service", "old", "new", "by"}]}`.
    public static func diffJSON(_ diffs: [ReachDiff]) -> String {
        func quote(_ text: String) -> String { JSONText.string(text) }
        let changes = diffs.flatMap(\.changes).map { change in
            "{\"source\": \(quote(change.source.name)), \"service\": \(quote(change.service.name)), "
                + "\"old\": \(change.old.map { quote($0.outcome.rawValue) } ?? "null"), "
                + "\"new\": \(change.new.map { quote($0.outcome.rawValue) } ?? "null"), "
                + "\"by\": [" + (change.new?.by ?? []).map(quote).joined(separator: ", ") + "]}"
        }
        return "{\"changes\": [" + changes.joined(separator: ", ") + "]}"
    }
}
