/// An interface name as `-i`/`-o` take it; a trailing `+` matches every name with that prefix.
public struct InterfaceName: Sendable, Hashable, CustomStringConvertible {
    public var text: String

    public init(_ text: String) { self.text = text }

    /// The longest name the kernel stores (IFNAMSIZ - 1).
    public static let maximumLength = 15

    public var isWildcard: Bool { text.hasSuffix("+") }

    /// The fixed part: the name without its trailing `+`.
    public var prefix: Substring { isWildcard ? text.dropLast() : Substring(text) }

    /// `+` alone matches every interface, so iptables-save omits it.
    public var matchesEverything: Bool { text == "+" }

    /// Whether a concrete interface name matches, as the kernel compares with its mask.
    public func matches(_ name: String) -> Bool {
        isWildcard ? name.hasPrefix(prefix) : name == text
    }

    public var description: String { text }
}
