/// The value types most extensions share. Extension files define their own for
/// anything peculiar to them.
extension ValueType {
    /// No argument.
    public static let flag = ValueType(arity: .none, parse: { _, _ throws(ValueError) in .flag }, print: { _, _ in })

    /// An unsigned number within bounds, read like strtoul with base 0 (decimal, 0x hex,
    /// 0 octal), printed in decimal.
    public static func number(_ bounds: ClosedRange<UInt64>, name: String = "value") -> ValueType {
        ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            .number(try parseNumber(arguments[0], in: bounds, name: name))
        }, print: { value, writer in
            if case .number(let number) = value { writer.word(String(number)) }
        })
    }

    /// An unsigned number printed in hex (`0x1f`), as marks and masks are.
    public static func hexNumber(_ bounds: ClosedRange<UInt64>, name: String = "value") -> ValueType {
        ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            .number(try parseNumber(arguments[0], in: bounds, name: name))
        }, print: { value, writer in
            if case .number(let number) = value { writer.word("0x" + String(number, radix: 16)) }
        })
    }

    /// `VALUE[/MASK]`, both printed in hex; the mask defaults to all ones of `bits`.
    public static func masked(bits: Int, alwaysPrintMask: Bool = false) -> ValueType {
        let full: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        return ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            let parts = arguments[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let value = try parseNumber(String(parts[0]), in: 0...full, name: "value")
            let mask = parts.count > 1 ? try parseNumber(String(parts[1]), in: 0...full, name: "mask") : full
            return .masked(value: value, mask: mask)
        }, print: { value, writer in
            guard case .masked(let number, let mask) = value else { return }
            var text = "0x" + String(number, radix: 16)
            if mask != full || alwaysPrintMask { text += "/0x" + String(mask, radix: 16) }
            writer.word(text)
        })
    }

    /// `N` or `N:M` (either side may be left out: `N:` means up to the maximum),
    /// printed as `N` when both ends are equal.
    public static func numberRange(_ bounds: ClosedRange<UInt64>, name: String = "value") -> ValueType {
        ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            let (low, high) = try parseRange(arguments[0], in: bounds, name: name)
            return .range(low, high)
        }, print: { value, writer in
            guard case .range(let low, let high) = value else { return }
            writer.word(low == high ? String(low) : "\(low):\(high)")
        })
    }

    /// A port or a port range (`22`, `1024:`, `:1023`, a service name), printed numerically.
    public static let portRange = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        .ports([try parsePortRange(arguments[0])])
    }, print: { value, writer in
        if case .ports(let ranges) = value, let range = ranges.first { writer.word(range.description) }
    })

    /// A comma list of up to 15 ports or ranges, as multiport takes them.
    public static let portList = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let parts = arguments[0].split(separator: ",", omittingEmptySubsequences: false)
        var ranges: [PortRange] = []
        var slots = 0
        for part in parts {
            let range = try parsePortRange(String(part), allowOpenEnds: false)
            slots += range.first == range.last ? 1 : 2
            ranges.append(range)
        }
        if slots > 15 { throw ValueError("too many ports specified (at most 15, a range counts as two)") }
        return .ports(ranges)
    }, print: { value, writer in
        if case .ports(let ranges) = value { writer.word(ranges.map(\.description).joined(separator: ",")) }
    })

    /// An address with an optional mask (CIDR length or dotted mask), printed `addr/len`.
    public static let network = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        .network(try parseNetwork(arguments[0], family: context.family))
    }, print: { value, writer in
        if case .network(let network) = value { writer.word(network.description) }
    })

    /// An address with an optional mask, printed as xtables prints addresses in matches:
    /// the mask only when it is not the full length (`1.1.1.1`, `10.0.0.0/8`).
    public static let hostOrNetwork = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        .network(try parseNetwork(arguments[0], family: context.family))
    }, print: { value, writer in
        guard case .network(let network) = value else { return }
        let full = network.address.family == .ipv4 ? 32 : 128
        writer.word(network.prefixLength == full ? network.address.description : network.description)
    })

    /// A single address without mask, printed bare.
    public static let address = ValueType(arity: .one, parse: { arguments, context throws(ValueError) in
        guard let address = IPAddress(parsing: Array(arguments[0].utf8), family: context.family) else {
            throw ValueError("invalid \(context.family == .ipv4 ? "IPv4" : "IPv6") address \"\(arguments[0])\"")
        }
        let full: IPAddress = context.family == .ipv4 ? .v4(.mask(prefixLength: 32)) : .v6(.mask(prefixLength: 128))
        return .network(Network(address: address, mask: full))
    }, print: { value, writer in
        if case .network(let network) = value { writer.word(network.address.description) }
    })

    /// Free text of at most `maximumLength` bytes, printed with xtables_save_string quoting.
    /// A longer one is cut to `maximumLength` bytes as iptables cuts it (`cut`, XTTYPE_STRING's
    /// way), or refused.
    public static func text(maximumLength: Int, allowEmpty: Bool = true, cut: Bool = true) -> ValueType {
        var type = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            let text = try ValueType.kept(arguments[0], maximumLength: maximumLength, cut: cut)
            if !allowEmpty && text.isEmpty { throw ValueError("empty value") }
            return .text(text, quoted: false)
        }, print: { value, writer in
            if case .text(let text, let quoted) = value { writer.string(text, forceQuotes: quoted) }
        })
        type.keepsBytes = cut ? maximumLength : nil
        type.repeats = true
        return type
    }

    /// The argument, cut to `maximumLength` bytes when `cut`, else refused when longer.
    static func kept(_ text: String, maximumLength: Int, cut: Bool) throws(ValueError) -> String {
        guard text.utf8.count > maximumLength else { return text }
        guard cut else { throw ValueError("\"\(text.prefix(20))...\" is longer than \(maximumLength) characters") }
        return String(decoding: Array(text.utf8.prefix(maximumLength)), as: UTF8.self)
    }

    /// A name printed as given (set names, helper names, chain-like identifiers); a longer one
    /// is cut or refused as `text` says.
    public static func identifier(maximumLength: Int, cut: Bool = true) -> ValueType {
        var type = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            if arguments[0].isEmpty { throw ValueError("empty name") }
            return .word(try ValueType.kept(arguments[0], maximumLength: maximumLength, cut: cut))
        }, print: { value, writer in
            if case .word(let text) = value { writer.name(text) }
        })
        type.keepsBytes = cut ? maximumLength : nil
        type.repeats = true
        return type
    }

    /// One keyword of a fixed vocabulary. `spellings` maps every accepted spelling
    /// (matched case-insensitively when `caseInsensitive`) to the canonical one printed.
    public static func keyword(_ spellings: KeyValuePairs<String, String>, caseInsensitive: Bool = false) -> ValueType {
        let table = Dictionary(spellings.map { (caseInsensitive ? $0.0.lowercased() : $0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        let choices = Array(Set(spellings.map(\.1))).sorted()
        return ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            let key = caseInsensitive ? arguments[0].lowercased() : arguments[0]
            guard let canonical = table[key] else {
                throw ValueError("unknown value \"\(arguments[0])\" (expected one of \(choices.joined(separator: ", ")))")
            }
            return .word(canonical)
        }, print: { value, writer in
            if case .word(let text) = value { writer.word(text) }
        })
    }

    /// A comma list of keywords from `order` (case-insensitive), printed in that order.
    public static func keywordList(_ order: [String], aliases: [String: String] = [:], allowEmpty: Bool = false) -> ValueType {
        ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            var seen = Set<String>()
            for part in arguments[0].split(separator: ",", omittingEmptySubsequences: false) {
                let upper = part.uppercased()
                let name = aliases[upper] ?? upper
                guard order.contains(name) else {
                    throw ValueError("unknown value \"\(part)\" (expected a comma list of \(order.joined(separator: ", ")))")
                }
                seen.insert(name)
            }
            if seen.isEmpty && !allowEmpty { throw ValueError("empty list") }
            return .keywords(KeywordSet(seen, in: order))
        }, print: { value, writer in
            if case .keywords(let set) = value { writer.word(set.text(in: order)) }
        })
    }

    /// An interface name, `+` wildcard allowed.
    public static let interface = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        .interface(try parseInterface(arguments[0]))
    }, print: { value, writer in
        if case .interface(let name) = value { writer.word(name.text) }
    })

    /// A MAC address, printed upper-case.
    public static let mac = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        guard let mac = MACAddress(parsing: Array(arguments[0].utf8)) else {
            throw ValueError("invalid MAC address \"\(arguments[0])\"")
        }
        return .mac(mac)
    }, print: { value, writer in
        guard case .mac(let mac) = value else { return }
        writer.word(writer.style <= .v1_2 ? mac.description.lowercased() : mac.description)
    })
}

