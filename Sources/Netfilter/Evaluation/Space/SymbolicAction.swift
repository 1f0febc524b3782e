/// What a rule's target does, as the semantic diff follows it. The concrete evaluator's
/// targets (Extensions/) decide the same things; this names them so that two rulesets'
/// walks can be compared.
public enum SymbolicAction: Sendable, Hashable {
    /// No target: the rule only counts.
    case none
    case accept, drop, queue, `return`
    case jump(String), goto(String)
    /// REJECT, with its save text (the kind of answer is part of the outcome).
    case reject(String)
    /// DNAT, SNAT, MASQUERADE, REDIRECT, NETMAP: rewrite, then accept for the table.
    case nat(ExtensionCall)
    /// MARK --set-xmark VALUE/MASK.
    case mark(value: UInt64, mask: UInt64)
    /// CONNMARK --set-xmark VALUE/MASK (only packets with a connection).
    case connmark(value: UInt64, mask: UInt64)
    /// CONNMARK --save-mark / --restore-mark: one mark copied into the other under masks
    /// (`wholly` when both masks are full: the value is copied as it is).
    case copyMark(toConnection: Bool, text: String, wholly: Bool)
    /// CT --notrack, NOTRACK.
    case notrack
    /// A target that lets the packet go on and is part of what happens to it (LOG,
    /// TCPMSS, ...): `observes` when it changes nothing a match could read.
    case effect(String, observes: Bool)
    /// A target the evaluator does not model: the walk cannot say what follows.
    case undetermined(String)

    /// Targets that only watch the packet: logging, tracing, accounting.
    static let observers: Set<String> = ["LOG", "NFLOG", "ULOG", "TRACE", "AUDIT", "LED", "IDLETIMER", "CHECKSUM", "TEE"]

    public init(_ target: RuleTarget) {
        switch target {
        case .none: self = .none
        case .verdict(.accept): self = .accept
        case .verdict(.drop): self = .drop
        case .verdict(.queue): self = .queue
        case .verdict(.return): self = .return
        case .jump(let chain): self = .jump(chain)
        case .goto(let chain): self = .goto(chain)
        case .extension(let call): self = SymbolicAction(call)
        }
    }

    init(_ call: ExtensionCall) {
        let name = call.spec.name
        var text: String { SymbolicAction.text(of: call) }
        guard let apply = call.spec.apply else {
            self = .undetermined("target \(name) is not modelled")
            return
        }
        switch name {
        case "REJECT": self = .reject(text)
        case "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP": self = .nat(call)
        case "MARK":
            if case .masked(let value, let mask)? = call.setting("set-xmark")?.value {
                self = .mark(value: value, mask: mask)
            } else {
                self = .undetermined("MARK without --set-xmark")
            }
        case "CONNMARK":
            if case .masked(let value, let mask)? = call.setting("set-xmark")?.value {
                self = .connmark(value: value, mask: mask)
            } else {
                let full: OptionValue = .number(0xFFFF_FFFF)
                self = .copyMark(toConnection: call.has("save-mark"), text: text,
                                 wholly: call.setting("nfmask")?.value == full && call.setting("ctmask")?.value == full)
            }
        case "NOTRACK": self = .notrack
        case "CT" where call.has("notrack"): self = .notrack
        default:
            // The target's own verdict, read off a neutral packet.
            var probe = Packet()
            switch apply(call, &probe) {
            case .continue: self = .effect(text, observes: SymbolicAction.observers.contains(name))
            case .verdict(.accept): self = .accept
            case .verdict(.drop): self = .drop
            case .verdict(.queue): self = .queue
            case .verdict(.return): self = .return
            }
        }
    }

    /// `-j NAME options`, the target's save text.
    public static func text(of call: ExtensionCall) -> String {
        var writer = SaveWriter()
        writer.word("-j")
        writer.word(call.spec.name)
        call.spec.printOptions(call, to: &writer)
        return String(writer.text.dropFirst())
    }

    /// A target's save text without its leading `-j` (`REJECT --reject-with tcp-reset`).
    public static func bare(_ text: String) -> String { text.hasPrefix("-j ") ? String(text.dropFirst(3)) : text }

    /// Whether the rule's target is one whose run is part of the outcome (an effect).
    public var effectText: String? {
        if case .effect(let text, _) = self { return text }
        return nil
    }
}

extension SymbolicAction {
    /// The fields a NAT target rewrites at a hook, as the concrete targets do: the first
    /// address and port of a range; MASQUERADE's address and REDIRECT's outside OUTPUT
    /// depend on the host's device addresses, NETMAP maps a prefix (followed as opaque).
    static func natRewrites(_ call: ExtensionCall, hook: Hook?, family: Family) -> [(PacketField, FieldRewrite)] {
        func first(_ value: OptionValue?) -> (address: IPAddress?, port: UInt16?) {
            guard case .tuple(let parts)? = value, parts.count == 3 else { return (nil, nil) }
            var address: IPAddress?
            var port: UInt16?
            if case .addressRange(let low, _) = parts[0] { address = low }
            if case .ports(let ranges) = parts[1], let range = ranges.first { port = range.first }
            return (address, port)
        }
        func ports(_ field: PacketField) -> [(PacketField, FieldRewrite)] {
            if case .ports(let ranges)? = call.setting("to-ports")?.value, let range = ranges.first {
                return [(field, .value(UInt128(range.first)))]
            }
            return []
        }
        var text: String { SymbolicAction.text(of: call) }
        switch call.spec.name {
        case "DNAT", "SNAT":
            let isDestination = call.spec.name == "DNAT"
            let range = first(call.setting(isDestination ? "to-destination" : "to-source")?.value)
            var changes: [(PacketField, FieldRewrite)] = []
            if let address = range.address { changes.append((isDestination ? .destination : .source, .value(RuleSpace.value(of: address)))) }
            if let port = range.port { changes.append((isDestination ? .destinationPort : .sourcePort, .value(UInt128(port)))) }
            return changes
        case "MASQUERADE":
            return [(.source, .opaque(text))] + ports(.sourcePort)
        case "REDIRECT":
            if hook == .output {
                let loopback: IPAddress = family == .ipv6 ? .v6(IPv6Address(high: 0, low: 1)) : .v4(IPv4Address(127, 0, 0, 1))
                return [(.destination, .value(RuleSpace.value(of: loopback)))] + ports(.destinationPort)
            }
            return [(.destination, .opaque(text))] + ports(.destinationPort)
        default:
            let destination = hook == .prerouting || hook == .output
            return [(destination ? .destination : .source, .opaque(text))]
        }
    }
}
