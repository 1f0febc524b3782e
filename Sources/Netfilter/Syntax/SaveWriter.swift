/// Builds save-format text: words separated by single spaces, strings quoted as
/// `xtables_save_string` quotes them.
public struct SaveWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// The iptables-save version whose spelling to follow.
    public var style: SaveStyle

    public init(style: SaveStyle = .current) { self.style = style }

    /// Appends raw text with no separator.
    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Appends a space and a word.
    public mutating func word(_ text: String) {
        bytes.append(0x20)
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends a name (an interface, a set or list name) as iptables-save prints it, but quoted
    /// when a blank or a quote in it would not read back as one word (iptables loads such a
    /// name with a warning, and its own save would not restore).
    public mutating func name(_ text: String) {
        if text.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x22 }) {
            string(text, forceQuotes: true)
        } else {
            word(text)
        }
    }

    /// Appends `--name` (with `! ` first when negated).
    public mutating func option(_ name: String, negated: Bool = false) {
        if negated { word("!") }
        word("--" + name)
    }

    /// Appends a string argument, quoted when it holds anything but `[A-Za-z0-9_-]`
    /// (or when the dump quoted it), with `"`, `\` and `'` escaped inside quotes.
    public mutating func string(_ text: String, forceQuotes: Bool = false) {
        let plain = !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D
        }
        bytes.append(0x20)
        if plain && !forceQuotes {
            bytes.append(contentsOf: text.utf8)
            return
        }
        bytes.append(0x22)
        for byte in text.utf8 {
            if byte == 0x22 || byte == 0x5C || byte == 0x27 { bytes.append(0x5C) }
            bytes.append(byte)
        }
        bytes.append(0x22)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
