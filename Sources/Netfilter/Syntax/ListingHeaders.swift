/// The lines that say which table a listing shows: the command that printed it, as the
/// seed document and shell sessions keep it (`# iptables -nL --line-numbers -v -t nat`,
/// `$ sudo ip6tables -vL -n -t raw`; no `-t` is the filter table), or a comment naming the
/// table (`# table: nat`).
enum ListingHeaders {
    /// The table a header line names and the 1-based column of the name (of the command
    /// when the table is implied); nil when the line is no header.
    static func table(in line: String) -> (name: String, column: Int)? {
        let words = splitWords(line)
        // The command comes first, after nothing but a comment sign or a shell prompt
        // (`#`, `$`, `[user@host ~]$`, `root@host:~#`) and sudo: a sentence that mentions
        // iptables is no header.
        if let command = words.firstIndex(where: { isListingTool($0.text) }),
           words[..<command].allSatisfy({ isPromptWord($0.text) }) {
            var listing = false
            var table: (String, Int)?
            var index = command + 1
            while index < words.count {
                let word = words[index].text
                index += 1
                if word == "--list" || word.hasPrefix("--list=") { listing = true; continue }
                if word == "--table" || word.hasPrefix("--table=") {
                    if let equals = word.firstIndex(of: "=") {
                        table = (String(word[word.index(after: equals)...]), words[index - 1].column + 8)
                    } else if index < words.count {
                        table = (words[index].text, words[index].column)
                        index += 1
                    }
                    continue
                }
                guard word.hasPrefix("-"), !word.hasPrefix("--"), word.count > 1 else { continue }
                let letters = Array(word.dropFirst())
                for (position, letter) in letters.enumerated() {
                    if letter == "L" { listing = true }
                    if letter == "t" {
                        let attached = String(letters[(position + 1)...])
                        if !attached.isEmpty {
                            table = (attached, words[index - 1].column + position + 2)
                        } else if index < words.count {
                            table = (words[index].text, words[index].column)
                            index += 1
                        }
                        break
                    }
                }
            }
            guard listing else { return nil }
            return table ?? ("filter", words[command].column)
        }
        // `# table: nat` (also `# --- table: nat ---`): a known table name only.
        guard line.trimmingBlanks.hasPrefix("#") else { return nil }
        for (index, word) in words.enumerated() where word.text == "table:" && index + 1 < words.count {
            let name = words[index + 1].text
            if TableKind(rawValue: name) != nil { return (name, words[index + 1].column) }
        }
        return nil
    }

    /// What may stand before the command on its line: comment and prompt signs, a
    /// prompt's `user@host` and directory, sudo.
    static func isPromptWord(_ word: String) -> Bool {
        ["#", "$", "%", ">", "sudo"].contains(word) || word.contains("@") || word.hasPrefix("[")
            || word.hasSuffix("$") || word.hasSuffix("#") || word.hasSuffix(">")
    }

    /// iptables, ip6tables and their -legacy / -nft variants, also by path.
    static func isListingTool(_ word: String) -> Bool {
        let name = word.split(separator: "/").last.map(String.init) ?? word
        return ["iptables", "ip6tables", "iptables-legacy", "ip6tables-legacy", "iptables-nft", "ip6tables-nft"].contains(name)
    }

    /// Whether the header lines of a listing say it is ip6tables'.
    static func namesIPv6Tool(_ line: String) -> Bool {
        splitWords(line).contains { word in
            let name = word.text.split(separator: "/").last.map(String.init) ?? word.text
            return name.hasPrefix("ip6tables")
        }
    }

    static func splitWords(_ line: String) -> [(text: String, column: Int)] {
        var words: [(String, Int)] = []
        var current: [UInt8] = []
        var start = 0
        for (offset, byte) in line.utf8.enumerated() {
            if byte == 0x20 || byte == 0x09 {
                if !current.isEmpty { words.append((String(decoding: current, as: UTF8.self), start + 1)) }
                current = []
            } else {
                if current.isEmpty { start = offset }
                current.append(byte)
            }
        }
        if !current.isEmpty { words.append((String(decoding: current, as: UTF8.self), start + 1)) }
        return words
    }
}
