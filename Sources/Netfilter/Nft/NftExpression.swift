/// An nft expression, as a rule, set or map writes it. Values stay the text nft printed
/// (`192.168.0.2:80`, `echo-request`, `"br-dummy"`); their meaning comes with evaluation.
public indirect enum NftExpression: Sendable, Hashable {
    /// A protocol header field: `ip saddr`, `tcp dport`, `ether type`, `icmpv6 type`.
    case payload(protocol: String, field: String)
    /// A packet or host attribute: `meta l4proto` (qualified) or `iifname`, `mark` (bare).
    case meta(key: String, qualified: Bool)
    /// Connection tracking: `ct state`, `ct original saddr`, `ct reply ip daddr`.
    case ct(direction: String?, family: String?, key: String)
    /// A routing lookup: `fib daddr type`, `fib saddr . iif oif`.
    case fib(flags: [String], result: String)
    /// A literal value: a number, address, name or quoted string, as written.
    case value(String)
    /// A list of flags or values written with commas and no spaces: `established,related`.
    case list([String])
    /// An address prefix: `10.0.0.0/8`.
    case prefix(address: String, length: Int)
    /// A range: `1024-65535`, `10.0.0.1-10.0.0.9`.
    case range(low: String, high: String)
    /// A concatenation: `ip saddr . tcp dport`, `10.0.0.1 . 22`.
    case concatenation([NftExpression])
    /// An anonymous set: `{ 22, 80 }`.
    case set([NftSetElement])
    /// A named set or map: `@allowed`.
    case setReference(String)
    /// A bitwise or shift operation: `ct mark & 0x000000ff`; or a value under a mask on a
    /// relation's right (`/`): `tcp flags syn / syn,ack`.
    case binary(operator: String, left: NftExpression, right: NftExpression)
    /// A map lookup: `ip saddr map @dmap`, `tcp dport map { 80 : 8080 }`.
    case map(key: NftExpression, map: NftExpression)
    /// A verdict as a verdict map's value: `"eth0" : accept`, `8080 : jump web`.
    case verdict(NftVerdict)
    /// A number generator: `numgen random mod 2`, `numgen inc mod 3 offset 1`.
    case numgen(mode: String, modulus: Int, offset: Int?)
}

/// The operator of a relation; `implicit` when none is written (equality, or membership of a
/// set, or a flag test, depending on the right-hand side).
public enum NftOperator: String, Sendable, Hashable, CaseIterable {
    case implicit = ""
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
}

/// A match: `ip daddr != 127.0.0.0/8`, `tcp dport { 80, 443 }`, `ct state established,related`.
public struct NftRelation: Sendable, Hashable {
    public var left: NftExpression
    public var `operator`: NftOperator
    public var right: NftExpression

    public init(left: NftExpression, operator: NftOperator = .implicit, right: NftExpression) {
        self.left = left
        self.operator = `operator`
        self.right = right
    }
}
