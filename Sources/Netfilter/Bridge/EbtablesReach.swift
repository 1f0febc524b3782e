/// Which chains jump to which in an ebtables table: the built-in chains (hooks) each user
/// chain runs from, and the jump loops the kernel refuses.
enum EbtablesReach {
    /// The chains a rule's -j names (user chains of the table only).
    static func jumps(_ chain: EbtablesChain, in table: EbtablesTable) -> [(rule: EbtablesRule, target: String)] {
        chain.rules.compactMap { rule in table.chain(named: rule.target) == nil ? nil : (rule, rule.target) }
    }

    /// For each user chain, the built-in chains from which jumps reach it.
    static func builtinChainsReaching(_ table: EbtablesTable) -> [String: [String]] {
        var reaching: [String: [String]] = [:]
        for builtin in EbtablesTable.builtinChains(of: table.name) {
            guard let start = table.chain(named: builtin) else { continue }
            var seen: Set<String> = [builtin]
            var pending = [start]
            while let chain = pending.popLast() {
                for (_, target) in jumps(chain, in: table) where !seen.contains(target) {
                    seen.insert(target)
                    reaching[target, default: []].append(builtin)
                    if let next = table.chain(named: target) { pending.append(next) }
                }
            }
        }
        return reaching
    }

    /// One error per jump that closes a loop reachable from a built-in chain, at its -j
    /// (a depth-first walk: a jump to a chain still on the path is a loop).
    static func loops(_ table: EbtablesTable) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var finished: Set<String> = []
        var path: [String] = []
        func visit(_ chain: EbtablesChain) {
            path.append(chain.name)
            for (rule, target) in jumps(chain, in: table) {
                if let start = path.firstIndex(of: target) {
                    let cycle = (path[start...] + [target]).joined(separator: " -> ")
                    let jump = rule.options.first { $0.option.name == "-j" }
                    diagnostics.append(.error("jump loop: \(cycle)",
                                              at: SourceLocation(line: rule.line, column: jump?.column ?? 1),
                                              length: jump?.length ?? 1))
                } else if !finished.contains(target), path.count < 10_000, let next = table.chain(named: target) {
                    visit(next)
                }
            }
            finished.insert(chain.name)
            path.removeLast()
        }
        for builtin in EbtablesTable.builtinChains(of: table.name) {
            if let chain = table.chain(named: builtin), !finished.contains(builtin) { visit(chain) }
        }
        return diagnostics
    }
}
