/// One statement of a rule: a match, a verdict, or an action.
public indirect enum NftStatement: Sendable, Hashable {
    /// An expression statement: a relation the packet must satisfy.
    case match(NftRelation)
    /// `accept`, `drop`, `continue`, `return`, `jump NAME`, `goto NAME`.
    case verdict(NftVerdict)
    /// `EXPR vmap @map` or `EXPR vmap { KEY : VERDICT, ... }`.
    case verdictMap(key: NftExpression, map: NftExpression)
    /// `counter` or `counter packets N bytes M`.
    case counter(packets: UInt64?, bytes: UInt64?)
    /// `log` with its options in order (`prefix "x"`, `level warn`, `group 2`, `flags all`).
    case log([NftOption])
    /// `limit rate [over] 10/second [burst 5 packets]`.
    case limit(NftLimit)
    /// `quota [over] 100 mbytes [used 0 bytes]`: the words after `quota`.
    case quota(over: Bool, words: [String])
    /// `reject [with icmp host-prohibited]`: the words after `with`.
    case reject(with: [String])
    /// `queue ...`: the words after `queue`.
    case queue([String])
    /// `dnat`, `snat`, `masquerade`, `redirect`.
    case nat(NftNat)
    /// `meta mark set 0x10`, `ct mark set meta mark`, `meta nftrace set 1`.
    case set(target: NftExpression, value: NftExpression)
    /// `notrack`.
    case notrack
    /// iptables-nft's compatibility expression: `xt match "conntrack"`, `xt target "LOG"`.
    case compat(kind: String, name: String)
    /// `comment "..."`, the text without quotes.
    case comment(String)
    /// Words not modelled yet, kept exactly as written (with the whitespace before each).
    case tokens([NftToken])
}

/// A rule's or a map element's verdict.
public enum NftVerdict: Sendable, Hashable {
    case accept, drop, `continue`, `return`
    case jump(String)
    case goto(String)

    /// The chain a jump or goto enters (nil for the other verdicts).
    public var chain: String? {
        switch self {
        case .jump(let chain), .goto(let chain): chain
        default: nil
        }
    }

    /// The verdict as nft prints it.
    public var text: String {
        switch self {
        case .accept: "accept"
        case .drop: "drop"
        case .continue: "continue"
        case .return: "return"
        case .jump(let chain): "jump \(chain)"
        case .goto(let chain): "goto \(chain)"
        }
    }
}

/// An option of a statement: a keyword and its value as written (`prefix "drop: "`).
public struct NftOption: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A limit statement's rate and burst, as written.
public struct NftLimit: Sendable, Hashable {
    /// `limit rate over ...`: matches above the rate instead of below it.
    public var over: Bool
    /// `10/second` or `1 mbytes/second`.
    public var rate: String
    /// `5 packets`, `2 mbytes`; nil when not listed.
    public var burst: String?

    public init(over: Bool, rate: String, burst: String?) {
        self.over = over
        self.rate = rate
        self.burst = burst
    }
}

/// A NAT statement: `dnat to 192.168.0.2:80`, `snat ip to ip saddr map @m`, `masquerade
/// random,persistent`, `redirect to :22`.
public struct NftNat: Sendable, Hashable {
    /// `dnat`, `snat`, `masquerade` or `redirect`.
    public var kind: String
    /// The `ip` or `ip6` of an inet table's `dnat ip to ...`.
    public var family: String?
    /// What follows `to`; nil when there is no `to`.
    public var to: NftExpression?
    /// Flags after the address (`random`, `persistent`, `fully-random`), as one comma list.
    public var flags: [String]

    public init(kind: String, family: String? = nil, to: NftExpression? = nil, flags: [String] = []) {
        self.kind = kind
        self.family = family
        self.to = to
        self.flags = flags
    }
}
