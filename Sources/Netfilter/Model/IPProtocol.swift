/// IP protocol numbers and the names iptables prints for them (`-p tcp`).
public enum IPProtocol {
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
    public static let icmp: UInt8 = 1
    public static let icmpv6: UInt8 = 58
    public static let sctp: UInt8 = 132
    public static let dccp: UInt8 = 33
    public static let udplite: UInt8 = 136
    public static let esp: UInt8 = 50
    public static let ah: UInt8 = 51
    public static let gre: UInt8 = 47
    public static let mh: UInt8 = 135

    /// iptables' own table (xtables_chain_protos), checked first, then the
    /// common /etc/protocols names that iptables-save prints through getprotobynumber.
    static let names: [(String, UInt8)] = [
        ("tcp", 6), ("sctp", 132), ("udp", 17), ("udplite", 136), ("icmp", 1),
        ("icmpv6", 58), ("ipv6-icmp", 58), ("esp", 50), ("ah", 51), ("ipv6-mh", 135), ("mh", 135), ("mobility-header", 135),
        ("all", 0), ("dccp", 33),
        ("ip", 0), ("hopopt", 0), ("igmp", 2), ("ggp", 3), ("ipencap", 4), ("st", 5), ("egp", 8),
        ("igp", 9), ("pup", 12), ("hmp", 20), ("xns-idp", 22), ("rdp", 27), ("iso-tp4", 29),
        ("xtp", 36), ("ddp", 37), ("idpr-cmtp", 38), ("ipv6", 41), ("ipv6-route", 43),
        ("ipv6-frag", 44), ("idrp", 45), ("rsvp", 46), ("gre", 47), ("skip", 57),
        ("ipv6-nonxt", 59), ("ipv6-opts", 60), ("rspf", 73), ("vmtp", 81), ("eigrp", 88),
        ("ospf", 89), ("ax.25", 93), ("ipip", 94), ("etherip", 97), ("encap", 98), ("pim", 103),
        ("ipcomp", 108), ("vrrp", 112), ("l2tp", 115), ("isis", 124), ("fc", 133),
        ("mpls-in-ip", 137), ("manet", 138), ("hip", 139), ("shim6", 140), ("wesp", 141),
        ("rohc", 142), ("ethernet", 143),
    ]

    private static let numbersByName: [String: UInt8] = {
        var table: [String: UInt8] = [:]
        for (name, number) in names where table[name] == nil { table[name] = number }
        return table
    }()

    /// The number for a protocol name (case-insensitive) or decimal text.
    public static func number(for text: String) -> UInt8? {
        if let value = numbersByName[text] { return value }
        if let value = UInt8(text) { return value }
        return numbersByName[text.lowercased()]
    }

    /// The name iptables-save prints for a protocol number, or nil to print the number.
    public static func saveName(for number: UInt8, family: Family) -> String? {
        switch number {
        case 0: return "all"
        case 58: return family == .ipv6 ? "ipv6-icmp" : "icmpv6"
        case 135: return "mobility-header"
        default: break
        }
        return names.first { $0.1 == number }?.0
    }
}
