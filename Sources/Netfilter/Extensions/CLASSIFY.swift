// libxt_CLASSIFY.c / net/netfilter/xt_CLASSIFY.c: set the packet's traffic control class.

extension ExtensionSpec {
    static let trafficClass = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let parts = arguments[0].split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = UInt64(parts[0], radix: 16), let minor = UInt64(parts[1], radix: 16),
              major <= 0xFFFF, minor <= 0xFFFF else {
            throw ValueError("invalid class \"\(arguments[0])\" (MAJOR:MINOR in hex)")
        }
        return .tuple([.number(major), .number(minor)])
    }, print: { value, writer in
        guard case .tuple(let parts) = value, parts.count == 2, case .number(let major) = parts[0],
              case .number(let minor) = parts[1] else { return }
        writer.word(String(hex: major, width: 4) + ":" + String(hex: minor, width: 4))
    })

    /// `-j CLASSIFY --set-class MAJOR:MINOR`, at FORWARD, OUTPUT and POSTROUTING.
    public static let classify = ExtensionSpec(
        "CLASSIFY", kind: .target,
        options: [OptionSpec("set-class", trafficClass, required: true)],
        hooks: [.forward, .output, .postrouting], listing: .classify)
}

// libxt_CLASSIFY.c CLASSIFY_print: `CLASSIFY set MAJOR:MINOR` (hex).
extension ListingForm {
    static let classify = ListingForm.keywords(lead: "CLASSIFY", [ListingKeyword("set", "set-class")])
}
