// libebt_stp.c / net/bridge/netfilter/ebt_stp.c: the fields of STP BPDUs. ebt_stp_mt reads
// the frame's first three bytes after the MAC header and matches nothing unless they are
// the LLC header 42 42 03, whatever the options and their `!`: an IPv4 header starts with
// 0x4_, an IPv6 one with 0x6_, so it fails for every frame verdict walks.

extension EbtablesModule {
    /// `--stp-type`, `--stp-flags` and the BPDU's numbers and addresses.
    static let stp = EbtablesModule("stp", .match, options: [
        EbtablesOption(["--stp-type"], module: "", .word(["config", "tcn"], orNumberUpTo: byteLimit)),
        EbtablesOption(["--stp-flags"], module: "", .word(["topology-change", "topology-change-ack"],
                                                           orNumberUpTo: byteLimit)),
        EbtablesOption(["--stp-root-prio"], module: "", .numberRange(max: wordLimit)),
        EbtablesOption(["--stp-root-addr"], module: "", .macWithMask),
        EbtablesOption(["--stp-root-cost"], module: "", .numberRange(max: 0xFFFF_FFFF)),
        EbtablesOption(["--stp-sender-prio"], module: "", .numberRange(max: wordLimit)),
        EbtablesOption(["--stp-sender-addr"], module: "", .macWithMask),
        EbtablesOption(["--stp-port"], module: "", .numberRange(max: wordLimit)),
        EbtablesOption(["--stp-msg-age"], module: "", .numberRange(max: wordLimit)),
        EbtablesOption(["--stp-max-age"], module: "", .numberRange(max: wordLimit)),
        EbtablesOption(["--stp-hello-time"], module: "", .numberRange(max: wordLimit)),
        EbtablesOption(["--stp-forward-delay"], module: "", .numberRange(max: wordLimit)),
    ], read: EbtSTP.init)
}

/// The stp match's options, typed.
struct EbtSTP: EbtablesExtension {
    /// A range of one of the BPDU's numbers (`--stp-root-cost 10:20`).
    struct Range: Sendable, Hashable {
        var option: String
        var values: Negatable<ClosedRange<UInt64>>
    }

    /// The BPDU type (config 0, tcn 0x80) and flags (topology-change 1, -ack 0x80).
    var type: Negatable<UInt8>?
    var flags: Negatable<UInt8>?
    var rootAddress: Negatable<EbtablesRule.MACCondition>?
    var senderAddress: Negatable<EbtablesRule.MACCondition>?
    var ranges: [Range] = []

    init(_ options: EbtablesOptions) {
        func byte(_ names: [String: UInt8]) -> (String) -> UInt8? {
            { names[$0.lowercased()] ?? EbtablesValue.number($0).flatMap(UInt8.init(exactly:)) }
        }
        type = options.value("--stp-type", byte(["config": 0, "tcn": 0x80]))
        flags = options.value("--stp-flags", byte(["topology-change": 1, "topology-change-ack": 0x80]))
        rootAddress = options.value("--stp-root-addr", EbtablesParser.mac)
        senderAddress = options.value("--stp-sender-addr", EbtablesParser.mac)
        for written in options.written where written.option.value.map(Self.isRange) == true {
            let max: UInt64 = written.option.name == "--stp-root-cost" ? 0xFFFF_FFFF : 0xFFFF
            if let values = options.value(written.option.name, {
                EbtablesValue.range($0, max: max, decimal: false).map { $0.0...$0.1 }
            }) {
                ranges.append(Range(option: written.option.name, values: values))
            }
        }
    }

    private static func isRange(_ value: EbtablesValue) -> Bool {
        if case .numberRange = value { return true }
        return false
    }

    func check(_ packet: Packet, place: String) -> EbtablesCheck {
        .otherFrames("stp", reads: "STP BPDUs (LLC header 42 42 03)", packet)
    }
}
