/// The packets of a flow (or one packet's journeys) through a host: as text, as the
/// kernel's TRACE lines per packet, or as JSON (docs/json.md, `verdict flow`).
public enum PathRenderer {
    static func header(_ flowPacket: FlowPacket) -> String {
        "\(flowPacket.direction.rawValue) \(PacketDescription.endpoint(flowPacket.packet.source, flowPacket.packet.sourcePort)) > "
            + PacketDescription.endpoint(flowPacket.packet.destination, flowPacket.packet.destinationPort)
    }

    static func fateText(_ fate: PacketFate) -> String {
        switch fate {
        case .delivered(let device): return "ACCEPT: delivered to a local process (in on \(device))"
        case .sent(let device): return "ACCEPT: sent out of \(device)"
        case .dropped(let reason): return reason.hasPrefix("at ") ? "DROP \(reason)" : "DROP: \(reason)"
        case .undetermined(let reason): return "undetermined: \(reason)"
        }
    }

    static func routingText(_ decision: RoutingDecision) -> String {
        switch decision {
        case .local(let device): return "route: local (for this host, \(device))"
        case .broadcast(let device): return "route: broadcast on \(device)"
        case .forward(let device, let gateway, _): return "route: out of \(device)" + (gateway.map { " via \($0)" } ?? "")
        case .unroutable(let reason): return "route: none (\(reason))"
        }
    }

    /// `# request SRC > DST` per packet, then the TRACE lines the kernel logs for it, each
    /// with the packet's fields at that point (`TraceHeader.fields`).
    public static func kernel(_ packets: [FlowPacket], fromStart: Bool) -> String {
        lines(packets) { outcome in outcome.traceLines(fromStart: fromStart).map(\.kernelText) }
    }

    /// `# request SRC > DST` per packet, a `# class N of M: ...` line before each class where
    /// its classes went different ways, and each class's lines (`lines` of its path).
    public static func lines(_ packets: [FlowPacket], of lines: (PathOutcome) -> [String]) -> String {
        var out = ""
        for flowPacket in packets {
            out += "# \(header(flowPacket))\n"
            for (position, outcome) in flowPacket.outcomes.enumerated() {
                if flowPacket.outcomes.count > 1 {
                    out += "# class \(position + 1) of \(flowPacket.outcomes.count): "
                        + classes(flowPacket, outcome).joined(separator: " or ") + "\n"
                }
                for line in lines(outcome) { out += line + "\n" }
            }
        }
        return out
    }

    /// The readable explanation: per packet, its path (routing, bridge, hooks with every
    /// rule visited) and its fate.
    public static func text(_ packets: [FlowPacket], ruleset: Ruleset, notes: [String], colour: Bool = false) -> String {
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let rules = RuleBook(ruleset)
        var out = ""
        for note in notes { out += "note: \(note)\n" }
        for flowPacket in packets {
            out += paint("\(header(flowPacket)) (\(PacketDescription.protocolName(flowPacket.packet)), from \(flowPacket.origin))", "1") + "\n"
            for (position, outcome) in flowPacket.outcomes.enumerated() {
                if flowPacket.outcomes.count > 1 {
                    let chance = outcome.probability.flatMap { $0 < 1 ? " (probability \(ChainWalker.percent($0)))" : nil } ?? ""
                    out += "  class \(position + 1) of \(flowPacket.outcomes.count)\(chance): "
                        + classes(flowPacket, outcome).joined(separator: " or ") + "\n"
                }
                for event in outcome.events {
                    switch event {
                    case .routing(let decision): out += "  \(routingText(decision))\n"
                    case .note, .bridging, .sentDirectly: out += "  \(event.remark ?? "")\n"
                    case .nat(let rewrite):
                        out += "  \(rewrite.description(request: flowPacket.direction == .request))\n"
                    case .bridge(let table, let chain, let devices, _, let steps, _):
                        out += "  ebtables \(table) \(chain) (in \(devices.inPort ?? "-"), out \(devices.outPort ?? "-"), bridge \(devices.bridge))\n"
                        for step in steps { out += "    \(step)\n" }
                    case .hook(let hook, let inDevice, let outDevice, let steps, _, _):
                        out += "  \(hook.rawValue) (in \(inDevice ?? "-"), out \(outDevice ?? "-"))" + (steps.isEmpty ? ": no rules\n" : "\n")
                        out += TextTraceRenderer.stepLines(steps, rules: rules, colour: colour, indent: 1,
                                                           markLast: false)
                    }
                }
                let code: String
                switch outcome.fate {
                case .delivered, .sent: code = "1;32"
                case .dropped: code = "1;31"
                case .undetermined: code = "1;33"
                }
                out += "  " + paint(fateText(outcome.fate), code) + "\n"
                let after = outcome.packet
                if after.source != flowPacket.packet.source || after.destination != flowPacket.packet.destination
                    || after.sourcePort != flowPacket.packet.sourcePort || after.destinationPort != flowPacket.packet.destinationPort {
                    out += "  after NAT: \(PacketDescription.endpoint(after.source, after.sourcePort)) > \(PacketDescription.endpoint(after.destination, after.destinationPort))\n"
                }
            }
        }
        return out
    }

