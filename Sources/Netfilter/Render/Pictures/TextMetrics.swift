/// How wide text is drawn: every picture uses one monospace font stack at one size, so a
/// string's width is its character count times the advance (0.6 em for the monospace
/// fonts of the stack; wide East Asian characters count twice). Used to size boxes so
/// that text fits them at 100% zoom, and to shorten what would not fit.
public enum TextMetrics {
    public static let fontFamily = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace"
    public static let fontSize = 12.0
    /// The advance of one character at `fontSize`, rounded up a little (DejaVu Sans Mono's
    /// is 0.602 em, Menlo's 0.602, Consolas' 0.55).
    public static let advance = 7.4
    /// The distance between two lines of text.
    public static let lineHeight = 16.0

    /// The number of character cells the text takes.
    public static func cells(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { count, scalar in count + (isWide(scalar) ? 2 : 1) }
    }

    /// The width of the text at `fontSize` (scaled for another size).
    public static func width(_ text: String, size: Double = fontSize) -> Double {
        Double(cells(text)) * advance * size / fontSize
    }

    /// The text cut to at most `limit` cells, with `…` at the end when it was cut.
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard cells(text) > limit, limit > 1 else { return text }
        var out = ""
        var used = 0
        for scalar in text.unicodeScalars {
            let size = isWide(scalar) ? 2 : 1
            if used + size > limit - 1 { break }
            out.unicodeScalars.append(scalar)
            used += size
        }
        return out + "…"
    }

    /// The text in lines of at most `limit` cells, broken at spaces where it can be, at
    /// most `lines` of them (the last shortened with `…` when the text goes on). Lines
    /// after the first are meant to be indented by two cells (`limit - 2` each).
    public static func wrap(_ text: String, to limit: Int, lines: Int) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let room = out.isEmpty ? limit : limit - 2
            if out.count == lines - 1 || cells(String(rest)) <= room {
                out.append(truncate(String(rest), to: room))
                break
            }
            // The longest prefix that fits, broken after a space when one is in its second half.
            var end = rest.startIndex
            var used = 0
            while end < rest.endIndex {
                let size = rest[end].unicodeScalars.contains(where: isWide) ? 2 : 1
                if used + size > room { break }
                used += size
                end = rest.index(after: end)
            }
            // Not between `!` and the option it negates.
            if let space = rest[..<end].indices.last(where: { rest[$0] == " " && ($0 == rest.startIndex || rest[rest.index(before: $0)] != "!") }),
               rest.distance(from: rest.startIndex, to: space) > room / 2 {
                end = rest.index(after: space)
            }
            out.append(String(rest[..<end]).trimmingSpaces)
            rest = rest[end...]
            while rest.first == " " { rest = rest.dropFirst() }
        }
        return out
    }

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1FAFF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
