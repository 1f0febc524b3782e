/// One option an extension accepts, declared as data: the parser is driven by these.
public struct OptionSpec: Sendable {
    /// The long name without `--`, as iptables-save prints it.
    public var name: String
    /// Other accepted spellings (also without `--`).
    public var aliases: [String]
    public var value: ValueType
    /// Whether `!` may precede the option.
    public var negatable: Bool
    /// Whether the option may be given more than once.
    public var repeatable: Bool
    /// Whether the extension is refused without this option.
    public var required: Bool

    public init(_ name: String, aliases: [String] = [], _ value: ValueType, negatable: Bool = false,
                repeatable: Bool = false, required: Bool = false) {
        self.name = name
        self.aliases = aliases
        self.value = value
        self.negatable = negatable
        self.repeatable = repeatable
        self.required = required
    }
}

/// The netfilter hooks a built-in chain belongs to.
public enum Hook: String, Sendable, Hashable, CaseIterable, Comparable {
    case prerouting = "PREROUTING"
    case input = "INPUT"
    case forward = "FORWARD"
    case output = "OUTPUT"
    case postrouting = "POSTROUTING"

    /// The hook's place in packet order (PREROUTING 0 ... POSTROUTING 4).
    public var ordinal: Int {
        switch self {
        case .prerouting: return 0
        case .input: return 1
        case .forward: return 2
        case .output: return 3
        case .postrouting: return 4
        }
    }

    public static func < (lhs: Hook, rhs: Hook) -> Bool { lhs.ordinal < rhs.ordinal }
}

/// What an extension's finishing check sees and reports to: like xtables' final_check,
/// it validates the combination of options and may normalise them.
public struct FinalizeContext: Sendable {
    public var family: Family
    /// The rule's `-p`, when given without `!`.
    public var requiredProtocol: UInt8?
    /// The table the rule is in.
    public var table: String
    /// The rule's matches (a target's check may depend on them, as TCPMSS's does).
    public var matches: [ExtensionCall] = []
    /// Problems found, in words; the parser turns them into diagnostics at the extension.
    public var errors: [String] = []

    public init(family: Family, requiredProtocol: UInt8?, table: String) {
        self.family = family
        self.requiredProtocol = requiredProtocol
        self.table = table
    }

    public mutating func error(_ message: String) { errors.append(message) }
}

/// An xtables extension (a `-m` match or a `-j` target), declared as data: its options,
/// where the kernel allows it, how it checks its options, and how it prints itself.
/// Declarations are immutable and shared (a class, so that looking one up copies nothing).
public final class ExtensionSpec: Sendable {
    public enum Kind: String, Sendable { case match, target }

