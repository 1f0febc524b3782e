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

    public func contains(_ port: UInt16) -> Bool { first <= port && port <= last }

    /// Save form: `80` or `1024:65535`.
    public var description: String { first == last ? "\(first)" : "\(first):\(last)" }
}
