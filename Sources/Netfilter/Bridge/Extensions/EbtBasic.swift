// ebtables' own options (xtables-eb.c ebt_original_options) and what the kernel does with
// them (net/bridge/netfilter/ebtables.c ebt_basic_match): the Ethernet protocol, the bridge
// ports and the bridge, the MAC addresses.

extension EbtablesModule {
    static let basic = EbtablesModule("", .basic, options: [
        EbtablesOption(["-p", "--protocol", "--proto"], module: "", .etherType),
        EbtablesOption(["-i", "--in-interface", "--in-if"], module: "", .interface),
        EbtablesOption(["-o", "--out-interface", "--out-if"], module: "", .interface),
        EbtablesOption(["--logical-in"], module: "", .interface),
        EbtablesOption(["--logical-out"], module: "", .interface),
        EbtablesOption(["-s", "--source", "--src"], module: "", .macWithMask),
        EbtablesOption(["-d", "--destination", "--dst"], module: "", .macWithMask),
        EbtablesOption(["-j", "--jump"], module: "", .target, negatable: false),
        EbtablesOption(["-c", "--set-counters"], module: "", .number(max: UInt64.max), words: 2, negatable: false),
    ], read: nil)

    static let byteLimit = UInt64(0xFF)
    static let wordLimit = UInt64(0xFFFF)
}

/// ebt_basic_match: the rule's own fields, read from its options and checked against a frame.
enum EbtBasic {
    /// Puts one of ebtables' own options into the rule's fields.
    static func apply(_ written: EbtablesRule.WrittenOption, to rule: inout EbtablesRule) {
        let negated = written.negated
        let value = written.values.first ?? ""
        func interface() -> Negatable<InterfaceName> { Negatable(InterfaceName(value), negated: negated) }
        switch written.option.name {
        case "-p": rule.etherType = EtherTypes.number(value).map { Negatable($0, negated: negated) }
        case "-i": rule.inInterface = interface()
        case "-o": rule.outInterface = interface()
        case "--logical-in": rule.logicalIn = interface()
        case "--logical-out": rule.logicalOut = interface()
        case "-s": rule.sourceMAC = EbtablesParser.mac(value).map { Negatable($0, negated: negated) }
        case "-d": rule.destinationMAC = EbtablesParser.mac(value).map { Negatable($0, negated: negated) }
        case "-j": rule.target = value
        default: break
        }
    }

    /// xtables-eb.c: -i and --logical-in where the hook has an in device; -o and
    /// --logical-out where it has an out one.
    static func deviceProblems(_ rule: EbtablesRule, chain: String) -> [EbtablesModule.Problem] {
        rule.options.compactMap { option in
            let name = option.option.name
            if ["-i", "--logical-in"].contains(name), ["OUTPUT", "POSTROUTING"].contains(chain) {
                return ("Use \(name) only in INPUT, FORWARD, PREROUTING and BROUTING chains", option)
            } else if ["-o", "--logical-out"].contains(name), ["INPUT", "PREROUTING", "BROUTING"].contains(chain) {
                return ("Use \(name) only in OUTPUT, FORWARD and POSTROUTING chains", option)
            }
            return nil
        }
    }

    /// The Ethernet protocol of the frames verdict walks: untagged Ethernet II frames
    /// carrying the packet's family.
    static func etherType(_ packet: Packet) -> UInt16 { packet.family == .ipv6 ? 0x86DD : 0x0800 }

    /// ebt_basic_match for a frame: -p, the devices, the MAC addresses (an open one a
    /// condition named by the rule's place).
    static func check(_ rule: EbtablesRule, _ packet: Packet, _ devices: BridgeDevices,
                      place: String) -> EbtablesCheck {
        if let type = rule.etherType {
            let actual = etherType(packet)
            if !type.passes(actual == type.value) {
                return .fails("-p \(String(type.value, radix: 16)): the frame is \(String(actual, radix: 16))")
            }
        }
        // The bridge is the logical device where the hook has a port on that side.
        let inBridge = devices.inPort.map { _ in devices.bridge }
        let outBridge = devices.outPort.map { _ in devices.bridge }
        for (option, condition, device) in [("-i", rule.inInterface, devices.inPort),
                                            ("-o", rule.outInterface, devices.outPort),
                                            ("--logical-in", rule.logicalIn, inBridge),
                                            ("--logical-out", rule.logicalOut, outBridge)] {
            guard let condition else { continue }
            if !condition.passes(condition.value.matches(device ?? "")) {
                return .fails("\(option) \(condition.value): device is \(device ?? "none")")
            }
        }
        var open = EbtablesOpenConditions(packet.family)
        for (option, condition, mac) in [("-s", rule.sourceMAC, packet.sourceMAC),
                                         ("-d", rule.destinationMAC, packet.destinationMAC)] {
            guard let condition else { continue }
            guard let mac else {
                open.condition("\(place) \(option) (the frame's MAC address)")
                continue
            }
            if !condition.passes(mac.value & condition.value.mask == condition.value.address) {
                return .fails("\(option): MAC \(mac)")
            }
        }
        return open.result
    }
}