    public let name: String
    public let kind: Kind
    /// Other names that load this extension (`-m` or `-j` spellings).
    public let aliases: [String]
    public let families: FamilySet
    public let options: [OptionSpec]
    /// For matches bound to a protocol (tcp, udp, icmp...): the `-p` values it needs.
    public let protocols: [UInt8]?
    /// Whether `-m NAME` with no option at all is refused.
    public let requiresOption: Bool
    /// The tables the kernel allows it in, nil for all.
    public let tables: [String]?
    /// The hooks the kernel allows it at, nil for all.
    public let hooks: [Hook]?
    /// Checks and normalises the options once the rule is read (xtables' final_check).
    public let finalize: (@Sendable (_ call: inout ExtensionCall, _ context: inout FinalizeContext) -> Void)?
    /// Prints the options in save form; nil prints every setting in declaration order.
    public let printer: (@Sendable (_ call: ExtensionCall, _ writer: inout SaveWriter) -> Void)?
    /// Whether the options keep the order they were given in (policy's `--next` elements);
    /// otherwise they are put in declaration order, the order iptables-save prints.
    public let preservesOptionOrder: Bool
    /// Hooks allowed for this particular use, when they depend on the options given
    /// (addrtype's --limit-iface-in); nil when only `hooks` applies.
    public let hookCheck: (@Sendable (_ call: ExtensionCall) -> [Hook]?)?
    /// Decides a match for a packet (nil: the match is not modelled yet, so unknown).
    public let evaluate: (@Sendable (_ call: ExtensionCall, _ packet: Packet) -> MatchOutcome)?
    /// Decides a match from its typed values without explaining a failure, for walks that
    /// record no reasons (as the compiled header's `decide`); nil (or a nil answer): `evaluate`.
    /// Agrees with `evaluate` wherever it answers.
    public let decide: (@Sendable (_ call: ExtensionCall, _ packet: Packet) -> Bool?)?
    /// What a target does to a packet (nil: not modelled yet).
    public let apply: (@Sendable (_ call: ExtensionCall, _ packet: inout Packet) -> TargetEffect)?
    /// The packets a match call matches, as a header-space set (nil: not expressible on the
    /// modelled fields, so analysis treats the call as a named condition).
    public let space: (@Sendable (_ call: ExtensionCall, _ family: Family) -> PacketSpace?)?
    /// The packets a match call matches given what the packet carries of its host (the local
    /// routing table for addrtype): for matches whose set depends on the host (nil: `space`).
    public let hostSpace: (@Sendable (_ call: ExtensionCall, _ packet: Packet) -> PacketSpace?)?
    /// The packets a match call matches when part of what it reads is the packet as it
    /// arrived rather than as it is now (conntrack's original tuple, for a connection the
    /// packet opened): see `MixedSpace`. nil (or a nil result): `space`, then `hostSpace`.
    public let arrivalSpace: (@Sendable (_ call: ExtensionCall, _ packet: Packet) -> MixedSpace?)?
    /// Whether the match's answer depends on earlier packets (a rate, a list, a counter):
    /// two uses of it are separate conditions of a packet set, even with the same options.
    public let keepsState: Bool
    /// Whether the kernel's check of the extension calls nf_ct_netns_get, switching
    /// connection tracking on for the network namespace; for a match, whether it reads the
    /// packet's connection (so before conntrack it reads none: its condition there is
    /// another than after).
    public let usesConntrack: Bool
    /// What the rest of verdict reads instead of the extension's name.
    public let traits: ExtensionTraits
    /// For a NAT target: which end of the connection it rewrites.
    public let nat: NATKind?
    /// For a target that answers the sender (REJECT): the answer, as `--reject-with` names it.
    public let answer: (@Sendable (_ call: ExtensionCall) -> String)?
    /// For a target: what it does, as the semantic diff follows it (nil: read off `apply`,
    /// see `SymbolicAction`).
    public let symbolic: (@Sendable (_ call: ExtensionCall) -> SymbolicAction)?
    /// For a NAT target: the fields it rewrites at a hook, as the packet-class walk follows them.
    public let natRewrites: (@Sendable (_ call: ExtensionCall, _ hook: Hook?, _ family: Family)
        -> [(PacketField, FieldRewrite)])?
    /// How `iptables -L` prints the extension, read back (nil: not declared).
    public let listing: ListingForm?
    /// Options of which a call may give only one, or must give one.
    public let groups: [OptionGroup]
    /// Every accepted option spelling (names and aliases) to its index in `options`, by bytes.
    public let optionsBySpelling: NameIndex
    /// The indices in `options` of the options the extension is refused without.
    public let requiredOptions: [Int]

