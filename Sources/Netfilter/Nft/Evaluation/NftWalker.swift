// net/netfilter/nf_tables_core.c (nft_do_chain): a base chain's rules in order, each rule's
// expressions in order until one breaks (a relation that does not hold) or gives a verdict;
// `jump` pushes the next rule on a stack of NFT_JUMP_STACK_SIZE, `goto` does not, `return`
// and a regular chain's end pop it, the base chain's end applies its policy. accept, drop
// and queue end the base chain.

/// Walks one base chain of an nft table as nft_do_chain does, for a class of packets: a
/// relation that reads what the description left open splits the class (header-space sets
/// where the algebra models the field, named conditions elsewhere), and every outcome is a
/// class of packets with its own steps.
struct NftWalker {
    let program: NftProgram
    let table: NftProgram.Table
    let hook: Hook
    /// Whether the chain runs before conntrack (below priority -200 at PREROUTING and OUTPUT).
    let beforeConntrack: Bool

    /// The kernel's jump stack (NFT_JUMP_STACK_SIZE): a deeper ruleset does not load.
    static let jumpStackSize = 16
    /// The most rule visits one walk makes before it gives up (a table that loads never needs it).
    static let budget = 1_000_000

    var family: NftFamily { table.table.family }

    /// Walks the base chain from its first rule.
    func walk(_ base: NftProgram.BaseChain, _ state: NftResult) -> [NftResult] {
        var budget = Self.budget
        return run(chain: base.chain, rule: 0, stack: [], state: state, budget: &budget, base: base.chain)
    }

    private func step(_ chain: NftChain, _ number: Int?, _ kind: NftStep.Kind, _ state: inout NftResult,
                      depth: Int) -> NftStep {
        var step = NftStep(family: family, table: table.table.name, chain: chain.name, number: number,
                           ruleText: number.map { NftPrinter.text(chain.rules[$0 - 1]) }, kind: kind,
                           traced: state.packet.hookState.traced,
                           mark: state.packet.open.contains(.mark) ? nil : state.packet.mark)
        step.depth = depth
        (step.rewritesSource, step.rewritesDestination) = (state.rewrote.source, state.rewrote.destination)
        step.nat = state.rewrote.nat
        step.comment = number.map { chain.rules[$0 - 1].comment } ?? nil
        if case .rule = kind { step.answer = state.answer }
        state.rewrote = NftResult.NATDone()
        return step
    }

    /// Walks from a rule of a chain with a stack of return points; `base` is the base chain
    /// walked, whose policy ends the walk (nft reports it under the base chain's name).
    private func run(chain start: NftChain, rule first: Int, stack initial: [(NftChain, Int)],
                     state initialState: NftResult, budget: inout Int, base: NftChain) -> [NftResult] {
        let policy = base.base?.policy
        var chain = start
        var position = first
        var stack = initial
        var state = initialState
        while budget > 0 {
            budget -= 1
            guard position < chain.rules.count else {
                // The chain's end: back to the caller, or the base chain's policy.
                if let (caller, next) = stack.popLast() {
                    chain = caller
                    position = next
                    continue
                }
                let word = policy ?? "accept"
                let entry = step(base, nil, .policy(word), &state, depth: stack.count)
                state.steps.append(entry)
                state.verdict = word == "drop" ? .drop : .accept
                return [state]
            }
            let number = position + 1
            let rule = chain.rules[position]
            let place = "\(family.rawValue) \(table.table.name) \(chain.name) #\(number)"
            var results: [NftResult] = []
            var continuing: [NftResult] = []
            for (part, end) in NftRuleRun(walker: self, rule: rule, place: place).run(state) {
                var part = part
                switch end {
                case .broke(let reason):
                    let entry = step(chain, number, .skipped(reason), &part, depth: stack.count)
                    part.steps.append(entry)
                    continuing.append(part)
                case .undetermined(let reason):
                    let entry = step(chain, number, .stop(reason), &part, depth: stack.count)
                    part.steps.append(entry)
                    part.verdict = nil
                    part.undetermined = reason
                    results.append(part)
                case .verdict(let verdict):
                    let entry = step(chain, number, .rule(verdict: verdict?.text ?? "continue"), &part,
                                     depth: stack.count)
                    part.steps.append(entry)
                    switch verdict {
                    case nil, .continue?:
                        continuing.append(part)
                    case .accept?, .drop?:
                        part.verdict = verdict == .accept ? .accept : .drop
                        results.append(part)
                    case .queue?:
                        part.verdict = .queue
                        results.append(part)
                    case .return?:
                        if let (caller, next) = stack.last {
                            results += run(chain: caller, rule: next, stack: Array(stack.dropLast()), state: part,
                                           budget: &budget, base: base)
                        } else {
                            let entry = step(base, nil, .policy(policy ?? "accept"), &part, depth: stack.count)
                            part.steps.append(entry)
                            part.verdict = policy == "drop" ? .drop : .accept
                            results.append(part)
                        }
                    case .jump(let name)?, .goto(let name)?:
                        guard let target = table.chains[name] else {
                            part.verdict = nil
                            part.undetermined = "no chain \(name) to jump to"
                            results.append(part)
                            continue
                        }
                        var next = stack
                        if case .jump? = verdict {
                            guard next.count < Self.jumpStackSize else {
                                part.verdict = nil
                                part.undetermined = "more than \(Self.jumpStackSize) nested jumps"
                                results.append(part)
                                continue
                            }
                            next.append((chain, position + 1))
                        }
                        results += run(chain: target, rule: 0, stack: next, state: part, budget: &budget, base: base)
                    }
                }
            }
            guard let only = continuing.first else { return results }
            if continuing.count == 1 && results.isEmpty {
                state = only
                position += 1
                continue
            }
            for part in continuing {
                results += run(chain: chain, rule: position + 1, stack: stack, state: part, budget: &budget,
                               base: base)
            }
            return results
        }
        state.verdict = nil
        state.undetermined = "the walk did not end within \(Self.budget) rule visits"
        return [state]
    }
}

/// An nft verdict as the walker follows it, with queue (a statement, not a verdict word).
enum NftWalkVerdict: Sendable, Hashable {
    case accept, drop, queue, `continue`, `return`
    case jump(String), goto(String)

    init(_ verdict: NftVerdict) {
        switch verdict {
        case .accept: self = .accept
        case .drop: self = .drop
        case .continue: self = .continue
        case .return: self = .return
        case .jump(let chain): self = .jump(chain)
        case .goto(let chain): self = .goto(chain)
        }
    }

    /// The word nft's trace prints after `verdict`.
    var text: String {
        switch self {
        case .accept: "accept"
        case .drop: "drop"
        case .queue: "queue"
        case .continue: "continue"
        case .return: "return"
        case .jump(let chain): "jump \(chain)"
        case .goto(let chain): "goto \(chain)"
        }
    }
}
