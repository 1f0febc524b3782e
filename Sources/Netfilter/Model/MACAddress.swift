/// A 48-bit Ethernet address.
public struct MACAddress: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value & 0xFFFF_FFFF_FFFF }

    /// Parses six colon-separated hex bytes (`00:50:BF:6A:D3:F9`), as xtables does.
    public init?<Bytes: Collection>(parsing bytes: Bytes) where Bytes.Element == UInt8 {
        let parts = bytes.split(separator: 0x3A, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var result: UInt64 = 0
        for part in parts {
            guard (1...2).contains(part.count) else { return nil }
            var byte: UInt64 = 0
            for character in part {
                guard let digit = IPv6Address.hexValue(character) else { return nil }
                byte = byte << 4 | UInt64(digit)
            }
            result = result << 8 | byte
        }
        value = result
    }

    /// Upper-case hex, the form libxt_mac prints.
    public var description: String {
        (0..<6).map { index in
            let byte = UInt8(truncatingIfNeeded: value >> UInt64((5 - index) * 8))
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