    public init(_ name: String, kind: Kind, aliases: [String] = [], families: FamilySet = .both,
                options: [OptionSpec] = [], protocols: [UInt8]? = nil, requiresOption: Bool = false,
                tables: [String]? = nil, hooks: [Hook]? = nil,
                finalize: (@Sendable (_ call: inout ExtensionCall, _ context: inout FinalizeContext) -> Void)? = nil,
                printer: (@Sendable (_ call: ExtensionCall, _ writer: inout SaveWriter) -> Void)? = nil,
                hookCheck: (@Sendable (_ call: ExtensionCall) -> [Hook]?)? = nil,
                preservesOptionOrder: Bool = false,
                evaluate: (@Sendable (_ call: ExtensionCall, _ packet: Packet) -> MatchOutcome)? = nil,
                decide: (@Sendable (_ call: ExtensionCall, _ packet: Packet) -> Bool?)? = nil,
                apply: (@Sendable (_ call: ExtensionCall, _ packet: inout Packet) -> TargetEffect)? = nil,
                space: (@Sendable (_ call: ExtensionCall, _ family: Family) -> PacketSpace?)? = nil,
                hostSpace: (@Sendable (_ call: ExtensionCall, _ packet: Packet) -> PacketSpace?)? = nil,
                arrivalSpace: (@Sendable (_ call: ExtensionCall, _ packet: Packet) -> MixedSpace?)? = nil,
                keepsState: Bool = false, usesConntrack: Bool = false, traits: ExtensionTraits = [],
                nat: NATKind? = nil, answer: (@Sendable (_ call: ExtensionCall) -> String)? = nil,
                symbolic: (@Sendable (_ call: ExtensionCall) -> SymbolicAction)? = nil,
                natRewrites: (@Sendable (_ call: ExtensionCall, _ hook: Hook?, _ family: Family)
                    -> [(PacketField, FieldRewrite)])? = nil, listing: ListingForm? = nil, groups: [OptionGroup] = []) {
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.families = families
        self.options = options
        self.protocols = protocols
        self.requiresOption = requiresOption
        self.tables = tables
        self.hooks = hooks
        self.finalize = finalize
        self.printer = printer
        self.hookCheck = hookCheck
        self.preservesOptionOrder = preservesOptionOrder
        self.evaluate = evaluate
        self.decide = decide
        self.apply = apply
        self.space = space
        self.hostSpace = hostSpace
        self.arrivalSpace = arrivalSpace
        self.keepsState = keepsState
        self.usesConntrack = usesConntrack
        self.traits = traits
        self.nat = nat
        self.answer = answer
        self.symbolic = symbolic
        self.natRewrites = natRewrites
        self.listing = listing
        self.groups = groups
        var spellings = NameIndex(capacity: options.count * 2)
        for (index, option) in options.enumerated() {
            for spelling in [option.name] + option.aliases { spellings.insert(spelling, position: index) }
        }
        optionsBySpelling = spellings
        requiredOptions = options.indices.filter { options[$0].required }
    }

    /// Evaluates every option of a match call; the first that fails or is unknown decides.
    public func evaluateAll(_ call: ExtensionCall, _ packet: Packet,
                            _ option: (OptionSetting, String) -> MatchOutcome) -> MatchOutcome {
        for setting in call.settings {
            let outcome = option(setting, options[setting.option].name)
            if case .matches = outcome { continue }
            return outcome
        }
        return .matches
    }

    /// The index of the option with this declared name.
    public func optionIndex(_ name: String) -> Int? { options.firstIndex { $0.name == name } }

    /// The hooks the kernel allows this use of the extension at, nil for all.
    public func allowedHooks(for call: ExtensionCall) -> [Hook]? {
        let specific = hookCheck?(call)
        switch (hooks, specific) {
        case (nil, nil): return nil
        case (let fixed?, nil): return fixed
        case (nil, let dynamic?): return dynamic
        case (let fixed?, let dynamic?): return fixed.filter(dynamic.contains)
        }
    }

    /// Prints one setting the default way: `[! ]--name value`.
    public func printSetting(_ setting: OptionSetting, to writer: inout SaveWriter) {
        let option = options[setting.option]
        writer.option(option.name, negated: setting.negated)
        option.value.print(setting.value, &writer)
    }

    /// Prints the whole call's options (not the `-m NAME` / `-j NAME` itself).
    public func printOptions(_ call: ExtensionCall, to writer: inout SaveWriter) {
        if let printer {
            printer(call, &writer)
        } else {
            for setting in call.settings { printSetting(setting, to: &writer) }
        }
    }
}

extension ExtensionCall {
    /// Removes the setting of the named option.
    public mutating func remove(_ name: String) {
        let specification = spec
        settings.removeAll { specification.options[$0.option].name == name }
    }

    /// Sets (or replaces) the named option, keeping declaration order.
    public mutating func set(_ name: String, _ value: OptionValue, negated: Bool = false) {
        guard let index = spec.optionIndex(name) else { return }
        settings.removeAll { $0.option == index }
        settings.append(OptionSetting(option: index, negated: negated, value: value))
        settings.sort { $0.option < $1.option }
    }
}
