// libxt_dscp.c, libxt_DSCP.c / net/netfilter/xt_dscp.c, xt_DSCP.c: the DSCP field.

extension ExtensionSpec {
    static let dscpClasses: [String: UInt64] = [
        "cs0": 0, "cs1": 8, "cs2": 16, "cs3": 24, "cs4": 32, "cs5": 40, "cs6": 48, "cs7": 56,
        "be": 0, "af11": 10, "af12": 12, "af13": 14, "af21": 18, "af22": 20, "af23": 22,
        "af31": 26, "af32": 28, "af33": 30, "af41": 34, "af42": 36, "af43": 38, "ef": 46,
    ]

    static let dscpValue = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        .number(try parseNumber(arguments[0], in: 0...63, name: "DSCP"))
    }, print: { value, writer in
        if case .number(let number) = value { writer.word("0x" + hex2(number)) }
    })

    static let dscpClass = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        guard let value = dscpClasses[arguments[0].lowercased()] else {
            throw ValueError("unknown DSCP class \"\(arguments[0])\"")
        }
        return .number(value)
    }, print: { value, writer in
        if case .number(let number) = value { writer.word("0x" + hex2(number)) }
    })

    /// Turns `--…-class NAME` into the numeric option iptables-save prints.
    static func dscpClassToValue(_ classOption: String, _ valueOption: String) -> @Sendable (inout ExtensionCall, inout FinalizeContext) -> Void {
        { call, context in
            if let setting = call.setting(classOption) {
                call.remove(classOption)
                call.set(valueOption, setting.value, negated: setting.negated)
            }
        }
    }

    /// `-m dscp [!] --dscp N | [!] --dscp-class NAME`.
    public static let dscp = ExtensionSpec(
        "dscp", kind: .match,
        options: [
            OptionSpec("dscp", dscpValue, negatable: true),
            OptionSpec("dscp-class", dscpClass, negatable: true),
        ],
        finalize: dscpClassToValue("dscp-class", "dscp"),
        evaluate: { call, packet in
            guard let setting = call.setting("dscp"), case .number(let value) = setting.value else { return .matches }
            guard let tos = packet.tos else { return .unknown("--dscp: the packet's DSCP was not given") }
            return MatchOutcome.check(UInt64(tos >> 2) == value, "DSCP \(tos >> 2) is not \(value)").negated(setting.negated, "DSCP \(value)")
        }, listing: .dscp, groups: [.exactlyOne("dscp", "dscp-class")])

    /// `-j DSCP --set-dscp N | --set-dscp-class NAME`, mangle table.
    public static let dscpTarget = ExtensionSpec(
        "DSCP", kind: .target,
        options: [
            OptionSpec("set-dscp", dscpValue),
            OptionSpec("set-dscp-class", dscpClass),
        ],
        tables: ["mangle"],
        finalize: dscpClassToValue("set-dscp-class", "set-dscp"), listing: .dscpTarget,
        groups: [.exactlyOne("set-dscp", "set-dscp-class")])
}

// libxt_dscp.c dscp_print: `DSCP match [!]0xNN`; libxt_DSCP.c DSCP_print: `DSCP set 0xNN`.
extension ListingForm {
    static let dscp = ListingForm(leads: ["DSCP match"]) { reader in
        readMarkMatch(&reader, leads: ["DSCP match"], option: "dscp")
    }
    static let dscpTarget = ListingForm.keywords(lead: "DSCP", [ListingKeyword("set", "set-dscp")])
}