// MARK: - Shared argument readers

/// Reads a number as strtoul(…, 0) does, within bounds.
public func parseNumber(_ text: String, in bounds: ClosedRange<UInt64>, name: String = "value") throws(ValueError) -> UInt64 {
    guard let value = parseUnsigned(text) else { throw ValueError("invalid \(name) \"\(text)\"") }
    guard bounds.contains(value) else {
        throw ValueError("\(name) \"\(text)\" is out of range (\(bounds.lowerBound)-\(bounds.upperBound))")
    }
    return value
}

/// strtoul with base 0: `0x` hex, leading `0` octal, else decimal; nil for anything else.
public func parseUnsigned(_ text: String) -> UInt64? {
    var bytes = Substring(text).utf8[...]
    if bytes.first == 0x2B { bytes = bytes.dropFirst() }
    guard !bytes.isEmpty else { return nil }
    var radix: UInt64 = 10
    if bytes.count > 2, bytes.first == 0x30, let x = bytes.dropFirst().first, x == 0x78 || x == 0x58 {
        radix = 16
        bytes = bytes.dropFirst(2)
    } else if bytes.count > 1, bytes.first == 0x30 {
        radix = 8
        bytes = bytes.dropFirst()
    }
    var value: UInt64 = 0
    for byte in bytes {
        let digit: UInt64
        switch byte {
        case 0x30...0x39: digit = UInt64(byte - 0x30)
        case 0x61...0x66: digit = UInt64(byte - 0x61 + 10)
        case 0x41...0x46: digit = UInt64(byte - 0x41 + 10)
        default: return nil
        }
        guard digit < radix else { return nil }
        let (product, overflow1) = value.multipliedReportingOverflow(by: radix)
        let (sum, overflow2) = product.addingReportingOverflow(digit)
        if overflow1 || overflow2 { return nil }
        value = sum
    }
    return value
}

