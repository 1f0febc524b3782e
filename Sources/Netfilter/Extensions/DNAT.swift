// libxt_DNAT.c / net/netfilter/xt_nat.c: destination NAT to an address and port range.

extension ExtensionSpec {
    /// `ADDR[-ADDR][:PORT[-PORT][/BASE]]`; for IPv6 `[ADDR[-ADDR]]:PORT...` or a bare address.
    /// Stored as `.natRange`.
    static let natRange = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        let text = arguments[0]
        let bytes = Array(text.utf8)
        var addressBytes = bytes[...]
        var portBytes: ArraySlice<UInt8>?
        if context.family == .ipv6 {
            if bytes.first == UInt8(ascii: "[") {
                guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else {
                    throw ValueError("missing ] in \"\(text)\"")
                }
                addressBytes = bytes[1..<close]
                let rest = bytes[(close + 1)...]
                if !rest.isEmpty {
                    guard rest.first == UInt8(ascii: ":") else { throw ValueError("invalid range \"\(text)\"") }
                    portBytes = rest.dropFirst()
                }
            }
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            addressBytes = bytes[..<colon]
            portBytes = bytes[(colon + 1)...]
        }
        /// `LOW[-HIGH]` split at its first dash.
        func ends(_ part: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>?) {
            guard let dash = part.firstIndex(of: UInt8(ascii: "-")) else { return (part, nil) }
            return (part[..<dash], part[(dash + 1)...])
        }
        var range = NATRange(addresses: nil, ports: nil, basePort: nil)
        if !addressBytes.isEmpty {
            let (lowBytes, highBytes) = ends(addressBytes)
            guard let low = IPAddress(parsing: lowBytes, family: context.family),
                  let high = highBytes.map({ IPAddress(parsing: $0, family: context.family) }) ?? low else {
                throw ValueError("invalid address or address range \"\(String(decoding: addressBytes, as: UTF8.self))\"")
            }
            range.addresses = (low, high)
        }
        if var rangeBytes = portBytes {
            if let slash = rangeBytes.firstIndex(of: UInt8(ascii: "/")) {
                let baseText = String(decoding: rangeBytes[(slash + 1)...], as: UTF8.self)
                rangeBytes = rangeBytes[..<slash]
                let basePort = ServiceNames.port(for: baseText) ?? UInt16(baseText)
                guard let basePort, basePort >= 1 else {
                    throw ValueError("invalid base port \"\(baseText)\" (1-65535)")
                }
                range.basePort = basePort
            }
            let (lowBytes, highBytes) = ends(rangeBytes)
            if let low = UInt16(decimal: lowBytes), let high = highBytes.map({ UInt16(decimal: $0) }) ?? low, low <= high {
                range.ports = PortRange(low, high)
            } else if let port = ServiceNames.port(for: String(decoding: rangeBytes, as: UTF8.self)) {
                range.ports = PortRange(port)
            } else {
                throw ValueError("invalid port or port range \"\(String(decoding: rangeBytes, as: UTF8.self))\"")
            }
        }
        return .natRange(range)
    }, print: { value, writer in
        guard case .natRange(let range) = value else { return }
        var text = ""
        var addressText = ""
        if let (low, high) = range.addresses {
            addressText = low == high ? low.description : "\(low)-\(high)"
        }
        let isIPv6: Bool
        if case .v6? = range.addresses?.low { isIPv6 = true } else { isIPv6 = false }
        if let ports = range.ports {
            text = isIPv6 ? "[\(addressText)]" : addressText
            text += ports.first == ports.last ? ":\(ports.first)" : ":\(ports.first)-\(ports.last)"
            if let base = range.basePort { text += "/\(base)" }
        } else {
            text = addressText
        }
        writer.word(text)
    })

    /// NAT ranges with ports need a protocol whose ports can be rewritten.
    static func checkNATPorts(_ call: ExtensionCall, option: String, _ context: inout FinalizeContext) {
        guard case .natRange(let range)? = call.setting(option)?.value else { return }
        if range.ports != nil, !natPortProtocols.contains(context.requiredProtocol ?? 0) {
            context.error("a port in --\(option) needs -p tcp, udp, sctp, dccp or udplite")
        }
    }

    /// `-j DNAT --to-destination RANGE [--random] [--persistent]`, nat PREROUTING and OUTPUT.
    public static let dnat = ExtensionSpec(
        "DNAT", kind: .target,
        options: [
            OptionSpec("to-destination", natRange, required: true),
            OptionSpec("random", .flag),
            OptionSpec("persistent", .flag),
        ],
        tables: ["nat"], hooks: [.prerouting, .output],
        finalize: { call, context in checkNATPorts(call, option: "to-destination", &context) },
        apply: { call, packet in
            rewrite(call.setting("to-destination")?.value, address: \.destination, port: \.destinationPort, in: &packet)
            return .verdict(.accept)
        }, usesConntrack: true,
        traits: .endsWalk, nat: .destination, natRewrites: { call, _, _ in rangeRewrites(call, destination: true) },
        listing: .dnat)

    /// The fields a `--to-destination`/`--to-source` range rewrites, as the packet-class walk
    /// follows them: the first address and port of the range, as `rewrite` does.
    static func rangeRewrites(_ call: ExtensionCall, destination: Bool) -> [(PacketField, FieldRewrite)] {
        let start = rangeStart(call.setting(destination ? "to-destination" : "to-source")?.value)
        var changes: [(PacketField, FieldRewrite)] = []
        if let address = start.address {
            changes.append((destination ? .destination : .source, .value(RuleSpace.value(of: address))))
        }
        if let port = start.port { changes.append((destination ? .destinationPort : .sourcePort, .value(UInt128(port)))) }
        return changes
    }

    /// The port a `--to-ports` option rewrites (MASQUERADE, REDIRECT), as `rewritePorts` does.
    static func portRewrites(_ call: ExtensionCall, _ field: PacketField) -> [(PacketField, FieldRewrite)] {
        guard let port = firstPort(call.setting("to-ports")?.value) else { return [] }
        return [(field, .value(UInt128(port)))]
    }

    /// The first address and port of a NAT range (`--to-destination`, `--to-source`): the
    /// choice nf_nat makes when the first is free (the rest is connection state).
    static func rangeStart(_ range: OptionValue?) -> (address: IPAddress?, port: UInt16?) {
        guard case .natRange(let range)? = range else { return (nil, nil) }
        return (range.addresses?.low, range.ports?.first)
    }

    /// The first port of a ports value (a range's, or `--to-ports`').
    static func firstPort(_ value: OptionValue?) -> UInt16? {
        guard case .ports(let ranges)? = value else { return nil }
        return ranges.first?.first
    }

    /// Applies a NAT range to the packet: its first address and port (`rangeStart`).
    static func rewrite(_ range: OptionValue?, address: WritableKeyPath<Packet, IPAddress?>,
                        port: WritableKeyPath<Packet, UInt16?>, in packet: inout Packet) {
        let start = rangeStart(range)
        if let first = start.address { packet[keyPath: address] = first }
        if let first = start.port { packet[keyPath: port] = first }
    }
}

// libxt_NAT.c __NAT_print: `to:RANGE [random] [random-fully] [persistent]`, the range as
// --to-destination takes it (IPv6 with ports in brackets).
extension ListingForm {
    static let dnat = ListingForm.keywords([
        ListingKeyword("to:", "to-destination"), ListingKeyword("random", "random", values: 0),
        ListingKeyword("persistent", "persistent", values: 0),
    ])
}
