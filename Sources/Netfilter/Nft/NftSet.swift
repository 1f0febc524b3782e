/// A named set or map of a table: its properties in the order listed, its elements among them.
public struct NftSet: Sendable, Hashable {
    /// Whether it is a map (`map NAME { ... }`) rather than a set.
    public var isMap: Bool
    public var name: String
    public var properties: [NftSetProperty]
    public var location: SourceLocation

    public init(isMap: Bool, name: String, properties: [NftSetProperty], location: SourceLocation = .unknown) {
        self.isMap = isMap
        self.name = name
        self.properties = properties
        self.location = location
    }

    /// The elements (empty when the set lists none).
    public var elements: [NftSetElement] {
        for property in properties { if case .elements(let elements) = property { return elements } }
        return []
    }

    /// The set's flags (`interval`, `timeout`, `constant`, `dynamic`, ...).
    public var flags: [String] {
        for property in properties { if case .flags(let flags) = property { return flags } }
        return []
    }

    /// The chains a verdict map's elements jump or go to, in order.
    public var verdictTargets: [String] {
        elements.compactMap { element in
            if case .verdict(let verdict)? = element.value { verdict.chain } else { nil }
        }
    }

    /// Whether the rules change what it holds as packets come (`flags dynamic` or `timeout`):
    /// its elements are state.
    public var isStateful: Bool { flags.contains("dynamic") || flags.contains("timeout") }

    /// Whether a map's values are verdicts (`type ... : verdict`, `typeof ... : verdict`), a
    /// verdict map.
    public var isVerdictMap: Bool {
        properties.contains { property in
            switch property {
            case .type(_, let data, _): return data == ["verdict"]
            case .typeOf(_, let data?): return NftPrinter.text(data) == "verdict"
            default: return false
            }
        }
    }
}

/// A line of a set or map block.
public enum NftSetProperty: Sendable, Hashable {
    /// `type ipv4_addr . inet_service [: verdict]`: the key's data types and the map's (empty for
    /// a set); `intervalData` for a map whose values are ranges (`: interval ipv4_addr`).
    case type(key: [String], data: [String], intervalData: Bool)
    /// `typeof ip saddr [: ...]`: the key and data as expressions.
    case typeOf(key: NftExpression, data: NftExpression?)
    /// `flags interval,timeout`.
    case flags([String])
    /// `elements = { ... }`.
    case elements([NftSetElement])
    /// Any other line (`timeout 1h`, `size 65535`, `policy memory`, `counter`, `comment "..."`,
    /// `auto-merge`, `gc-interval ...`), as written without its indentation.
    case other(String)
}

/// One element of a set or map (named or anonymous): its key, a map's value, and whether nft
/// broke the line before it (it lists long sets of addresses two by two, one per line).
public struct NftSetElement: Sendable, Hashable {
    public var key: NftExpression
    /// A map element's value: an expression or, in a verdict map, a verdict.
    public var value: NftExpression?
    /// What follows the key (`timeout 1h`, `expires 59m`, `counter packets 0 bytes 0`,
    /// `comment "..."`), its words.
    public var options: [String]
    /// Whether the element starts a new line (`,\n\t\t\t     ` before it).
    public var startsLine: Bool

    public init(key: NftExpression, value: NftExpression? = nil, options: [String] = [], startsLine: Bool = false) {
        self.key = key
        self.value = value
        self.options = options
        self.startsLine = startsLine
    }
}
