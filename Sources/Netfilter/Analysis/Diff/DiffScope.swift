/// What a semantic diff compares: every hook (the default), some hooks, or one chain
/// walked alone; optionally only packets that arrive on one device or are sent locally.
public struct DiffScope: Sendable, Hashable {
    /// The hooks to compare (every table at each, in the kernel's order).
    public var hooks: [Hook]
    /// One chain walked alone instead (`filter/DOCKER-USER`), as `verdict trace --chain` does.
    public var chain: (table: String, chain: String)?
    /// Only packets from this origin: a device they arrive on, or the host itself.
    public var origin: PacketOrigin?

    public init(hooks: [Hook] = Hook.allCases, chain: (table: String, chain: String)? = nil, origin: PacketOrigin? = nil) {
        self.hooks = hooks
        self.chain = chain
        self.origin = origin
    }

    public static func == (lhs: DiffScope, rhs: DiffScope) -> Bool {
        lhs.hooks == rhs.hooks && lhs.chain?.table == rhs.chain?.table && lhs.chain?.chain == rhs.chain?.chain && lhs.origin == rhs.origin
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hooks)
        hasher.combine(chain?.table)
        hasher.combine(chain?.chain)
        hasher.combine(origin)
    }

    /// One walk the diff makes: a hook, or the chain.
    public enum Walk: Sendable, Hashable, CustomStringConvertible {
        case hook(Hook)
        case chain(table: String, chain: String)

        public var description: String {
            switch self {
            case .hook(let hook): return hook.rawValue
            case .chain(let table, let chain): return "\(table)/\(chain)"
            }
        }

        /// The hook the walk's packets are at, if it is one.
        public var hook: Hook? {
            switch self {
            case .hook(let hook): return hook
            case .chain(_, let chain): return Hook(rawValue: chain)
            }
        }
    }

    /// The walks, in packet order.
    public var walks: [Walk] {
        if let chain { return [.chain(table: chain.table, chain: chain.chain)] }
        return hooks.sorted().filter { hook in
            switch origin {
            case .local?: return hook == .output || hook == .postrouting
            case .device?: return hook != .output
            case nil: return true
            }
        }.map(Walk.hook)
    }

    /// The packets a walk starts with: the devices the hook has (an input device at
    /// PREROUTING, INPUT and FORWARD; an output device at FORWARD, OUTPUT and POSTROUTING;
    /// the kernel's empty name where it has none), narrowed to the origin.
    public func entry(_ walk: Walk, family: Family) -> PacketSpace {
        let none = IntervalSet(value: 0)
        // Names of at least one byte: the first byte is not zero.
        let some = IntervalSet(UInt128(1) << 120, PacketField.inInterface.maximum(family))
        var cube = PacketCube()
        if let hook = walk.hook, case .hook = walk {
            switch hook {
            case .prerouting, .input:
                cube.restrict(.inInterface, to: .intervals(some))
                cube.restrict(.outInterface, to: .intervals(none))
            case .forward:
                cube.restrict(.inInterface, to: .intervals(some))
                cube.restrict(.outInterface, to: .intervals(some))
            case .output:
                cube.restrict(.inInterface, to: .intervals(none))
                cube.restrict(.outInterface, to: .intervals(some))
            case .postrouting:
                cube.restrict(.outInterface, to: .intervals(some))
            }
        }
        switch origin {
        case .local?: cube.restrict(.inInterface, to: .intervals(none))
        case .device(let name)?: cube.restrict(.inInterface, to: .intervals(InterfaceName(name).encodedRange))
        case nil: break
        }
        if family == .ipv6 { cube.restrict(.fragment, to: .intervals(IntervalSet(value: 0))) }
        return PacketSpace(family: family, cubes: [cube])
    }
}
