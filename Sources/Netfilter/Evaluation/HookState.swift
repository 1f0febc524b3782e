/// Where a packet is as the rules see it, like the kernel's `nf_hook_state`: the hook and
/// its input and output devices, with the skb's nf_trace bit.
public struct HookState: Sendable, Hashable {
    /// The hook the packet is at, set by the walk (NETMAP maps the destination at
    /// PREROUTING and OUTPUT, the source at POSTROUTING and INPUT).
    public var hook: Hook?
    /// The input and output devices. `""` is none (the kernel's empty name). nil is not
    /// given: none where the hook has no such device (OUTPUT has no input device,
    /// PREROUTING and INPUT no output device), any device where it has one (the device is
    /// open, see `inInterfaceIsOpen`).
    public var inInterface: String? { didSet { inInterfaceKey = DeviceKey(inInterface ?? "") } }
    public var outInterface: String? { didSet { outInterfaceKey = DeviceKey(outInterface ?? "") } }
    /// The device names as the kernel compares them (see `DeviceKey`), kept in step.
    private(set) var inInterfaceKey = DeviceKey("")
    private(set) var outInterfaceKey = DeviceKey("")
    /// The kernel's nf_trace bit: set by the TRACE target, it makes later rules log.
    public var traced = false

    public init(hook: Hook? = nil, inInterface: String? = nil, outInterface: String? = nil) {
        self.hook = hook
        self.inInterface = inInterface
        self.outInterface = outInterface
        inInterfaceKey = DeviceKey(inInterface ?? "")
        outInterfaceKey = DeviceKey(outInterface ?? "")
    }

    /// Whether the input device is open: not given where the packet has one (at a hook with
    /// an input device, or in a chain walked alone, where it may also be none).
    public var inInterfaceIsOpen: Bool { inInterface == nil && (hook?.hasInputDevice ?? true) }
    /// Whether the output device is open (see `inInterfaceIsOpen`).
    public var outInterfaceIsOpen: Bool { outInterface == nil && (hook?.hasOutputDevice ?? true) }
}
