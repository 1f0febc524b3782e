/// XML text helpers shared by the XML renderings (JUnit, SVG).
public enum XMLText {
    /// Text for an attribute or element: `&`, `<`, `>` and both quotes escaped; in an
    /// attribute also line ends and tabs (XML would fold them to spaces), a CR always;
    /// characters XML 1.0 forbids (other control characters, U+FFFE, U+FFFF, and the C1
    /// controls) replaced by U+FFFD, so the document stays well-formed and says that
    /// something was there.
    public static func escape(_ text: String, inAttribute: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += inAttribute ? "&#10;" : "\n"
            case "\t": out += inAttribute ? "&#9;" : "\t"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
