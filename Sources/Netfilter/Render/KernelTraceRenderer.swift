/// The lines the kernel's TRACE target logs (`TRACE: table:chain:type:rulenum`, then the
/// packet's fields).
public enum KernelTraceRenderer {
    /// `fromStart`: trace every entry (a ruleset without TRACE rules); otherwise only the
    /// entries that ran after a TRACE rule set the packet's nf_trace bit.
    public static func lines(_ steps: [TraceStep], fromStart: Bool) -> [String] {
        steps.compactMap { step in
            guard let type = step.kernelType, fromStart || step.traced else { return nil }
            return "TRACE: \(step.table):\(step.chain):\(type):\(step.number)"
        }
    }

    /// The lines of a walk at `hook` (nil: a chain walked alone) with the header the kernel
    /// logs with each: `entering` is the packet as it reached the hook, `leaving` as the
    /// hook's tables left it. A line shows the packet as its table saw it: the addresses
    /// before NAT up to and including the nat table (nf_nat_inet_fn rewrites the packet
    /// after the nat table's walk), after NAT in the tables that run after it; the mark as
    /// the targets before the entry left it (an entry is logged before its target runs).
    public static func traceLines(_ steps: [TraceStep], fromStart: Bool, hook: Hook?, entering: TraceHeader,
                                  leaving: TraceHeader) -> [TraceLine] {
        let order = hook.map(HookEvaluator.tables(at:)) ?? []
        let natPosition = order.firstIndex(of: .nat)
        let rewritten = entering.rewritten(by: leaving)
        var mark = entering.mark
        var lines: [TraceLine] = []
        for step in steps {
            if let type = step.kernelType, fromStart || step.traced {
                let position = TableKind(rawValue: step.table).flatMap { order.firstIndex(of: $0) }
                var header = position.map { $0 > natPosition ?? Int.max } == true ? rewritten : entering
                header.mark = mark
                let text = "TRACE: \(step.table):\(step.chain):\(type):\(step.number)"
                lines.append(TraceLine(text: text, header: header))
            }
            if let after = step.markAfter, mark != nil { mark = after }
        }
        return lines
    }

    /// Whether a ruleset has TRACE rules (then tracing starts only where one matches).
    public static func hasTraceRules(_ ruleset: Ruleset) -> Bool {
        ruleset.tables.contains { table in
            table.chains.contains { chain in
                chain.rules.contains { rule in
                    if case .extension(let call) = rule.target { return call.traits.contains(.tracesPackets) }
                    return false
                }
            }
        }
    }
}

/// One line the kernel logs for a packet: `TRACE: table:chain:type:num` and, where verdict
/// knows it, the packet's header at that point (nil for an ebtables log line).
public struct TraceLine: Sendable, Hashable {
    /// `TRACE: table:chain:type:num`.
    public var text: String
    public var header: TraceHeader?

    public init(text: String, header: TraceHeader?) {
        self.text = text
        self.header = header
    }

    /// The whole line as the kernel prints it, less the fields verdict does not model.
    public var kernelText: String { header.map { text + " " + $0.fields } ?? text }
}
