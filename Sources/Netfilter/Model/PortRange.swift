/// An inclusive range of ports; a single port has `first == last`.
public struct PortRange: Sendable, Hashable, CustomStringConvertible {
    public var first: UInt16
    public var last: UInt16

    public init(_ first: UInt16, _ last: UInt16) {
        self.first = first
        self.last = last
    }

    public init(_ port: UInt16) { self.init(port, port) }

    public static let all = PortRange(0, 65535)

    /// A decimal port number read from bytes as `UInt16(String)` reads it (an optional `+`,
    /// then digits), without making a `String`.
    public static func number(_ bytes: ArraySlice<UInt8>) -> UInt16? {
        var digits = bytes
        if digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var value: UInt32 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt32(byte - UInt8(ascii: "0"))
            if value > UInt32(UInt16.max) { return nil }
        }
        return UInt16(value)
    }

    public func contains(_ port: UInt16) -> Bool { first <= port && port <= last }

    /// Save form: `80` or `1024:65535`.
    public var description: String { first == last ? "\(first)" : "\(first):\(last)" }
}
