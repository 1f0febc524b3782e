/// An nftables chain: a base chain (with `type ... hook ... priority ...;`) or a regular one,
/// its comment and its rules.
public struct NftChain: Sendable, Hashable {
    public var name: String
    /// The hook attachment of a base chain; nil for a regular chain.
    public var base: NftBaseChain?
    /// The chain's `comment "..."`, its text without quotes.
    public var comment: String?
    public var rules: [NftRule]
    public var location: SourceLocation

    public init(name: String, base: NftBaseChain? = nil, comment: String? = nil, rules: [NftRule] = [],
                location: SourceLocation = .unknown) {
        self.name = name
        self.base = base
        self.comment = comment
        self.rules = rules
        self.location = location
    }
}

/// A base chain's line: `type filter hook input [device "lo"] priority filter; policy accept;`.
public struct NftBaseChain: Sendable, Hashable {
    /// `filter`, `nat` or `route`.
    public var type: String
    /// `prerouting`, `input`, `forward`, `output`, `postrouting`, `ingress`, `egress`.
    public var hook: String
    /// The device of a netdev chain, as written (quoted).
    public var device: String?
    /// The devices of a netdev chain on several (`devices = { eth0, eth1 }`), as written.
    public var devices: [String]?
    public var priority: NftPriority
    /// `accept` or `drop`; nil when the line has no policy.
    public var policy: String?

    public init(type: String, hook: String, device: String? = nil, devices: [String]? = nil, priority: NftPriority,
                policy: String?) {
        self.type = type
        self.hook = hook
        self.device = device
        self.devices = devices
        self.priority = priority
        self.policy = policy
    }
}

/// A chain priority: a number, a standard name (`filter`, `dstnat`, `raw`, ...) or a name
/// with an offset (`filter + 10`, `mangle - 5`).
public enum NftPriority: Sendable, Hashable, CustomStringConvertible {
    case number(Int)
    case named(String, offset: Int)

    /// The priority as nft prints it.
    public var description: String {
        switch self {
        case .number(let value): String(value)
        case .named(let name, let offset):
            offset == 0 ? name : offset > 0 ? "\(name) + \(offset)" : "\(name) - \(-offset)"
        }
    }

    /// The standard priority names and their values (for every family but bridge).
    public static let standard: [String: Int] = [
        "raw": -300, "mangle": -150, "dstnat": -100, "filter": 0, "security": 50, "srcnat": 100,
    ]

    /// The bridge family's priority names and their values.
    public static let bridgeStandard: [String: Int] = ["dstnat": -300, "filter": -200, "out": 100, "srcnat": 300]

    /// The number the priority stands for in a table of the given family, nil for an unknown name.
    public func value(in family: NftFamily) -> Int? {
        switch self {
        case .number(let value): return value
        case .named(let name, let offset):
            let names = family == .bridge ? Self.bridgeStandard : Self.standard
            return names[name].map { $0 + offset }
        }
    }
}

/// One rule: its statements in order (matches, then what it does), the text of every one kept.
public struct NftRule: Sendable, Hashable {
    public var statements: [NftStatement]
    public var location: SourceLocation

    public init(statements: [NftStatement], location: SourceLocation = .unknown) {
        self.statements = statements
        self.location = location
    }

    /// The rule's comment (`comment "..."` at its end), without quotes.
    public var comment: String? {
        for statement in statements { if case .comment(let text) = statement { return text } }
        return nil
    }
}
