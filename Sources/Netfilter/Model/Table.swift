/// One `*table` ... `COMMIT` block of a dump.
public struct Table: Sendable, Hashable {
    public var name: String
    /// Where the `*name` line stood.
    public var location: SourceLocation
    /// Chains in the order of their declarations.
    public var chains: [Chain]
    /// Where COMMIT stood; nil when the block was never committed.
    public var commitLocation: SourceLocation?
    public var leadingTrivia: [Comment]
    public var commitTrivia: [Comment]
    public var headerTrailingWhitespace: String
    public var commitTrailingWhitespace: String

    public init(name: String, location: SourceLocation = .unknown) {
        self.name = name
        self.location = location
        chains = []
        commitLocation = nil
        leadingTrivia = []
        commitTrivia = []
        headerTrailingWhitespace = ""
        commitTrailingWhitespace = ""
    }

    /// The chain with this name.
    public func chain(named name: String) -> Chain? { chains.first { $0.name == name } }

    /// Each chain's position by name (the first, where a name is declared twice, as
    /// `chain(named:)` finds): for lookups in tables of many chains.
    public var chainPositions: NameIndex {
        var index = NameIndex(capacity: chains.count)
        for position in chains.indices { index.insert(chains[position].name, position: position) }
        return index
    }

    /// The built-in chains of a known table, in the kernel's hook order.
    public var builtinChainNames: [String] { TableKind(rawValue: name)?.builtinChains ?? [] }
}

/// The tables iptables knows, with the chains the kernel creates in each.
public enum TableKind: String, Sendable, CaseIterable {
    case raw, mangle, nat, filter, security

    public var builtinChains: [String] {
        switch self {
        case .raw: return ["PREROUTING", "OUTPUT"]
        case .mangle: return ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]
        case .nat: return ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]
        case .filter, .security: return ["INPUT", "FORWARD", "OUTPUT"]
        }
    }
}