    /// `{"notes": [...], "packets": [{"direction", "src", "dst", "protocol", "in", "out",
    /// "trace", "verdict", "fate", "hooks", ...}]}`: one entry per packet and outcome.
    public static func json(_ packets: [FlowPacket], notes: [String], fromStart: Bool) -> String {
        func quote(_ text: String) -> String { JSONText.string(text) }
        func optional(_ text: String?) -> String { text.map(quote) ?? "null" }
        var entries: [String] = []
        for flowPacket in packets {
            for (position, outcome) in flowPacket.outcomes.enumerated() {
                let hooks = outcome.events.compactMap { event -> String? in
                    if case .bridge(let table, let chain, let devices, let logLines, _, let verdict) = event {
                        return "{\"hook\": \(quote("eb:\(table):\(chain)")), \"in\": \(optional(devices.inPort)), \"out\": \(optional(devices.outPort)), "
                            + "\"verdict\": \(optional(verdict?.rawValue)), \"trace\": [" + logLines.filter { !$0.isEmpty }.map(quote).joined(separator: ", ") + "]}"
                    }
                    guard case .hook(let hook, let inDevice, let outDevice, let steps, let verdict, _) = event else {
                        return nil
                    }
                    return "{\"hook\": \(quote(hook.rawValue)), \"in\": \(optional(inDevice)), \"out\": \(optional(outDevice)), "
                        + "\"verdict\": \(optional(verdict?.rawValue)), \"trace\": ["
                        + KernelTraceRenderer.lines(steps, fromStart: fromStart).map(quote).joined(separator: ", ") + "]}"
                }
                let path = outcome.events.compactMap { event -> String? in
                    switch event {
                    case .routing(let decision): return quote(routingText(decision))
                    case .note, .bridging, .sentDirectly: return event.remark.map(quote)
                    case .hook, .bridge, .nat: return nil
                    }
                }
                let nat = outcome.events.compactMap { event -> String? in
                    guard case .nat(let rewrite) = event else { return nil }
                    let by: String
                    switch rewrite.cause {
                    case .target(let name): by = name
                    case .binding: by = "conntrack"
                    }
                    return "{\"hook\": \(quote(rewrite.hook.rawValue)), \"rewrites\": \(quote(rewrite.end.rawValue)), "
                        + "\"by\": \(quote(by)), \"to\": \(quote(rewrite.endpoint))}"
                }
                var out: String?
                if case .sent(let device) = outcome.fate { out = device }
                let lines = outcome.traceLines(fromStart: fromStart)
                let fields = [
                    "\"direction\": \(quote(flowPacket.direction.rawValue))",
                    "\"src\": \(quote(PacketDescription.endpoint(flowPacket.packet.source, flowPacket.packet.sourcePort)))",
                    "\"dst\": \(quote(PacketDescription.endpoint(flowPacket.packet.destination, flowPacket.packet.destinationPort)))",
                    "\"protocol\": \(quote(PacketDescription.protocolName(flowPacket.packet)))",
                    "\"in\": \(quote(flowPacket.origin.description))",
                    "\"out\": \(optional(out))",
                    "\"outcome\": \(position + 1)", "\"outcomes\": \(flowPacket.outcomes.count)",
                    "\"packets\": [" + classes(flowPacket, outcome).map(quote).joined(separator: ", ") + "]",
                    "\"assumptions\": [" + outcome.assumptions.map(quote).joined(separator: ", ") + "]",
                    "\"probability\": " + (outcome.probability.map { String($0) } ?? "null"),
                    "\"trace\": [" + lines.map { quote($0.text) }.joined(separator: ", ") + "]",
                    "\"lines\": [" + lines.map(TraceLineJSON.object).joined(separator: ", ") + "]",
                    "\"verdict\": \(quote(outcome.verdictText))",
                    "\"refusal\": \(optional(flowPacket.refusal))",
                    "\"fate\": \(quote(fateText(outcome.fate)))",
                    "\"after\": \(quote(PacketDescription.endpoint(outcome.packet.source, outcome.packet.sourcePort) + " > " + PacketDescription.endpoint(outcome.packet.destination, outcome.packet.destinationPort)))",
                    "\"path\": [" + path.joined(separator: ", ") + "]",
                    "\"nat\": [" + nat.joined(separator: ", ") + "]",
                    "\"hooks\": [" + hooks.joined(separator: ", ") + "]",
                ]
                entries.append("{" + fields.joined(separator: ", ") + "}")
            }
        }
        return "{\"notes\": [" + notes.map(quote).joined(separator: ", ") + "], \"packets\": [" + entries.joined(separator: ", ") + "]}"
    }

    /// The class of packets an outcome is for, in the compact form with its conditions (one
    /// entry per class, the packet itself when it was not split).
    static func classes(_ flowPacket: FlowPacket, _ outcome: PathOutcome) -> [String] {
        var packet = flowPacket.packet
        packet.hookState.inInterface = nil
        packet.hookState.outInterface = nil
        guard let packets = outcome.packets else { return [PacketDescription.format(packet, class: nil)] }
        return packets.cubes.map { PacketDescription.classText(packet, class: $0) }
    }
}
