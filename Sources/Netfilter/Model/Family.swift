/// The address family a dump belongs to: `iptables-save` (IPv4) or `ip6tables-save` (IPv6).
public enum Family: String, Sendable, Hashable, CaseIterable {
    case ipv4
    case ipv6

    /// The name of the save tool that writes dumps of this family.
    public var saveToolName: String { self == .ipv4 ? "iptables-save" : "ip6tables-save" }
}

/// A set of families, used by extensions that exist for one family only (icmp vs icmp6).
public struct FamilySet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let ipv4 = FamilySet(rawValue: 1)
    public static let ipv6 = FamilySet(rawValue: 2)
    public static let both: FamilySet = [.ipv4, .ipv6]

    public func contains(_ family: Family) -> Bool {
        let member: FamilySet = family == .ipv4 ? .ipv4 : .ipv6
        return rawValue & member.rawValue != 0
    }
}
