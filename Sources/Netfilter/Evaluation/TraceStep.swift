/// One entry the evaluator visited, in the kernel's terms.
public struct TraceStep: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The rule matched; `effect` says what its target did.
        case matched
        /// The rule did not match, and why.
        case skipped(String)
        /// A rule without a target that matches some of the class's packets only: the walk
        /// goes on the same way for all of them, so the class is not split there (why, the
        /// undecided options).
        case mayMatch(String)
        /// This rule and the following ones up to rule `through` did not match, all for
        /// the same reason (a chain index skipped them: each requires another destination).
        case skippedRun(through: Int, reason: String)
        /// The built-in chain's policy decided (the chain's tail entry).
        case policy
        /// The end of a user chain: back to the caller (the chain's tail entry).
        case implicitReturn
    }

    public var table: String
    public var chain: String
    /// The kernel's rule number: 1 for the first rule; the tail entry (policy or
    /// implicit return) is the number after the last rule.
    public var number: Int
    public var kind: Kind
    /// How many jumps deep the walk was.
    public var depth: Int
    /// `rule`, `return` or `policy` when the kernel would print a TRACE line for this
    /// entry (entries that matched); nil for rules that did not match.
    public var kernelType: String?
    /// Whether the packet carried nf_trace when this entry ran (set by a TRACE rule earlier).
    public var traced: Bool
    /// What the target did: a verdict, a jump or goto, an extension target (nil: the
    /// entry did not match, or its rule has no target).
    public var effect: StepEffect?
    /// Whether the target rewrote the source (SNAT, MASQUERADE) or the destination (DNAT,
    /// REDIRECT) address or port.
    public var rewritesSource = false
    public var rewritesDestination = false
    /// The packet's mark after this entry's target changed it (MARK, CONNMARK --restore-mark);
    /// nil when it did not. The kernel logs an entry before its target runs, so this entry's
    /// TRACE line shows the mark before, the later ones this mark.
    public var markAfter: UInt32?
    /// An nft rule's text as nft lists it, for an entry of an nft base chain (whose `table`
    /// is `FAMILY NAME`, `inet filter`); nil for iptables entries, whose rules the renderers
    /// look up.
    public var nftRule: String?
    /// On the first entry of each nft base chain walked: the packet as that chain saw it, as
    /// nft's trace prints it in its `packet:` line (cut to the fields verdict models).
    public var nftPacket: String?
    /// The NAT an nft rule's statement did (its kind and word), for an nft entry.
    public var nftNAT: NftNATDone?
    /// An nft rule's `comment "..."`, without quotes.
    public var nftComment: String?
    /// Whether the target rewrote addresses or ports (NAT).
    public var rewritesAddresses: Bool { rewritesSource || rewritesDestination }
    /// The extension target that ran (`-j MARK`, `-j DNAT`), whose traits tell what it did.
    public var target: ExtensionID? {
        switch effect {
        case .target(let id)?, .answers(let id, _)?: return id
        default: return nil
        }
    }
    /// The declaration of the extension target that ran, if one did.
    public var targetSpec: ExtensionSpec? { target.map(ExtensionRegistry.spec) }
}

/// What a visited entry's target did, as a value: the text renderings print it
/// (`ACCEPT`, `jump DOCKER`, `goto KUBE-SEP-X`, `DNAT`).
public enum StepEffect: Sendable, Hashable, CustomStringConvertible {
    /// A standard verdict, or a policy.
    case verdict(StandardVerdict)
    case jump(String)
    case goto(String)
    /// An extension target (`-j MARK`, `-j DNAT`).
    case target(ExtensionID)
    /// An extension target that answers the sender (`-j REJECT`), with its answer as
    /// `--reject-with` names it (`icmp-port-unreachable`, `tcp-reset`).
    case answers(ExtensionID, with: String)

    public var description: String {
        switch self {
        case .verdict(let verdict): return verdict.rawValue
        case .jump(let chain): return "jump " + chain
        case .goto(let chain): return "goto " + chain
        case .target(let id), .answers(let id, _): return ExtensionRegistry.spec(id).name
        }
    }

    /// The answer the target sends back, for one that answers the sender.
    public var answer: String? {
        if case .answers(_, let answer) = self { return answer }
        return nil
    }

    /// Whether the walk went on into another chain (a jump or goto).
    public var entersChain: Bool {
        switch self {
        case .jump, .goto: return true
        case .verdict, .target, .answers: return false
        }
    }
}

/// One end of a walk through a table, for one class of packets (several when the packet
/// was described in part and rules split the set it stands for).
public struct WalkResult: Sendable, Hashable {
    /// ACCEPT, DROP or QUEUE; nil when the walk met something it cannot model.
    public var verdict: StandardVerdict?
    /// Why the verdict is missing.
    public var undetermined: String?
    /// The packet after the walk (marks, trace bit, conntrack state); its open fields are
    /// those the class leaves open.
    public var packet: Packet
    public var steps: [TraceStep]
    /// The probability of this outcome for the class's packets when random matches
    /// (statistic --mode random) split the walk.
    public var probability: Double? = 1
    /// The packets this outcome is for, as they arrived (header-space classes over the
    /// fields the description left open, with conditions); nil: every packet described.
    public var packets: PacketSpace?
    /// What the walk did to the open fields (see `SymbolicEnvironment`).
    public var environment = SymbolicEnvironment()
    // The memberwise initializer, not a written one: a written initializer builds the result in
    // a `self` box, and the optimizer leaves a retain and a release of the whole result around
    // it (seen in the SIL), a tenth of a concrete walk's time.

    /// The conditions the class depends on (matches the algebra cannot express, random
    /// outcomes), each with the truth the class requires; a condition some classes require
    /// and others do not is listed once with the truth of the first.
    public var conditions: [(text: String, holds: Bool)] {
        var seen = Set<String>()
        var result: [(text: String, holds: Bool)] = []
        for cube in packets?.cubes ?? [] {
            for condition in cube.conditions where seen.insert(condition.text).inserted { result.append(condition) }
        }
        return result
    }

    /// The conditions in words: `when [-m recent ...]`, `unless [...]`.
    public var assumptions: [String] {
        conditions.map(PacketDescription.conditionWords)
    }
}
