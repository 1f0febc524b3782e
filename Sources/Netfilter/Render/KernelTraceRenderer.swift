/// The lines the kernel's TRACE target logs (`TRACE: table:chain:type:rulenum`).
public enum KernelTraceRenderer {
    /// `fromStart`: trace every entry (a ruleset without TRACE rules); otherwise only the
    /// entries that ran after a TRACE rule set the packet's nf_trace bit.
    public static func lines(_ steps: [TraceStep], fromStart: Bool) -> [String] {
        steps.compactMap { step in
            guard let type = step.kernelType, fromStart || step.traced else { return nil }
            return "TRACE: \(step.table):\(step.chain):\(type):\(step.number)"
        }
    }

    /// Whether a ruleset has TRACE rules (then tracing starts only where one matches).
    public static func hasTraceRules(_ ruleset: Ruleset) -> Bool {
        ruleset.tables.contains { table in
            table.chains.contains { chain in
                chain.rules.contains { rule in
                    if case .extension(let call) = rule.target { return call.spec.name == "TRACE" }
                    return false
                }
            }
        }
    }
}
