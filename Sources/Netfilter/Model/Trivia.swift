/// A `#` comment line of a dump, kept so that printing gives the file back.
public struct Comment: Sendable, Hashable {
    /// The whole line, `#` included, without its line ending.
    public var text: String
    public var line: Int32

    public init(text: String, line: Int) {
        self.text = text
        self.line = Int32(truncatingIfNeeded: line)
    }
}
