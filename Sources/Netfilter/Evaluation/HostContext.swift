/// What the rules may read of the host rather than of the packet: the local addresses and
/// routing table addrtype reads, the device addresses MASQUERADE and REDIRECT pick from,
/// how the host chooses a source address, its ipsets. Built once per snapshot (or from a
/// packet description's `--local-address`) and shared by every packet walked through its
/// rules, as the kernel's matches read the namespace's state, not the skb.
public struct HostContext: Sendable, Hashable {
    /// The addresses local to the host (addrtype LOCAL); nil when not described.
    public var localAddresses: Set<IPAddress>?
    /// Each device's addresses, primary first; nil when not described.
    public var deviceAddresses: [String: [IPAddress]]?
    /// How the host picks a source address for MASQUERADE (IPv4); nil when not known.
    public var sourceSelection: SourceSelection?
    /// The host's ipsets (a snapshot's ipset.save); nil when not known.
    public var ipsets: IPSets?
    /// The host's local routing table, for addrtype; nil when not known.
    public var addressTypes: AddressTypes?

    public init(localAddresses: Set<IPAddress>? = nil, deviceAddresses: [String: [IPAddress]]? = nil,
                sourceSelection: SourceSelection? = nil, ipsets: IPSets? = nil, addressTypes: AddressTypes? = nil) {
        self.localAddresses = localAddresses
        self.deviceAddresses = deviceAddresses
        self.sourceSelection = sourceSelection
        self.ipsets = ipsets
        self.addressTypes = addressTypes
    }
}

extension HostContext {
    /// The addresses of a family by their type as the host's local routing table gives it
    /// (`LOCAL`, `UNICAST`, `BROADCAST`, ...; through one device when `device` is given), or,
    /// without the table, LOCAL and UNICAST from the local addresses; nil when neither is
    /// known. What addrtype and nft's `fib ... type` read.
    func addressTypePartition(_ family: Family, device: String?) -> [(addresses: IntervalSet, type: String)]? {
        if let table = addressTypes, family == .ipv4 { return table.partition(family, device: device) }
        guard let local = localAddresses, device == nil else { return nil }
        let locals = IntervalSet(intervals: local.filter { $0.family == family }.map { address in
            let value = RuleSpace.value(of: address)
            return IntervalSet.Interval(value, value)
        })
        return [(locals, "LOCAL"), (IntervalSet(0, PacketField.source.maximum(family)).subtracting(locals), "UNICAST")]
    }
}

extension HostContext {
    /// The source address masquerading picks (nf_nat_masquerade_ipv4: inet_select_addr on
    /// the out device, `SourceSelection`; IPv6: the device's first global address); nil
    /// without the host's device addresses.
    func masqueradeSource(outOf device: String?, toward destination: IPAddress?, family: Family) -> IPAddress? {
        device.flatMap { device in
            if family == .ipv4, let selection = sourceSelection {
                return selection.source(outOf: device, toward: destination)
            }
            return deviceAddresses?[device]?.first { $0.family == family && !$0.isLinkLocal }
        }
    }

    /// The destination a redirect picks (nf_nat_redirect_ipv4/ipv6): the loopback address for
    /// a locally generated packet, else the in device's primary address (nil without the
    /// host's device addresses).
    func redirectDestination(hook: Hook?, inDevice: String?, family: Family) -> IPAddress? {
        if hook == .output {
            return family == .ipv6 ? .v6(IPv6Address(high: 0, low: 1)) : .v4(IPv4Address(127, 0, 0, 1))
        }
        return inDevice.flatMap { device in deviceAddresses?[device]?.first { $0.family == family } }
    }
}
