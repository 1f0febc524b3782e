/// One class of a cell's connections: the requests it stands for, what comes of them, and
/// why.
public struct ReachClass: Sendable, Hashable {
    /// The requests, as they arrived (nil: every request of the cell).
    public var packets: PacketCube?
    /// The requests in words (`tcp 10.0.2.0/24 -> 10.0.2.15:8080`), with their conditions.
    public var packetsText: String
    public var outcome: ReachOutcome
    /// The deciding rules: the filter rule or policy that let the request through, or the
    /// rule that dropped or rejected it or its reply (`filter/DOCKER:1`, `filter/INPUT policy`).
    public var by: [String]
    /// The NAT on the way (`10.0.2.15:8080 → 172.17.0.2:80`, `source → 10.0.2.15`).
    public var nat: [String]
    /// Where destination NAT took the requests.
    public var leadsTo: [Endpoint]
    /// Why the stack dropped the request or its reply where no rule did (`no route`, a
    /// bridge that does not send a frame back out of the port it came in by).
    public var why: String?
    /// What happened, as `verdict flow` says it (`DNAT 172.17.0.2:80 (nat/DOCKER:2),
    /// accepted by filter/DOCKER:1, out vethc1; reply ACCEPT`).
    public var detail: String
    /// The share of the requests when a rule picks at random (statistic), else nil.
    public var probability: Double?
    /// A request of the class with every field given, and whether its own flow confirms
    /// the outcome.
    public var witness: Packet?
    public var confirmed: Bool?
}

/// The outcome of connections from one source to one service: the outcome, and the classes
/// of requests it is made of.
public struct ReachCell: Sendable, Hashable {
    /// Indexes into the matrix's sources and services.
    public var source: Int
    public var service: Int
    public var outcome: ReachOutcome
    public var classes: [ReachClass]

    public init(source: Int, service: Int, classes: [ReachClass]) {
        self.source = source
        self.service = service
        self.classes = classes
        outcome = Self.outcome(of: classes)
    }

    /// The deciding rules of every class, each once.
    public var by: [String] { Self.unique(classes.flatMap(\.by)) }
    /// The NAT of every class, each once.
    public var nat: [String] { Self.unique(classes.flatMap(\.nat)) }
    /// The first class's witness.
    public var witness: Packet? { classes.lazy.compactMap(\.witness).first }

    /// One outcome for all classes when they agree and none hangs on a condition; `depends`
    /// when a condition or a random pick decides; `partly` when the packets' fields do.
    static func outcome(of classes: [ReachClass]) -> ReachOutcome {
        let outcomes = Set(classes.map(\.outcome))
        if outcomes.count == 1, let only = outcomes.first, classes.allSatisfy({ $0.packets?.conditions.isEmpty ?? true }) {
            return only
        }
        if outcomes.isEmpty { return .dropped }
        if classes.contains(where: { $0.outcome == .depends || !($0.packets?.conditions.isEmpty ?? true)
                                 || ($0.probability ?? 1) < 1 }) {
            return .depends
        }
        return .partly
    }

    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
