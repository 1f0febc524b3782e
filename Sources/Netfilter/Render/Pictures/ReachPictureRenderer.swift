/// `verdict reach --format svg`: the matrix as a picture, sources down the left, services
/// along the top (written at a slant), each cell a coloured square with its outcome's
/// symbol and, on hover, the cell in words; the legend below.
public enum ReachPictureRenderer {
    static let cell = 26.0
    static let margin = 24.0
    /// The most services a picture draws (a kube-proxy host has thousands): the first ones,
    /// and a line saying how many more there are.
    static let maximumServices = 200

    /// Fill colours by outcome: green open, grey dropped, orange refused and closed, red
    /// blocked, blue and purple for the mixed cells.
    static func colour(_ outcome: ReachOutcome) -> String {
        switch outcome {
        case .open: return "#34a853"
        case .dropped: return "#bdc1c6"
        case .refused: return "#fb8c00"
        case .closed: return "#fdd663"
        case .blockedLocally: return "#ea4335"
        case .partly: return "#4285f4"
        case .depends: return "#a142f4"
        }
    }

    public static func svg(_ matrices: [ReachMatrix]) -> String {
        var blocks: [(cut: (matrix: ReachMatrix, services: Int), top: Double, labelWidth: Double,
                      headerHeight: Double)] = []
        var y = 44.0
        var width = 420.0
        for cut in matrices.map(firstServices) {
            let matrix = cut.matrix
            let labelWidth = (matrix.sources.map { TextMetrics.width($0.name) }.max() ?? 0) + 16
            let longest = matrix.services.map { TextMetrics.width(ReachRenderer.serviceText($0)) }.max() ?? 0
            let headerHeight = longest * 0.72 + 24
            blocks.append((cut, y, labelWidth, headerHeight))
            let slantReach = headerHeight / 0.72 * 0.7
            width = max(width, margin * 2 + labelWidth + Double(matrix.services.count) * cell + slantReach)
            y += 30 + headerHeight + Double(matrix.sources.count) * cell + 24
        }
        let legendTop = y
        y += Double(ReachOutcome.allCases.count) * 20 + margin
        var svg = SVGWriter(width: width.rounded(.up), height: y.rounded(.up))
        let title = "verdict reach: who can reach what"
        svg.element("title", text: title)
        svg.rect(x: 0, y: 0, width: width.rounded(.up), height: y.rounded(.up), [("fill", "#ffffff")])
        svg.text(title, x: margin, y: 26, [("font-size", "15"), ("font-weight", "bold"), ("fill", "#202124")])
        for block in blocks {
            draw(block.cut, top: block.top, labelWidth: block.labelWidth, headerHeight: block.headerHeight, into: &svg)
        }
        for (index, outcome) in ReachOutcome.allCases.enumerated() {
            let top = legendTop + Double(index) * 20
            svg.rect(x: margin, y: top, width: 14, height: 14, radius: 2, [("fill", colour(outcome))])
            svg.text(String(outcome.symbol), x: margin + 7, y: top + 11, anchor: "middle",
                     [("font-size", "10"), ("fill", "#202124")])
            svg.text(outcome.meaning, x: margin + 22, y: top + 11, [("fill", "#3c4043")])
        }
        return svg.finish()
    }

    /// A matrix cut to its first `maximumServices` services (its heading still counts all).
    static func firstServices(_ matrix: ReachMatrix) -> (matrix: ReachMatrix, services: Int) {
        guard matrix.services.count > maximumServices else { return (matrix, matrix.services.count) }
        let cells = matrix.cells.filter { $0.service < maximumServices }
        return (ReachMatrix(family: matrix.family, sources: matrix.sources,
                            services: Array(matrix.services.prefix(maximumServices)), cells: cells),
                matrix.services.count)
    }

    static func draw(_ cut: (matrix: ReachMatrix, services: Int), top: Double, labelWidth: Double,
                     headerHeight: Double, into svg: inout SVGWriter) {
        let matrix = cut.matrix
        var heading = ReachRenderer.heading(matrix, services: cut.services)
        if cut.services > matrix.services.count {
            heading += " (the first \(matrix.services.count) drawn: --to and -p choose others)"
        }
        svg.text(heading, x: margin, y: top + 14, [("font-weight", "bold"), ("fill", "#3c4043")])
        let left = margin + labelWidth
        let gridTop = top + 24 + headerHeight
        svg.start("g", [("class", "services")])
        for (index, service) in matrix.services.enumerated() {
            let x = left + Double(index) * cell + cell / 2
            let text = ReachRenderer.serviceText(service)
            let turn = "rotate(-45 \(SVGWriter.number(x)) \(SVGWriter.number(gridTop - 6)))"
            svg.text(text, x: x, y: gridTop - 6, [("transform", turn), ("fill", "#3c4043")])
        }
        svg.end()
        svg.start("g", [("class", "cells")])
        for (row, source) in matrix.sources.enumerated() {
            let y = gridTop + Double(row) * cell
            let addresses = source.addressTexts.joined(separator: ", ")
            svg.text(source.name, x: left - 8, y: y + cell / 2 + 4, anchor: "end",
                     tooltip: addresses.isEmpty ? nil : source.name + ": " + addresses, [("fill", "#202124")])
            for column in matrix.services.indices {
                let item = matrix.cell(source: row, service: column)
                let x = left + Double(column) * cell
                svg.start("g", [("class", "cell " + item.outcome.rawValue)])
                svg.element("title", text: words(item, matrix))
                svg.rect(x: x + 1, y: y + 1, width: cell - 2, height: cell - 2, radius: 3,
                         [("fill", colour(item.outcome))])
                svg.text(String(item.outcome.symbol), x: x + cell / 2, y: y + cell / 2 + 4, anchor: "middle",
                         [("fill", "#202124")])
                svg.end()
            }
        }
        svg.end()
    }

    /// The cell in words, for its tooltip.
    static func words(_ cell: ReachCell, _ matrix: ReachMatrix) -> String {
        let source = matrix.sources[cell.source].name, service = matrix.services[cell.service].name
        var text = "\(source) → \(service): \(cell.outcome.rawValue)"
        if !cell.by.isEmpty { text += "\nby " + cell.by.joined(separator: ", ") }
        if !cell.nat.isEmpty { text += "\nnat " + cell.nat.joined(separator: ", ") }
        if cell.classes.count > 1 {
            for item in cell.classes { text += "\n\(item.packetsText): \(item.outcome.rawValue)" }
        }
        return text
    }
}
