/// An IPv4 address, stored in host byte order.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text as iptables does: one to four decimal parts, missing
    /// trailing parts are zero (`10/8` is `10.0.0.0/8`).
    public init?<Bytes: Collection>(parsing bytes: Bytes) where Bytes.Element == UInt8 {
        var parts: UInt32 = 0
        var result: UInt32 = 0
        var current: UInt32 = 0
        var digits = 0
        for byte in bytes {
            if byte >= 0x30 && byte <= 0x39 {
                current = current * 10 + UInt32(byte - 0x30)
                digits += 1
                if current > 255 || digits > 3 { return nil }
            } else if byte == 0x2E {
                if digits == 0 || parts == 3 { return nil }
                result = result << 8 | current
                parts += 1
                current = 0
                digits = 0
            } else {
                return nil
            }
        }
        if digits == 0 { return nil }
        result = result << 8 | current
        parts += 1
        value = result << (8 * (4 - parts))
    }

    public init?(_ text: String) { self.init(parsing: Array(text.utf8)) }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    /// The mask of a prefix length, e.g. 24 → 255.255.255.0.
    public static func mask(prefixLength: Int) -> IPv4Address {
        prefixLength <= 0 ? IPv4Address(0) : IPv4Address(UInt32.max << (32 - UInt32(min(prefixLength, 32))))
    }

    /// The prefix length when this is a contiguous mask, otherwise nil.
    public var prefixLength: Int? {
        let ones = value.leadingZeroBitCount == 0 ? (~value).leadingZeroBitCount : 0
        return IPv4Address.mask(prefixLength: ones) == self ? ones : nil
    }
}
