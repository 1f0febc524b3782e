/// An IPv6 address as two 64-bit halves, most significant first.
public struct IPv6Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The eight 16-bit groups.
    public var groups: [UInt16] {
        (0..<8).map { index in
            let half = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: half >> (UInt64(3 - index % 4) * 16))
        }
    }

    public init(groups: [UInt16]) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, group) in groups.prefix(8).enumerated() {
            if index < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
        }
        self.init(high: high, low: low)
    }

    /// Parses RFC 4291 text: hex groups, one `::`, optionally a trailing dotted IPv4.
    public init?<Bytes: Collection>(parsing bytes: Bytes) where Bytes.Element == UInt8 {
        let text = Array(bytes)
        if text.isEmpty { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        var index = 0
        if text.starts(with: [0x3A, 0x3A]) {
            sawGap = true
            index = 2
        } else if text[0] == 0x3A {
            return nil
        }
        while index < text.count {
            // Find the end of this group.
            var end = index
            while end < text.count && text[end] != 0x3A { end += 1 }
            let group = text[index..<end]
            if group.contains(0x2E) {
                guard end == text.count, let v4 = IPv4Address(parsing: group),
                      group.split(separator: 0x2E, omittingEmptySubsequences: false).count == 4
                else { return nil }
                let pair = [UInt16(v4.value >> 16), UInt16(v4.value & 0xFFFF)]
                if sawGap { tail += pair } else { head += pair }
                index = end
                break
            }
            guard !group.isEmpty, group.count <= 4 else { return nil }
            var value: UInt16 = 0
            for byte in group {
                guard let digit = IPv6Address.hexValue(byte) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            if sawGap { tail.append(value) } else { head.append(value) }
            if end == text.count { index = end; break }
            // end points at ':'
            if end + 1 < text.count && text[end + 1] == 0x3A {
                if sawGap { return nil }
                sawGap = true
                index = end + 2
            } else {
                if end + 1 == text.count { return nil }
                index = end + 1
            }
        }
        let total = head.count + tail.count
        if sawGap {
            guard total <= 7 else { return nil }
            self.init(groups: head + Array(repeating: 0, count: 8 - total) + tail)
        } else {
            guard total == 8 else { return nil }
            self.init(groups: head)
        }
    }

    public init?(_ text: String) { self.init(parsing: Array(text.utf8)) }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x61...0x66: return byte - 0x61 + 10
        case 0x41...0x46: return byte - 0x41 + 10
        default: return nil
        }
    }

    /// Text as glibc's inet_ntop writes it (the form ip6tables-save prints): the
    /// longest run of two or more zero groups becomes `::`, and `::a.b.c.d` /
    /// `::ffff:a.b.c.d` keep their embedded IPv4 address.
    public var description: String {
        let words = groups
        var bestBase = -1, bestLength = 0, currentBase = -1, currentLength = 0
        for (index, word) in words.enumerated() {
            if word == 0 {
                if currentBase < 0 { currentBase = index; currentLength = 1 } else { currentLength += 1 }
            } else if currentBase >= 0 {
                if currentLength > bestLength { bestBase = currentBase; bestLength = currentLength }
                currentBase = -1
            }
        }
        if currentBase >= 0 && currentLength > bestLength { bestBase = currentBase; bestLength = currentLength }
        if bestLength < 2 { bestBase = -1 }
        var text = ""
        var index = 0
        while index < 8 {
            if bestBase >= 0 && index >= bestBase && index < bestBase + bestLength {
                if index == bestBase { text += ":" }
                index += 1
                continue
            }
            if index != 0 { text += ":" }
            if index == 6 && bestBase == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xFFFF)) {
                let v4 = IPv4Address(UInt32(words[6]) << 16 | UInt32(words[7]))
                text += v4.description
                break
            }
            text += String(words[index], radix: 16)
            index += 1
        }
        if bestBase >= 0 && bestBase + bestLength == 8 { text += ":" }
        return text
    }

    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    public static func mask(prefixLength: Int) -> IPv6Address {
        let length = max(0, min(prefixLength, 128))
        let high: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : UInt64.max << UInt64(64 - length))
        let low: UInt64 = length <= 64 ? 0 : (length == 128 ? .max : UInt64.max << UInt64(128 - length))
        return IPv6Address(high: high, low: low)
    }

    public var prefixLength: Int? {
        let ones = high == .max ? 64 + (~low).leadingZeroBitCount : (~high).leadingZeroBitCount
        return IPv6Address.mask(prefixLength: ones) == self ? ones : nil
    }

    public static func & (lhs: IPv6Address, rhs: IPv6Address) -> IPv6Address {
        IPv6Address(high: lhs.high & rhs.high, low: lhs.low & rhs.low)
    }
}
