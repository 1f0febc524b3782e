/// Packet and byte counters, as `[packets:bytes]` in a dump saved with `-c`.
public struct Counters: Sendable, Hashable {
    public var packets: UInt64
    public var bytes: UInt64

    public init(packets: UInt64, bytes: UInt64) {
        self.packets = packets
        self.bytes = bytes
    }

    public static let zero = Counters(packets: 0, bytes: 0)
}
