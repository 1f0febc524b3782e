// The value parsers of ebtables(8) and its extensions (extensions/libebt_*.c): what each
// accepts, and the message when it does not.

/// The kind of value an ebtables option takes, and its check.
public enum EbtablesValue: Sendable, Hashable {
    /// `-p`: an /etc/ethertypes name, `Length`, or hexadecimal digits (at least 0x0600).
    case etherType
    /// A device name (`eth0`, `veth+`), at most 15 bytes.
    case interface
    /// `MAC[/MASK]` or Unicast, Multicast, Broadcast, BGA.
    case macWithMask
    /// A plain MAC address (the NAT and arpreply targets).
    case mac
    case ipv4Network
    case ipv6Network
    /// An IP protocol name or number.
    case ipProtocol
    /// `PORT[:PORT]`.
    case portRange
    /// A number, read as ebtables does (`0x` hex or decimal) up to a limit.
    case number(max: UInt64)
    /// Hexadecimal digits with or without 0x, up to a limit (`--ip-tos`, `--802_3-sap`).
    case hex(max: UInt64)
    /// `NUMBER[:NUMBER]` up to a limit (the stp ranges).
    case numberRange(max: UInt64)
    /// `[VALUE][/MASK]` (`--mark`).
    case markWithMask
    /// `N[/second|minute|hour|day]`.
    case rate
    /// One word of a list, or a number up to a limit.
    case word([String], orNumberUpTo: UInt64?)
    /// An Ethernet protocol name or hexadecimal number (`--arp-ptype`, `--vlan-encap`).
    case etherTypeAny
    /// `MAC[=IP],...` (`--among-src`).
    case macList
    /// Free text up to a length (`--log-prefix`).
    case text(maxLength: Int)
    /// A chain name or standard verdict (`-j`, `--mark-target`): checked against the table.
    case target

    /// The message for text this kind does not accept; nil when it does.
    public func problem(_ text: String) -> String? {
        switch self {
        case .etherType:
            guard let number = EtherTypes.number(text) else { return "unknown Ethernet protocol '\(text)'" }
            return number < EtherTypes.length
                ? "Ethernet protocol '\(text)': protocols have values above or equal to 0x0600" : nil
        case .interface:
            if text.isEmpty { return "an empty device name" }
            return text.utf8.count > 15 ? "device name '\(text)' is longer than 15 characters" : nil
        case .macWithMask:
            return EbtablesParser.mac(text) == nil ? "invalid MAC address '\(text)'" : nil
        case .mac:
            return MACAddress(parsing: Array(text.utf8)) == nil ? "invalid MAC address '\(text)'" : nil
        case .ipv4Network:
            return Network(parsing: Array(text.utf8), family: .ipv4) == nil ? "invalid IPv4 address '\(text)'" : nil
        case .ipv6Network:
            return Network(parsing: Array(text.utf8), family: .ipv6) == nil ? "invalid IPv6 address '\(text)'" : nil
        case .ipProtocol:
            return IPProtocol.number(for: text) == nil ? "unknown protocol '\(text)'" : nil
        case .portRange:
            return Self.range(text, max: 0xFFFF, decimal: true) == nil ? "invalid port or port range '\(text)'" : nil
        case .number(let max):
            return Self.number(text).map { $0 <= max } == true ? nil : "invalid number '\(text)' (at most \(max))"
        case .hex(let max):
            return Self.hex(text).map { $0 <= max } == true ? nil : "invalid hexadecimal value '\(text)'"
        case .numberRange(let max):
            return Self.range(text, max: max, decimal: false) == nil ? "invalid number or range '\(text)'" : nil
        case .markWithMask:
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            // `/MASK` alone is libebt_mark_m's "any of these bits".
            let valid = parts.enumerated().allSatisfy { index, part in
                (index == 0 && part.isEmpty && parts.count > 1) || Self.number(part).map { $0 <= 0xFFFF_FFFF } == true
            }
            return valid ? nil : "invalid mark '\(text)'"
        case .rate:
            return Self.isRate(text) ? nil : "invalid rate '\(text)' (N/second, N/minute, N/hour or N/day)"
        case .word(let words, let limit):
            if words.contains(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) { return nil }
            if let limit, let value = Self.number(text), value <= limit { return nil }
            return "invalid value '\(text)' (\(words.joined(separator: ", "))\(limit == nil ? "" : " or a number"))"
        case .etherTypeAny:
            return EtherTypes.number(text) == nil ? "unknown Ethernet protocol '\(text)'" : nil
        case .macList:
            let valid = text.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { item in
                let parts = item.trimmingCharacters(in: .whitespaces)
                    .split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard MACAddress(parsing: Array(parts[0].utf8)) != nil else { return false }
                return parts.count == 1 || Network(parsing: Array(parts[1].utf8), family: .ipv4) != nil
            }
            return valid ? nil : "invalid MAC[=IP] list '\(text)'"
        case .text(let maxLength):
            return text.utf8.count > maxLength ? "'\(text)' is longer than \(maxLength) characters" : nil
        case .target:
            return text.isEmpty ? "an empty target" : nil
        }
    }

    /// A number as strtoul with base 0 reads it: `0x` hex, or decimal.
    static func number(_ text: String) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            return text.count > 2 ? UInt64(text.dropFirst(2), radix: 16) : nil
        }
        return UInt64(text)
    }

    static func hex(_ text: String) -> UInt64? {
        let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? text.dropFirst(2) : Substring(text)
        return digits.isEmpty ? nil : UInt64(digits, radix: 16)
    }

    /// `LOW[:HIGH]` with LOW at most HIGH.
    static func range(_ text: String, max: UInt64, decimal: Bool) -> (UInt64, UInt64)? {
        let ends = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let read: (String) -> UInt64? = decimal ? { UInt64($0) } : { number($0) }
        guard let low = read(ends[0]), let high = ends.count > 1 ? read(ends[1]) : low, low <= high, high <= max else {
            return nil
        }
        return (low, high)
    }

    static func isRate(_ text: String) -> Bool {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let count = UInt32(parts[0]), count > 0 else { return false }
        guard parts.count > 1 else { return true }
        let unit = parts[1].lowercased()
        return !unit.isEmpty && ["second", "minute", "hour", "day"].contains { $0.hasPrefix(unit) }
    }
}
