/// Reads packets from their compact one-line form, the form expectation files and the
/// `--packet` option use:
///
///     tcp 172.17.0.2:40000 -> 93.184.216.34:443 in docker0 out eth0 ctstate NEW
///     tcp * > 10.0.2.15:8080 in eth0
///     icmp 10.0.0.0/8 -> 10.0.0.2 type echo-request in eth0
///     udp [2001:db8::1]:5353 -> [ff02::fb]:5353 in eth0 mark 0x1
///
/// Grammar (docs/grammar.md): PROTO SOURCE ("->" | ">") DESTINATION { ATTRIBUTE }, where an
/// endpoint is `*` or ADDR[/LEN][:PORTS] (IPv6 in brackets when ports follow), PORTS is `*`
/// or a comma list of ports and LOW-HIGH ranges, and an attribute is one of `in IF`,
/// `out IF`, `ctstate STATES`, `mark M[/MASK]`, `flags F,F`, `syn`, `type T[/C]`,
/// `fragment`, `length N`, `ttl N`, `tos N`, `connmark M[/MASK]`, `pkttype T`, `mac M`,
/// `uid N`, `gid N`, `physdev-in P`, `physdev-out P`, `bridged`, `routed`, `local ADDR`
/// (repeatable); `!` before a value takes its complement. Each part means what the
/// matching packet option means (see `describe(options:family:)`).
public enum PacketDescription {
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// The 1-based column of the offending word.
        public var column: Int
        public var description: String { "column \(column): \(message)" }

