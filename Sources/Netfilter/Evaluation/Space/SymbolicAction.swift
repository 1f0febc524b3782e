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

    /// What the extension declares it does (its traits, its `symbolic` form), else its own
    /// verdict read off a neutral packet.
    init(_ call: ExtensionCall) {
        let spec = call.spec
        guard let apply = spec.apply else {
            self = .undetermined("target \(spec.name) is not modelled")
            return
        }
        if let symbolic = spec.symbolic {
            self = symbolic(call)
        } else if spec.traits.contains(.answersSender) {
            self = .reject(SymbolicAction.text(of: call))
        } else if spec.nat != nil {
            self = .nat(call)
        } else {
            var probe = Packet()
            switch apply(call, &probe) {
            case .continue:
                self = .effect(SymbolicAction.text(of: call), observes: spec.traits.contains(.observes))
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
    /// The fields a NAT target rewrites at a hook, as the concrete targets do (each NAT
    /// target declares them in its file: `ExtensionSpec.natRewrites`).
    static func natRewrites(_ call: ExtensionCall, hook: Hook?, family: Family) -> [(PacketField, FieldRewrite)] {
        call.spec.natRewrites?(call, hook, family) ?? []
    }
}
