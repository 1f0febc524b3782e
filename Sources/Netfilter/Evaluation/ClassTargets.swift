/// What a target did to fields a description left open: the concrete target (Extensions/)
/// changed the packet where its fields were given; here the walk records what it did to the
/// open ones, as the semantic diff reads it (`SymbolicAction`), so that later rules read the
/// packets as the target left them.
extension TableWalk {
    /// Follows a target's run on the open fields of a part (`before`: the packet before it).
    func follow(_ action: SymbolicAction, before: Packet, _ state: inout State) {
        switch action {
        case .mark(let value, let mask):
            guard before.open.contains(.mark) else { return }
            state.outcome.setBits(.mark, value: value, mask: mask)
        case .connmark(let value, let mask):
            guard before.conntrack.hasConnection, before.conntrack.mark == nil else { return }
            state.outcome.setBits(.connmark, value: value, mask: mask)
        case .copyMark(let toConnection, let text, let wholly):
            guard before.conntrack.hasConnection else { return }
            state.outcome.copyMark(toConnection: toConnection, text: text, wholly: wholly, before: before)
        case .nat(let call):
            let hasPorts = before.protocol.map { ExtensionSpec.natPortProtocols.contains($0) } ?? false
            let portOpen = hasPorts
                && (state.outcome.packet.sourcePort == nil || state.outcome.packet.destinationPort == nil)
            guard portOpen || state.outcome.packet.source == nil || state.outcome.packet.destination == nil else {
                return
            }
            state.outcome.followNAT(call, hook: before.hookState.hook)
        case .effect(let text, let observes):
            guard state.outcome.packets != nil || state.outcome.packet.hasOpenFields else { return }
            state.outcome.environment.addEffect(text)
            if !observes { state.outcome.environment.tags.append(text) }
        default:
            break
        }
    }
}

extension SymbolicAction {
    /// Whether what the target does depends on the packet having a connection (CONNMARK).
    var readsConnection: Bool {
        switch self {
        case .connmark, .copyMark: return true
        default: return false
        }
    }
}

extension Packet {
    /// Whether some field the algebra models is open.
    var hasOpenFields: Bool {
        source == nil || destination == nil || self.protocol == nil || !open.isEmpty || conntrack.state == nil
            || hookState.inInterfaceIsOpen || hookState.outInterfaceIsOpen
    }
}

extension WalkResult {
    /// `(field & ~mask) ^ value` on an open mark or connmark: recorded as bits of the
    /// arrived value, or a value when the mask covers every bit.
    mutating func setBits(_ field: PacketField, value: UInt64, mask: UInt64) {
        let rewrite = environment.setBits(field, value: value, mask: mask)
        if case .bits(let keep, let flip, _) = rewrite, keep == 0 {
            environment.rewrites[field] = nil
            setValue(field, UInt32(truncatingIfNeeded: flip))
        } else if case .value(let constant) = rewrite {
            environment.rewrites[field] = nil
            setValue(field, UInt32(truncatingIfNeeded: constant))
        } else {
            setOpen(field)
        }
    }

    private mutating func setValue(_ field: PacketField, _ value: UInt32) {
        if field == .mark {
            packet.mark = value
            packet.open.remove(.mark)
        } else {
            packet.conntrack.mark = value
        }
    }

    private mutating func setOpen(_ field: PacketField) {
        if field == .mark { packet.open.insert(.mark) } else { packet.conntrack.mark = nil }
    }

    /// CONNMARK --save-mark (mark into connmark) or --restore-mark (the other way) where
    /// one of the two is open.
    mutating func copyMark(toConnection: Bool, text: String, wholly: Bool, before: Packet) {
        let to: PacketField = toConnection ? .connmark : .mark
        let fromOpen = toConnection ? before.open.contains(.mark) : before.conntrack.mark == nil
        let toOpen = toConnection ? before.conntrack.mark == nil : before.open.contains(.mark)
        if !fromOpen && !toOpen { return }
        if !fromOpen {
            // The copied value is known; the kept bits of the target field are not.
            let known = UInt64(toConnection ? before.mark : (before.conntrack.mark ?? 0))
            if wholly {
                environment.rewrites[to] = nil
                setValue(to, UInt32(truncatingIfNeeded: known))
            } else {
                environment.rewrites[to] = .opaque(text)
                setOpen(to)
            }
            return
        }
        environment.copyMark(toConnection: toConnection, text: text, wholly: wholly)
        setOpen(to)
    }

    /// A NAT target's rewrites where the packet's fields are open or the host cannot tell
    /// the address (MASQUERADE without the device's address).
    mutating func followNAT(_ call: ExtensionCall, hook: Hook?) {
        let hasPorts = packet.protocol.map { ExtensionSpec.natPortProtocols.contains($0) } ?? false
        for (field, rewrite) in SymbolicAction.natRewrites(call, hook: hook, family: packet.family) {
            switch rewrite {
            case .value(let value):
                environment.rewrites[field] = nil
                switch field {
                case .destinationPort where hasPorts && packet.destinationPort == nil:
                    packet.destinationPort = UInt16(truncatingIfNeeded: value)
                case .sourcePort where hasPorts && packet.sourcePort == nil:
                    packet.sourcePort = UInt16(truncatingIfNeeded: value)
                default:
                    break
                }
            default:
                let resolved = field == .source ? packet.source != nil : field == .destination ? packet.destination != nil : true
                environment.rewrites[field] = resolved ? nil : rewrite
            }
        }
    }
}