/// `N`, `N:M`, `N:`, `:M` or `:` within bounds; the low end may not exceed the high end.
public func parseRange(_ text: String, in bounds: ClosedRange<UInt64>, name: String) throws(ValueError) -> (UInt64, UInt64) {
    let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    let low = parts[0].isEmpty ? bounds.lowerBound : try parseNumber(String(parts[0]), in: bounds, name: name)
    var high = low
    if parts.count > 1 {
        high = parts[1].isEmpty ? bounds.upperBound : try parseNumber(String(parts[1]), in: bounds, name: name)
    }
    if low > high { throw ValueError("invalid range \"\(text)\": \(low) is greater than \(high)") }
    return (low, high)
}

/// A port number or service name.
public func parsePort(_ text: String) throws(ValueError) -> UInt16 {
    if let number = parseUnsigned(text) {
        guard number <= 65535 else { throw ValueError("port \"\(text)\" is out of range (0-65535)") }
        return UInt16(number)
    }
    if let port = ServiceNames.port(for: text) { return port }
    throw ValueError("invalid port or service name \"\(text)\"")
}

/// A port range: `N`, `N:M`; with open ends allowed, `N:`, `:M` and `:` as well.
public func parsePortRange(_ text: String, allowOpenEnds: Bool = true) throws(ValueError) -> PortRange {
    let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    if !allowOpenEnds && parts.contains(where: \.isEmpty) { throw ValueError("invalid port range \"\(text)\"") }
    let low = parts[0].isEmpty ? 0 : try parsePort(String(parts[0]))
    var high = low
    if parts.count > 1 { high = parts[1].isEmpty ? 65535 : try parsePort(String(parts[1])) }
    if low > high { throw ValueError("invalid port range \"\(text)\": \(low) is greater than \(high)") }
    return PortRange(low, high)
}

/// An address with optional `/len` or `/mask`.
public func parseNetwork(_ text: String, family: Family) throws(ValueError) -> Network {
    var text = text
    let parsed = text.withUTF8 { bytes in Network(parsing: bytes, family: family) }
    guard let network = parsed else {
        throw ValueError("invalid \(family == .ipv4 ? "IPv4" : "IPv6") address or network \"\(text)\" (host names are not resolved)")
    }
    return network
}

/// An interface name of at most 15 bytes.
public func parseInterface(_ text: String) throws(ValueError) -> InterfaceName {
    if text.isEmpty { throw ValueError("empty interface name") }
    if text.utf8.count > InterfaceName.maximumLength {
        throw ValueError("interface name \"\(text)\" is longer than \(InterfaceName.maximumLength) characters")
    }
    return InterfaceName(text)
}
