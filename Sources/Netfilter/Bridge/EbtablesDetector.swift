// What tells ebtables text from iptables text. The listing is plain: `Bridge table:` and
// `Bridge chain:` lines. The save forms share `*filter`, `*nat`, `:INPUT ACCEPT` and
// `-A CHAIN`; ebtables-save never prints counters on a chain line or `-m`, iptables-save
// always prints the former, so those decide for iptables wherever they are. Signs of
// ebtables: a `*broute` table, a user chain's `:bar RETURN` policy, `-j CONTINUE`, an
// ebtables-only option (--ip-src, --among-src, --logical-in, --arp-op, --log-ip, ...), an
// Ethernet protocol name after -p (IPv4, ARP; iptables' -p takes tcp, udp, ...), a MAC
// address or Broadcast/Multicast after -s or -d; and, weakest, tables and `:CHAIN POLICY`
// lines with no COMMIT anywhere (iptables-restore needs COMMIT, ebtables-save writes none).
// An IP address after -s or -d, an IP protocol after -p, --dport or --sport decide for iptables.

/// Tells ebtables text (save or listing) from iptables text by its content.
public enum EbtablesDetector {
    /// A note for text read as ebtables-save only because it has no COMMIT (nil otherwise):
    /// an iptables-save file cut short reads that way too.
    public static func guessNote(_ bytes: [UInt8]) -> Diagnostic? {
        guard detection(bytes).guessed else { return nil }
        return Diagnostic(.note, "read as ebtables-save text: it has tables and chains but no COMMIT, which "
                          + "iptables-restore needs (if this is iptables text, its COMMIT lines are missing)",
                          at: SourceLocation(line: 1, column: 1))
    }

    /// The options only ebtables has (any spelling in its tables that iptables does not use).
    static let ebtablesOnly: Set<String> = {
        let shared: Set<String> = ["-p", "--protocol", "--proto", "-i", "--in-interface", "-o", "--out-interface",
                                   "-s", "--source", "--src", "-d", "--destination", "--dst", "-j", "--jump", "-c",
                                   "--set-counters", "--mark", "--limit", "--limit-burst", "--log-prefix",
                                   "--log-level", "--nflog-group", "--nflog-prefix", "--nflog-range",
                                   "--nflog-threshold", "--set-mark", "--to-destination", "--to-source"]
        return Set(EbtablesModule.all.flatMap { $0.options.flatMap(\.names) }).subtracting(shared)
    }()

    /// The ebtables format of the text, nil when it is not ebtables text.
    public static func detect(_ bytes: [UInt8]) -> RulesInput.Format? { detection(bytes).format }

    /// The ebtables format of the text, and whether only the weakest sign made it
    /// ebtables-save text: tables and chains without COMMIT, and nothing else.
    static func detection(_ bytes: [UInt8]) -> (format: RulesInput.Format?, guessed: Bool) {
        var ebtables = false
        var (tables, chains, commit) = (false, false, false)
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = String(decoding: bytes[start..<end], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            start = end + 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line == "COMMIT" { commit = true }
            if line.hasPrefix("*") { tables = true }
            if line.hasPrefix(":") { chains = true }
            if line.hasPrefix("Bridge table: ") || line.hasPrefix("Bridge chain: ") { return (.ebtablesListing, false) }
            switch sign(of: line) {
            case .iptables?: return (nil, false)
            case .ebtables?: ebtables = true
            case nil: break
            }
        }
        if ebtables { return (.ebtablesSave, false) }
        return tables && chains && !commit ? (.ebtablesSave, true) : (nil, false)
    }

    enum Sign { case iptables, ebtables }

    /// What one line of save text says of its dialect.
    static func sign(of line: String) -> Sign? {
        // An `iptables -L` chain header: a listing's first lines decide it, not its whole text.
        if line.hasPrefix("Chain "), line.contains(" (policy ") || line.contains(" reference") { return .iptables }
        if line.hasPrefix("*") {
            let name = line.dropFirst()
            if name == "broute" { return .ebtables }
            return ["mangle", "raw", "security"].contains(name) ? .iptables : nil
        }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if line.hasPrefix(":") {
            if words.count > 2, words[2].hasPrefix("[") { return .iptables }
            if words.count == 2, words[1] == "-" { return .iptables }
            return words.count == 2 && words[1] == "RETURN" ? .ebtables : nil
        }
        guard words.contains("-A") || words.first?.hasPrefix("-") == true else { return nil }
        var found: Sign?
        for (index, word) in words.enumerated() {
            if ["-m", "--match", "-g", "--goto", "--dport", "--sport"].contains(word) { return .iptables }
            if ebtablesOnly.contains(word) { found = .ebtables }
            guard index + 1 < words.count else { continue }
            let value = words[index + 1]
            if word == "-j", value == "CONTINUE" { found = .ebtables }
            if ["-s", "-d"].contains(word), Network(parsing: Array(value.utf8), family: .ipv4) != nil
                || Network(parsing: Array(value.utf8), family: .ipv6) != nil {
                return .iptables
            }
            if word == "-p", !EtherTypes.isPrintedName(value), IPProtocol.number(for: value) != nil { return .iptables }
            if word == "-p" || word == "--protocol", EtherTypes.isPrintedName(value)
                || value.hasPrefix("0x") && (EtherTypes.number(value) ?? 0) >= EtherTypes.length {
                found = .ebtables
            }
            let macOptions = ["-s", "-d", "--source", "--destination", "--src", "--dst"]
            if macOptions.contains(word), EbtablesParser.mac(value) != nil {
                found = .ebtables
            }
        }
        return found
    }
}