        public init(message: String, column: Int) {
            self.message = message
            self.column = column
        }
    }

    /// One packet: a description that gives one value to every field it names (a set, such
    /// as `10.0.0.0/8`, is refused).
    public static func parse(_ text: String) throws(ParseError) -> Packet {
        let described = try describe(text)
        if described.packets != nil {
            throw ParseError(message: "this describes a set of packets, not one packet", column: 1)
        }
        var packet = described.packet
        packet.open = []
        return packet
    }

    /// The packets a one-line description stands for.
    public static func describe(_ text: String, family: Family = .ipv4) throws(ParseError) -> DescribedPackets {
        try describe(options: options(text), family: family)
    }

    /// The packet options a one-line description says.
    static func options(_ text: String) throws(ParseError) -> [DescribedOption] {
        let words = Tokenizer.split(ArraySlice(Array(text.utf8))).tokens
        var index = 0
        func next(_ what: String) throws(ParseError) -> Token {
            guard index < words.count else {
                throw ParseError(message: "expected \(what) at the end", column: (words.last.map { $0.column + $0.length } ?? 1))
            }
            defer { index += 1 }
            return words[index]
        }
        var options: [DescribedOption] = []
        let protoWord = try next("a protocol (tcp, udp, icmp, all, ...)")
        if protoWord.text != "*" && protoWord.text != "all" {
            options.append(DescribedOption("-p", protoWord.text, column: protoWord.column))
        }
        let sourceWord = try next("a source address (or *)")
        let arrow = try next("'->'")
        guard arrow.text == "->" || arrow.text == ">" else {
            throw ParseError(message: "expected '->' or '>' between source and destination", column: arrow.column)
        }
        let destinationWord = try next("a destination address (or *)")
        options += try endpoint(sourceWord, address: "-s", port: "--sport")
        options += try endpoint(destinationWord, address: "-d", port: "--dport")
        let valued: [String: String] = [
            "in": "-i", "out": "-o", "ctstate": "--ctstate", "state": "--ctstate", "mark": "--mark", "flags": "--tcp-flags",
            "type": "--icmp-type", "length": "--length", "ttl": "--ttl", "tos": "--tos", "connmark": "--connmark",
            "uid": "--uid-owner", "gid": "--gid-owner", "pkttype": "--pkt-type", "mac": "--mac-source",
            "physdev-in": "--physdev-in", "physdev-out": "--physdev-out", "local": "--local-address",
        ]
        let flags: [String: String] = ["syn": "--syn", "fragment": "-f", "bridged": "--physdev-is-bridged", "routed": "--routed"]
        while index < words.count {
            let keyword = try next("an attribute")
            if let name = flags[keyword.text] {
                options.append(DescribedOption(name, column: keyword.column))
            } else if let name = valued[keyword.text] {
                var word = try next("a value for '\(keyword.text)'")
                var negated = false
                if word.text == "!" {
                    negated = true
                    word = try next("a value for '\(keyword.text)' after '!'")
                }
                var value = word.text
                if name == "--icmp-type", let slash = value.firstIndex(of: "/"), value[value.index(after: slash)...].contains("-") {
                    value = value.replacingOccurrences(of: "-", with: ":")
                }
                options.append(DescribedOption(name, value, negated: negated, column: word.column))
            } else {
                let known = (Array(valued.keys) + Array(flags.keys)).sorted().joined(separator: ", ")
                throw ParseError(message: "unknown attribute '\(keyword.text)' (\(known))", column: keyword.column)
            }
        }
        return options
    }

    /// An endpoint as packet options: `*`, `ADDR[/LEN]`, `ADDR[/LEN]:PORTS`,
    /// `[ADDR[/LEN]]:PORTS`, `*:PORTS`; PORTS a comma list of ports and LOW-HIGH ranges, or `*`.
    static func endpoint(_ word: Token, address addressOption: String, port portOption: String) throws(ParseError) -> [DescribedOption] {
        var text = Substring(word.text)
        var ports: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw ParseError(message: "missing ']' in '\(word.text)'", column: word.column) }
            let rest = text[text.index(after: close)...]
            text = text[text.index(after: text.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), rest.count > 1 else {
                    throw ParseError(message: "invalid port in '\(word.text)'", column: word.column)
                }
                ports = rest.dropFirst()
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            ports = text[text.index(after: colon)...]
            text = text[..<colon]
        }
        var options: [DescribedOption] = []
        if text != "*" {
            options.append(DescribedOption(addressOption, String(text), column: word.column))
        }
        if let ports, ports != "*" {
            guard !ports.isEmpty else { throw ParseError(message: "invalid port in '\(word.text)'", column: word.column) }
            options.append(DescribedOption(portOption, ports.replacingOccurrences(of: "-", with: ":"), column: word.column))
        }
        return options
    }

    /// TCP flag names (`SYN,ACK`) as bits FIN=1 ... CWR=128; nil for an unknown name.
    public static func tcpFlagBits(_ text: String) -> UInt8? {
        var bits: UInt8 = 0
        for name in text.uppercased().split(separator: ",") {
            guard let position = ExtensionSpec.tcpFlagNames.firstIndex(of: String(name)) else { return nil }
            bits |= 1 << UInt8(position)
        }
        return bits
    }

    static func tcpFlags(_ word: Token) throws(ParseError) -> UInt8 {
        guard let bits = tcpFlagBits(word.text) else {
            throw ParseError(message: "unknown TCP flag in '\(word.text)' (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR)", column: word.column)
        }
        return bits
    }

    /// One address with an optional port: `10.0.0.1`, `10.0.0.1:80`, `[2001:db8::1]:80`.
    public static func concreteEndpoint(_ word: Token) throws(ParseError) -> (address: IPAddress, port: UInt16?) {
        let options = try endpoint(word, address: "-s", port: "--sport")
        guard let addressText = options.first(where: { $0.name == "-s" })?.value else {
            throw ParseError(message: "an address is needed", column: word.column)
        }
        let family: Family = addressText.contains(":") ? .ipv6 : .ipv4
        guard let address = IPAddress(parsing: Array(addressText.utf8), family: family) else {
            throw ParseError(message: "invalid address '\(addressText)'", column: word.column)
        }
        var port: UInt16?
        if let portText = options.first(where: { $0.name == "--sport" })?.value {
            guard let value = UInt16(portText) else { throw ParseError(message: "invalid port '\(portText)'", column: word.column) }
            port = value
        }
        return (address, port)
    }

    /// An address with its port as the compact form writes it: `10.0.0.1:80`,
    /// `[2001:db8::1]:80`, `?` for an unknown address.
    static func endpoint(_ address: IPAddress?, _ port: UInt16?) -> String {
        let text = address?.description ?? "?"
        guard let port else { return text }
        if case .v6? = address { return "[\(text)]:\(port)" }
        return "\(text):\(port)"
    }

    /// The packet's protocol by its save name (`tcp`, `ipv6-icmp`), else its number.
    static func protocolName(_ packet: Packet) -> String {
        IPProtocol.saveName(for: packet.protocol ?? 0, family: packet.family) ?? String(packet.protocol ?? 0)
    }

    /// The compact form of a packet (what `parse` reads back).
    public static func format(_ packet: Packet) -> String {
        var words = [protocolName(packet), endpoint(packet.source, packet.sourcePort), "->", endpoint(packet.destination, packet.destinationPort)]
        if let input = packet.hookState.inInterface, !input.isEmpty { words += ["in", input] }
        if let output = packet.hookState.outInterface, !output.isEmpty { words += ["out", output] }
        if let state = packet.conntrack.state { words += ["ctstate", state.rawValue] }
        if packet.mark != 0 { words += ["mark", "0x" + String(packet.mark, radix: 16)] }
        if let flags = packet.tcpFlags {
            words += ["flags", ExtensionSpec.tcpFlagNames.enumerated().filter { flags & (1 << UInt8($0.offset)) != 0 }.map(\.element).joined(separator: ",")]
        }
        if let type = packet.icmpType { words += ["type", "\(type)/\(packet.icmpCode ?? 0)"] }
        if packet.isFragment { words.append("fragment") }
        if let length = packet.length { words += ["length", String(length)] }
        if let ttl = packet.ttl { words += ["ttl", String(ttl)] }
        if let tos = packet.tos { words += ["tos", "0x" + String(tos, radix: 16)] }
        if let connmark = packet.conntrack.mark { words += ["connmark", "0x" + String(connmark, radix: 16)] }
        if let type = packet.packetType { words += ["pkttype", type] }
        if let mac = packet.sourceMAC { words += ["mac", mac.description] }
        if let port = packet.physdevIn { words += ["physdev-in", port] }
        if let port = packet.physdevOut { words += ["physdev-out", port] }
        if packet.bridged == true && packet.physdevIn == nil && packet.physdevOut == nil { words.append("bridged") }
        if packet.bridged == false { words.append("routed") }
        if let uid = packet.uid { words += ["uid", String(uid)] }
        if let gid = packet.gid { words += ["gid", String(gid)] }
        for address in (packet.host.localAddresses ?? []).map(\.description).sorted() { words += ["local", address] }
        return words.joined(separator: " ")
    }
}
