// What an ebtables module (net/bridge/netfilter/ebt_*.c) is to the walk: its options read
// once into a typed value (as the kernel keeps `struct ebt_ip_info` and the like), which
// says what the match does with a frame, what the watcher logs, what the target does.

/// What a match, or a rule's conditions together, say of packets whose fields may be open.
enum EbtablesCheck: Sendable {
    case matches
    case fails(String)
    /// Some conditions read open fields (and none fails): the packets they match.
    case undecided(PacketSpace)
}

/// An ebtables module's typed options and its behaviour. A match answers `check`, a
/// watcher `logLine`, a target `apply`; the defaults are those of the other kinds.
protocol EbtablesExtension: Sendable, Hashable {
    /// What the match says of the packet; `place` (`eb filter/FORWARD #2`) names the
    /// conditions it leaves.
    func check(_ packet: Packet, place: String) -> EbtablesCheck
    /// The line the watcher logs.
    func logLine() -> String?
    /// What the target does to the walk's packet, and the verdict the walk goes on with
    /// (ACCEPT, DROP, CONTINUE or RETURN).
    func apply(to result: inout EbtablesResult) -> String
}

extension EbtablesExtension {
    func check(_ packet: Packet, place: String) -> EbtablesCheck { .matches }
    func logLine() -> String? { nil }
    func apply(to result: inout EbtablesResult) -> String { "CONTINUE" }
}

/// One module's typed value in a rule: a match, a watcher or an extension target.
public struct EbtablesExtensionValue: Sendable, Hashable {
    let base: any EbtablesExtension
    /// The module's name (`ip`, `among`, `log`, `mark`, ...).
    public let module: String

    init(_ base: any EbtablesExtension, module: String) {
        self.base = base
        self.module = module
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.module == rhs.module && AnyHashable(lhs.base) == AnyHashable(rhs.base)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(module)
        hasher.combine(AnyHashable(base))
    }
}

/// A module's options as one rule wrote them, for the module to read into its value.
struct EbtablesOptions {
    var written: [EbtablesRule.WrittenOption]

    /// The option by its name (its first spelling).
    subscript(_ name: String) -> EbtablesRule.WrittenOption? { written.first { $0.option.name == name } }

    /// The option's value read by `parse`, with its `!`; nil when it is not given or not read.
    func value<Value>(_ name: String, _ parse: (String) -> Value?) -> Negatable<Value>? {
        guard let option = self[name], let value = parse(option.values.first ?? "") else { return nil }
        return Negatable(value, negated: option.negated)
    }

    /// A MAC address option's value (`--to-dst 02:00:00:00:00:01`).
    func mac(_ name: String) -> MACAddress? {
        self[name].flatMap { MACAddress(parsing: Array(($0.values.first ?? "").utf8)) }
    }

    /// A target's verdict option (`--dnat-target CONTINUE`), or the target's default.
    func verdict(_ name: String, default verdict: String) -> String { self[name]?.values.first ?? verdict }

    /// The option as written (`! --vlan-id 5`), for a condition's or a reason's text.
    func text(_ name: String) -> String? {
        self[name].map { (($0.negated ? ["!"] : []) + [$0.option.name] + $0.values).joined(separator: " ") }
    }
}

extension Negatable {
    /// Whether a packet whose test gave `holds` passes the condition.
    func passes(_ holds: Bool) -> Bool { holds != negated }
}

/// The conditions of a match (or a rule) on fields the packet leaves open, gathered as one
/// set of packets while the others are decided one by one.
struct EbtablesOpenConditions {
    let family: Family
    private(set) var space: PacketSpace?

    init(_ family: Family) { self.family = family }

    mutating func restrict(_ part: PacketSpace) { space = (space ?? .all(family)).intersection(part) }

    /// A condition the set algebra cannot express, named by its text.
    mutating func condition(_ text: String) { restrict(.condition(text, family: family)) }

    /// The packets whose field is among `values` (or not, negated).
    mutating func restrict(_ field: PacketField, _ values: FieldSet, negated: Bool) {
        restrict(.where(field, negated ? field.full(family).subtracting(values) : values, family: family))
    }

    /// Matches, or the packets that match where some field was open.
    var result: EbtablesCheck { space.map { .undecided($0) } ?? .matches }
}

extension EbtablesCheck {
    /// The check of a match that reads frames of another kind than those verdict walks
    /// (untagged Ethernet II frames carrying IPv4 or IPv6): it fails, whatever its options.
    static func otherFrames(_ module: String, reads frames: String, _ packet: Packet) -> EbtablesCheck {
        .fails("the \(module) match reads \(frames); the frame is an untagged "
               + "\(packet.family == .ipv6 ? "IPv6" : "IPv4") frame")
    }
}
