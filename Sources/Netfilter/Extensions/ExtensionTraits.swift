/// What the rest of verdict needs to know of an extension without naming it: each
/// extension declares its traits in its own file, and lints, renderers, the path and the
/// semantic diff read them instead of keeping lists of extension names.
public struct ExtensionTraits: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// A match that decides nothing and says something about the rule (comment).
    public static let annotates = ExtensionTraits(rawValue: 1 << 0)
    /// A match that lets a limited rate of packets through (limit, hashlimit).
    public static let limitsRate = ExtensionTraits(rawValue: 1 << 1)
    /// A match that reads the connection's state (conntrack --ctstate, state --state).
    public static let readsConnectionState = ExtensionTraits(rawValue: 1 << 2)
    /// A target that lets the packet go on and changes nothing a match could read
    /// (logging, tracing, accounting).
    public static let observes = ExtensionTraits(rawValue: 1 << 3)
    /// A target that writes a log line for every packet it sees (LOG, NFLOG, ULOG).
    public static let logsPackets = ExtensionTraits(rawValue: 1 << 4)
    /// A target that sets the packet's nf_trace bit (TRACE).
    public static let tracesPackets = ExtensionTraits(rawValue: 1 << 5)
    /// A target whose verdict ends the walk of the table: the packet does not come back
    /// to the next rule (REJECT, the NAT targets, NFQUEUE, TPROXY).
    public static let endsWalk = ExtensionTraits(rawValue: 1 << 6)
    /// A target that changes a field the packet-class algebra models (the mark, the
    /// connmark, the conntrack state), so that later rules see other values.
    public static let rewritesModelledFields = ExtensionTraits(rawValue: 1 << 7)
    /// A target that drops the packet and answers its sender (REJECT): see
    /// `ExtensionSpec.answer`.
    public static let answersSender = ExtensionTraits(rawValue: 1 << 8)
}

/// Which end of a connection a NAT target rewrites.
public enum NATKind: Sendable, Hashable {
    /// The destination (DNAT, REDIRECT): at PREROUTING and OUTPUT.
    case destination
    /// The source to a given address (SNAT).
    case source
    /// The source to the outgoing device's address (MASQUERADE).
    case masquerade
    /// A whole network one to one (NETMAP): the destination at PREROUTING and OUTPUT,
    /// the source at POSTROUTING and INPUT.
    case network

    /// Whether the target rewrites the destination.
    public var rewritesDestination: Bool { self == .destination || self == .network }
    /// Whether the target rewrites the source.
    public var rewritesSource: Bool { self != .destination }
}

extension ExtensionCall {
    /// The extension's declared traits.
    public var traits: ExtensionTraits { spec.traits }
}

extension RuleTarget {
    /// The declared traits of an extension target; empty for verdicts, jumps and none.
    public var traits: ExtensionTraits {
        if case .extension(let call) = self { return call.traits }
        return []
    }

    /// The extension call of an extension target.
    public var call: ExtensionCall? {
        if case .extension(let call) = self { return call }
        return nil
    }
}
