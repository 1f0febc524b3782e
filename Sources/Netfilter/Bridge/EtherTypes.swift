// /etc/ethertypes as netbase ships it, which ebtables reads for `-p NAME` (names are matched
// case-insensitively, xtables_getethertypebyname) and prints with (the first name of a number).

/// The Ethernet protocol names ebtables knows.
public enum EtherTypes {
    /// Each protocol's number and names, the printed one first.
    static let table: [(number: UInt16, names: [String])] = [
        (0x0800, ["IPv4", "ip", "ip4"]), (0x0805, ["X25"]), (0x0806, ["ARP", "ether-arp"]), (0x0808, ["FR_ARP"]),
        (0x08FF, ["BPQ"]), (0x22F3, ["TRILL"]), (0x22F4, ["L2-IS-IS"]), (0x6558, ["TEB"]), (0x6559, ["RAW_FR"]),
        (0x8035, ["RARP"]), (0x809B, ["ATALK"]), (0x80F3, ["AARP"]),
        (0x8100, ["802_1Q", "8021q", "1q", "802.1q", "dot1q"]), (0x8137, ["IPX"]), (0x8191, ["NetBEUI"]),
        (0x86DD, ["IPv6", "ip6"]), (0x880B, ["PPP"]), (0x8847, ["MPLS"]), (0x8848, ["MPLS_MULTI"]),
        (0x884C, ["ATMMPOA"]), (0x8863, ["PPP_DISC"]), (0x8864, ["PPP_SES"]), (0x8884, ["ATMFATE"]),
        (0x888E, ["EAPOL"]), (0x88A8, ["S-TAG"]), (0x88C7, ["EAP_PREAUTH"]), (0x88CC, ["LLDP"]),
        (0x88E5, ["MACSEC"]), (0x88E7, ["PBB", "macinmac"]), (0x88F5, ["MVRP"]), (0x88F7, ["PTP"]),
        (0x8906, ["FCOE"]), (0x8914, ["FIP"]), (0x8915, ["ROCE"]), (0xA0ED, ["LoWPAN"]),
    ]

    /// `-p Length`: 802.3 frames, whose type field is a length (below 0x0600).
    public static let length: UInt16 = 0x0600

    private static let byName: [String: UInt16] = {
        var names: [String: UInt16] = ["length": length]
        for entry in table {
            for name in entry.names { names[name.lowercased()] = entry.number }
        }
        return names
    }()

    /// The number of `-p` text: a name, or hexadecimal digits with or without 0x (ebtables
    /// reads `-p 0800` as 0x0800); nil when it is neither.
    public static func number(_ text: String) -> UInt16? {
        if let number = byName[text.lowercased()] { return number }
        let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? text.dropFirst(2) : Substring(text)
        guard !digits.isEmpty, digits.count <= 4 else { return nil }
        return UInt16(digits, radix: 16)
    }

    /// Whether text is a protocol's name as ebtables prints it (case and all: `IPv4`, `ARP`, `Length`).
    public static func isPrintedName(_ text: String) -> Bool {
        text == "Length" || text == "LENGTH" || table.contains { $0.names[0] == text }
    }
}

extension EtherTypes {
    /// How ebtables prints a protocol number: its first name, `Length`, or 0x and hex digits.
    public static func printed(_ number: UInt16) -> String {
        if number == length { return "Length" }
        return table.first { $0.number == number }?.names[0] ?? "0x" + String(number, radix: 16)
    }
}
