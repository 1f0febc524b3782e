// net/ipv4/netfilter/ip_tables.c (ipt_do_table): the jump stack. XT_RETURN pops it; an
// empty stack continues at the hook's underflow entry, the built-in chain's policy.

/// Where a walk through one table stands and how it moves: the one definition of jump,
/// goto and return that the evaluator's walk (`TableWalk`) and the semantic diff's walk
/// (`DiffWalk`) both follow.
struct WalkPosition: Hashable, Sendable {
    /// A return point: the caller's chain and the rule after the jump.
    struct Frame: Hashable, Sendable {
        var chain: Int
        var rule: Int
        /// The packets' destinations avoid every indexed destination of that chain.
        var avoidsIndexed = false
    }

    /// The chain the walk entered the table by (a hook's built-in chain, or the chain
    /// walked alone).
    let entry: Int
    var chain: Int
    var rule = 0
    var stack: [Frame] = []
    /// The packets' destinations avoid every indexed destination of the current chain
    /// (split off at its start): its indexed rules cannot match.
    var avoidsIndexed = false

    init(entry: Int) {
        self.entry = entry
        chain = entry
    }

    /// `-j CHAIN`: the next rule becomes the return point.
    mutating func jump(to target: Int) {
        stack.append(Frame(chain: chain, rule: rule + 1, avoidsIndexed: avoidsIndexed))
        enter(target)
    }

    /// `-g CHAIN`: no return point; the chain returns to the current caller.
    mutating func goto(_ target: Int) { enter(target) }

    private mutating func enter(_ target: Int) {
        chain = target
        rule = 0
        avoidsIndexed = false
    }

    /// What RETURN, or the end of a user chain, leads to.
    enum Return {
        /// Back to the caller's next rule.
        case toCaller
        /// To the entry chain's policy (its tail entry, rule `count`).
        case toPolicy
        /// Out of a user chain walked alone, to a caller the walk does not know.
        case outOfTable
    }

    /// RETURN: pops the stack; with it empty, the built-in entry chain's policy, or out of a
    /// user chain walked alone. `entryIsBuiltin` and `entryRuleCount` describe the entry chain.
    mutating func returnFromChain(entryIsBuiltin: Bool, entryRuleCount: Int) -> Return {
        if let frame = stack.popLast() {
            chain = frame.chain
            rule = frame.rule
            avoidsIndexed = frame.avoidsIndexed
            return .toCaller
        }
        avoidsIndexed = false
        guard entryIsBuiltin else { return .outOfTable }
        chain = entry
        rule = entryRuleCount
        return .toPolicy
    }
}

/// A walk's state that stands at a `WalkPosition`: its chain, rule, stack and index flag
/// read through it.
protocol PositionedWalk {
    var position: WalkPosition { get set }
}

extension PositionedWalk {
    var chain: Int {
        get { position.chain }
        set { position.chain = newValue }
    }
    var rule: Int {
        get { position.rule }
        set { position.rule = newValue }
    }
    var stack: [WalkPosition.Frame] { position.stack }
    var avoidsIndexed: Bool {
        get { position.avoidsIndexed }
        set { position.avoidsIndexed = newValue }
    }
}
