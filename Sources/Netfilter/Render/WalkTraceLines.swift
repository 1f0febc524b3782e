extension KernelTraceRenderer {
    /// The lines of one walk of `verdict trace RULES` (a hook's tables, or a chain walked
    /// alone when `hook` is nil) with the packet's header at each: the packet described,
    /// with what its class `packets` gives it, as it arrived; `?` for what stays open (a
    /// device the description leaves open where the hook has one).
    public static func traceLines(_ result: WalkResult, described: Packet, packets: PacketCube?, hook: Hook?,
                                  fromStart: Bool) -> [TraceLine] {
        var packet = described.arrived(as: packets.map { PacketSpace(family: described.family, cubes: [$0]) })
        packet.hookState.hook = hook
        let inDevice = packet.hookState.inInterfaceIsOpen ? "?" : packet.hookState.inInterface
        let outDevice = packet.hookState.outInterfaceIsOpen ? "?" : packet.hookState.outInterface
        let entering = TraceHeader(packet, in: inDevice, out: outDevice)
        let leaving = TraceHeader(result.packet, in: inDevice, out: outDevice)
        return traceLines(result.steps, fromStart: fromStart, hook: hook, entering: entering, leaving: leaving)
    }
}
