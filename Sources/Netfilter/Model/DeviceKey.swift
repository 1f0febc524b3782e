// net/ipv4/netfilter/ip_tables.c (ip_packet_match), include/linux/netfilter/x_tables.h
// (ifname_compare_aligned): device names compared as IFNAMSIZ bytes under a mask.

/// A device name as the kernel compares it: its first 16 bytes (IFNAMSIZ), zero-padded,
/// in two words. A rule's `eth+` becomes the bytes `eth` with a mask over those three
/// bytes; an exact name masks all 16 bytes, so the trailing zeros must match too.
struct DeviceKey: Sendable, Hashable {
    var low: UInt64
    var high: UInt64

    init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// The name's bytes, cut at 16 (longer names never reach the kernel).
    init<Name: StringProtocol>(_ name: Name) {
        var low: UInt64 = 0, high: UInt64 = 0
        for (offset, byte) in name.utf8.prefix(16).enumerated() {
            if offset < 8 { low |= UInt64(byte) << (8 * offset) } else { high |= UInt64(byte) << (8 * (offset - 8)) }
        }
        self.low = low
        self.high = high
    }

    /// The mask of the first `count` bytes.
    static func mask(bytes count: Int) -> DeviceKey {
        func word(_ bytes: Int) -> UInt64 { bytes >= 8 ? .max : bytes <= 0 ? 0 : (UInt64(1) << (8 * bytes)) - 1 }
        return DeviceKey(low: word(count), high: word(count - 8))
    }

    func masked(by mask: DeviceKey) -> DeviceKey { DeviceKey(low: low & mask.low, high: high & mask.high) }
}
