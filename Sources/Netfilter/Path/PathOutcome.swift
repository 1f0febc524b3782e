/// Where a packet enters the host: on a device (which may be a bridge port), or from a
/// local process.
public enum PacketOrigin: Sendable, Hashable, CustomStringConvertible {
    case device(String)
    case local

    /// The origin a user names: `local`, or a device.
    public init(named name: String) {
        self = name == "local" ? .local : .device(name)
    }

    public var description: String {
        switch self {
        case .device(let name): return name
        case .local: return "local"
        }
    }
}

/// One thing that happened to the packet on its way through the host.
public enum PathEvent: Sendable, Hashable {
    /// The tables of an IP hook ran; `inDevice`/`outDevice` are what `-i`/`-o` saw.
    /// `headers`: the packet as it reached the hook and as its tables left it.
    case hook(Hook, inDevice: String?, outDevice: String?, steps: [TraceStep], verdict: StandardVerdict?,
              headers: HookHeaders)
    /// An ebtables chain of a bridge hook ran (`nat`/`PREROUTING`); `logLines` are what its
    /// log watchers printed, `steps` the rules visited.
    case bridge(table: String, chain: String, devices: BridgeDevices, logLines: [String], steps: [EbtablesStep],
                verdict: StandardVerdict?)
    /// NAT done at the hook just before: by a nat rule or the connection's binding.
    case nat(NATRewrite)
    /// The routing decision.
    case routing(RoutingDecision)
    /// A bridge decision: which port, flooding, up to the host.
    case bridging(BridgeDecision)
    /// An answer the host sends straight out of a device without meeting a hook
    /// (nf_send_reset for a bridged packet).
    case sentDirectly(device: String)
    /// Another remark on the path.
    case note(String)
}

/// The packet's header as it reached a hook and as the hook's tables left it (after NAT):
/// each TRACE line's header is rebuilt from them and the steps (`KernelTraceRenderer.traceLines`).
public struct HookHeaders: Sendable, Hashable {
    public var entering: TraceHeader
    public var leaving: TraceHeader

    public init(entering: TraceHeader, leaving: TraceHeader) {
        self.entering = entering
        self.leaving = leaving
    }
}

extension PathEvent {
    /// The text of a bridge decision, a direct send or a remark; nil for hooks and routing.
    public var remark: String? {
        switch self {
        case .bridging(let decision): return decision.description
        case .sentDirectly(let device):
            return "sent straight out of \(device), meeting no hook (nf_send_reset for a bridged packet)"
        case .note(let text): return text
        case .hook, .bridge, .routing, .nat: return nil
        }
    }
}

/// What finally happened to the packet.
public enum PacketFate: Sendable, Hashable {
    /// Delivered to a local process (after INPUT).
    case delivered(device: String)
    /// Sent out of a device (after POSTROUTING, or bridged out of a port).
    case sent(device: String)
    /// Dropped by a verdict at a hook, or by the stack (no route, forwarding off).
    case dropped(String)
    /// The path could not be followed (a target or a fact verdict does not model).
    case undetermined(String)
}

/// One journey through the host, for a class of packets (several when a description left
/// fields open and rules, routes or bridges treat its packets differently).
public struct PathOutcome: Sendable, Hashable {
    public var events: [PathEvent]
    public var fate: PacketFate
    /// The packet as it left (addresses after NAT, marks).
    public var packet: Packet
    /// The packet as it entered, with what the host filled in before any hook (a local
    /// process's source address); nil: as the flow described it.
    public var entered: Packet?
    /// The packets this journey is for, as they arrived (nil: every packet described).
    public var packets: PacketSpace?
    /// What the walks did to the open fields.
    public var environment: SymbolicEnvironment
    public var probability: Double?
    /// The device the packet left by (for a reply, where it comes back in).
    public var exitDevice: String?
    /// What the host sends back when it refused the packet (REJECT's error or reset, a
    /// closed local port's reset or port unreachable).
    public var answer: Packet?
    /// Set when the answer leaves without meeting any hook, straight out of this device
    /// (REJECT's TCP reset for a packet that came through a bridge port).
    public var answerDirectDevice: String?
    /// Whether the answer comes from the refused packet's destination (a closed port's
    /// error, REJECT's error for a local destination): the answer's source stands for it.
    public var answerFromDestination = false

    public init(events: [PathEvent], fate: PacketFate, packet: Packet, packets: PacketSpace? = nil,
                environment: SymbolicEnvironment = SymbolicEnvironment(), probability: Double? = 1,
                exitDevice: String? = nil) {
        self.events = events
        self.fate = fate
        self.packet = packet
        self.packets = packets
        self.environment = environment
        self.probability = probability
        self.exitDevice = exitDevice
    }

    /// The conditions of the class in words (`when [...]`, `unless [...]`).
    public var assumptions: [String] {
        WalkResult(verdict: nil, undetermined: nil, packet: packet, steps: [], packets: packets).assumptions
    }

    /// The TRACE lines the kernel logs along this path (`TRACE: table:chain:type:num`).
    public func kernelLines(fromStart: Bool) -> [String] {
        traceLines(fromStart: fromStart).map(\.text)
    }

    /// The TRACE lines the kernel logs along this path, each with the packet's header at
    /// that point (ebtables' log lines without one).
    public func traceLines(fromStart: Bool) -> [TraceLine] {
        events.flatMap { event -> [TraceLine] in
            switch event {
            case .hook(let hook, _, _, let steps, _, let headers):
                return KernelTraceRenderer.traceLines(steps, fromStart: fromStart, hook: hook,
                                                      entering: headers.entering, leaving: headers.leaving)
            case .bridge(_, _, _, let logLines, _, _):
                return logLines.filter { !$0.isEmpty }.map { TraceLine(text: $0, header: nil) }
            default: return []
            }
        }
    }

    /// The path's last event but NAT's record of a hook: the hook, routing or bridge
    /// decision where it ended.
    public var lastStation: PathEvent? {
        events.last { event in
            if case .nat = event { return false }
            return true
        }
    }

    public var verdictText: String {
        switch fate {
        case .delivered, .sent: return "ACCEPT"
        case .dropped: return "DROP"
        case .undetermined: return "UNDETERMINED"
        }
    }
}
