/// A value together with the `!` that may precede its option.
public struct Negatable<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var negated: Bool

    public init(_ value: Value, negated: Bool = false) {
        self.value = value
        self.negated = negated
    }
}
