/// An address of either family.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    public var family: Family {
        switch self {
        case .v4: return .ipv4
        case .v6: return .ipv6
        }
    }

    /// Parses an address of the given family.
    public init?<Bytes: Collection>(parsing bytes: Bytes, family: Family) where Bytes.Element == UInt8 {
        switch family {
        case .ipv4:
            guard let address = IPv4Address(parsing: bytes) else { return nil }
            self = .v4(address)
        case .ipv6:
            guard let address = IPv6Address(parsing: bytes) else { return nil }
            self = .v6(address)
        }
    }

    public var description: String {
        switch self {
        case .v4(let address): return address.description
        case .v6(let address): return address.description
        }
    }
}

/// An address with a mask, as `-s`/`-d` take it: `10.0.0.0/8`, `10.0.12.0/255.0.255.0`,
/// `fe80::/10`. The address is stored already masked, as the kernel keeps it.
public struct Network: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var mask: IPAddress

    public init(address: IPAddress, mask: IPAddress) {
        switch (address, mask) {
        case (.v4(let a), .v4(let m)):
            self.address = .v4(IPv4Address(a.value & m.value))
        case (.v6(let a), .v6(let m)):
            self.address = .v6(a & m)
        default:
            self.address = address
        }
        self.mask = mask
    }

    /// The whole address space of a family (`0.0.0.0/0`).
    public static func any(_ family: Family) -> Network {
        family == .ipv4
            ? Network(address: .v4(IPv4Address(0)), mask: .v4(IPv4Address(0)))
            : Network(address: .v6(IPv6Address(high: 0, low: 0)), mask: .v6(IPv6Address(high: 0, low: 0)))
    }

    /// Parses `ADDR`, `ADDR/LEN` or `ADDR/MASK`; a bare address gets a full mask.
    public init?<Bytes: Collection>(parsing bytes: Bytes, family: Family) where Bytes.Element == UInt8, Bytes.Index == Int {
        let slash = bytes.firstIndex(of: 0x2F)
        let addressBytes = slash.map { bytes[bytes.startIndex..<$0] } ?? bytes[...]
        guard let address = IPAddress(parsing: addressBytes, family: family) else { return nil }
        let maxLength = family == .ipv4 ? 32 : 128
        var mask: IPAddress
        if let slash {
            let maskBytes = bytes[(slash + 1)...]
            if !maskBytes.isEmpty, maskBytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), maskBytes.count <= 3 {
                let length = maskBytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                guard length <= maxLength else { return nil }
                mask = family == .ipv4 ? .v4(.mask(prefixLength: length)) : .v6(.mask(prefixLength: length))
            } else if let parsed = IPAddress(parsing: maskBytes, family: family) {
                mask = parsed
            } else {
                return nil
            }
        } else {
            mask = family == .ipv4 ? .v4(.mask(prefixLength: 32)) : .v6(.mask(prefixLength: 128))
        }
        self.init(address: address, mask: mask)
    }

    /// The prefix length when the mask is contiguous.
    public var prefixLength: Int? {
        switch mask {
        case .v4(let m): return m.prefixLength
        case .v6(let m): return m.prefixLength
        }
    }

    /// Whether this network covers every address (mask zero).
    public var isAny: Bool { prefixLength == 0 }

    /// The form iptables-save 1.3 and older printed: the bare address for a host,
    /// `addr/dotted-mask` otherwise.
    public var legacyDescription: String {
        let full = address.family == .ipv4 ? 32 : 128
        if prefixLength == full { return address.description }
        if case .v4 = mask { return "\(address)/\(mask)" }
        return description
    }

    /// The save form: `addr/len` for a contiguous mask, `addr/mask` otherwise.
    public var description: String {
        if let length = prefixLength { return "\(address)/\(length)" }
        return "\(address)/\(mask)"
    }
}

extension IPAddress {
    /// fe80::/10 (IPv6 link-local, never a NAT source) or 169.254.0.0/16.
    public var isLinkLocal: Bool {
        switch self {
        case .v4(let address): return address.value >> 16 == 0xA9FE
        case .v6(let address): return address.high >> 54 == 0x3FA
        }
    }
}

extension Network {
    /// NETMAP's one-to-one mapping: the address's host part under this network's prefix,
    /// `(address & ~mask) | network`; nil for an address of the other family.
    public func mapping(_ candidate: IPAddress) -> IPAddress? {
        switch (address, mask, candidate) {
        case (.v4(let network), .v4(let mask), .v4(let value)):
            return .v4(IPv4Address(value.value & ~mask.value | network.value))
        case (.v6(let network), .v6(let mask), .v6(let value)):
            return .v6(IPv6Address(high: value.high & ~mask.high | network.high, low: value.low & ~mask.low | network.low))
        default:
            return nil
        }
    }
}
