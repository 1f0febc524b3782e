// libxt_DNAT.c / net/netfilter/xt_nat.c: destination NAT to an address and port range.

extension ExtensionSpec {
    /// `ADDR[-ADDR][:PORT[-PORT][/BASE]]`; for IPv6 `[ADDR[-ADDR]]:PORT...` or a bare address.
    /// Stored as `.tuple([addresses or .flag, ports or .flag, base port or .flag])`.
    static let natRange = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        let text = arguments[0]
        var addressText = Substring(text)
        var portText: Substring?
        if context.family == .ipv6 {
            if text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]") else { throw ValueError("missing ] in \"\(text)\"") }
                addressText = text[text.index(after: text.startIndex)..<close]
                let rest = text[text.index(after: close)...]
                if !rest.isEmpty {
                    guard rest.hasPrefix(":") else { throw ValueError("invalid range \"\(text)\"") }
                    portText = rest.dropFirst()
                }
            }
        } else if let colon = text.firstIndex(of: ":") {
            addressText = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        var addresses: OptionValue = .flag
        if !addressText.isEmpty {
            let ends = addressText.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let low = IPAddress(parsing: Array(ends[0].utf8), family: context.family),
                  let high = ends.count > 1 ? IPAddress(parsing: Array(ends[1].utf8), family: context.family) : low else {
                throw ValueError("invalid address or address range \"\(addressText)\"")
            }
            addresses = .addressRange(low, high)
        }
        var ports: OptionValue = .flag
        var base: OptionValue = .flag
        if let portText {
            var rangeText = portText
            if let slash = portText.firstIndex(of: "/") {
                rangeText = portText[..<slash]
                let baseText = String(portText[portText.index(after: slash)...])
                let basePort = ServiceNames.port(for: baseText).map(UInt64.init) ?? UInt64(baseText)
                guard let basePort, basePort >= 1, basePort <= 65535 else {
                    throw ValueError("invalid base port \"\(baseText)\" (1-65535)")
                }
                base = .number(basePort)
            }
            if let port = ServiceNames.port(for: String(rangeText)) {
                ports = .ports([PortRange(port)])
            } else {
                let ends = rangeText.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                guard let low = UInt16(ends[0]), let high = ends.count > 1 ? UInt16(ends[1]) : low, low <= high else {
                    throw ValueError("invalid port or port range \"\(rangeText)\"")
                }
                ports = .ports([PortRange(low, high)])
            }
        }
        return .tuple([addresses, ports, base])
    }, print: { value, writer in
        guard case .tuple(let parts) = value, parts.count == 3 else { return }
        var text = ""
        var addressText = ""
        if case .addressRange(let low, let high) = parts[0] {
            addressText = low == high ? low.description : "\(low)-\(high)"
        }
        let isIPv6: Bool
        if case .addressRange(.v6, _) = parts[0] { isIPv6 = true } else { isIPv6 = false }
        if case .ports(let ranges) = parts[1], let range = ranges.first {
            text = isIPv6 ? "[\(addressText)]" : addressText
            text += range.first == range.last ? ":\(range.first)" : ":\(range.first)-\(range.last)"
            if case .number(let base) = parts[2] { text += "/\(base)" }
        } else {
            text = addressText
        }
        writer.word(text)
    })

    /// NAT ranges with ports need a protocol whose ports can be rewritten.
    static func checkNATPorts(_ call: ExtensionCall, option: String, _ context: inout FinalizeContext) {
        guard case .tuple(let parts)? = call.setting(option)?.value, parts.count == 3 else { return }
        if case .ports = parts[1], !natPortProtocols.contains(context.requiredProtocol ?? 0) {
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
        guard case .tuple(let parts)? = range, parts.count == 3 else { return (nil, nil) }
        var address: IPAddress?
        if case .addressRange(let low, _) = parts[0] { address = low }
        return (address, firstPort(parts[1]))
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
