/// What a connection from a source to a service comes to, as its client sees it.
public enum ReachOutcome: String, Sendable, Hashable, CaseIterable {
    /// Delivered to a listener (the host's socket, or a container or peer the host passes it
    /// to) and the reply gets back: the client connects.
    case open
    /// The request or the reply is dropped: the client times out.
    case dropped
    /// A REJECT answers: a reset or an ICMP error reaches the client.
    case refused
    /// The host's own send is dropped on its way out: the process gets EPERM.
    case blockedLocally = "blocked-locally"
    /// Delivered to the host, but no socket listens: a reset or a port unreachable comes back.
    case closed
    /// Some packets of the source get one outcome, others another (see the classes).
    case partly
    /// The outcome depends on what the rules leave to chance or to state verdict does not
    /// know (a probability, a condition).
    case depends

    /// One character for the matrix.
    public var symbol: Character {
        switch self {
        case .open: return "O"
        case .dropped: return "."
        case .refused: return "R"
        case .blockedLocally: return "E"
        case .closed: return "C"
        case .partly: return "P"
        case .depends: return "?"
        }
    }

    /// What the symbol means, for the legend.
    public var meaning: String {
        switch self {
        case .open: return "open: delivered and answered, the client connects"
        case .dropped: return "dropped: the request or its reply is dropped, the client times out"
        case .refused: return "refused: a REJECT's reset or ICMP error reaches the client"
        case .blockedLocally: return "blocked-locally: the host's own send is dropped, the process gets EPERM"
        case .closed: return "closed: delivered to the host, no socket listens (reset / port unreachable)"
        case .partly: return "partly: some of the source's packets one way, others another"
        case .depends: return "depends: on a probability or a condition verdict cannot decide"
        }
    }
}
