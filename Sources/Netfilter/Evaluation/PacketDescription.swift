/// Reads a packet from its compact one-line form, the form expectation files and the
/// `--packet` option use:
///
///     tcp 172.17.0.2:40000 -> 93.184.216.34:443 in docker0 out eth0 ctstate NEW
///     icmp 10.0.0.1 -> 10.0.0.2 type 8/0 in eth0
///     udp [2001:db8::1]:5353 -> [ff02::fb]:5353 in eth0 mark 0x1
///
/// Grammar (docs/grammar.md): PROTO SOURCE "->" DESTINATION { ATTRIBUTE }, where an
/// endpoint is ADDR[:PORT] (IPv6 in brackets when a port follows) and an attribute is one
/// of `in IF`, `out IF`, `ctstate STATE`, `mark N`, `flags F,F`, `syn`, `type T[/C]`,
/// `fragment`, `length N`, `ttl N`, `tos N`, `connmark N`, `pkttype T`, `mac M`, `uid N`,
/// `gid N`, `physdev-in P`, `physdev-out P`, `bridged`, `routed`, `local ADDR` (repeatable).
public enum PacketDescription {
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// The 1-based column of the offending word.
        public var column: Int
        public var description: String { "column \(column): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> Packet {
        let words = Tokenizer.split(ArraySlice(Array(text.utf8))).tokens
        var index = 0
        func next(_ what: String) throws(ParseError) -> Token {
            guard index < words.count else {
                throw ParseError(message: "expected \(what) at the end", column: (words.last.map { $0.column + $0.length } ?? 1))
            }
            defer { index += 1 }
            return words[index]
        }
        let protoWord = try next("a protocol (tcp, udp, icmp, ...)")
        guard let proto = IPProtocol.number(for: protoWord.text) else {
            throw ParseError(message: "unknown protocol '\(protoWord.text)'", column: protoWord.column)
        }
        let sourceWord = try next("a source address")
        let arrow = try next("'->'")
        guard arrow.text == "->" else { throw ParseError(message: "expected '->' between source and destination", column: arrow.column) }
        let destinationWord = try next("a destination address")
        let source = try endpoint(sourceWord)
        let destination = try endpoint(destinationWord)
        guard source.address.family == destination.address.family else {
            throw ParseError(message: "source and destination are of different families", column: destinationWord.column)
        }
        var packet = Packet(family: source.address.family)
        packet.protocol = proto
        packet.source = source.address
        packet.destination = destination.address
        packet.sourcePort = source.port
        packet.destinationPort = destination.port
        while index < words.count {
            let keyword = try next("an attribute")
            switch keyword.text {
            case "in": packet.inInterface = try next("an interface name").text
            case "out": packet.outInterface = try next("an interface name").text
            case "ctstate", "state":
                let word = try next("a conntrack state")
                guard let state = ConntrackState(rawValue: word.text.uppercased()) else {
                    throw ParseError(message: "unknown conntrack state '\(word.text)' (NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED)", column: word.column)
                }
                packet.conntrackState = state
            case "mark":
                let word = try next("a mark")
                guard let mark = parseUnsigned(word.text), mark <= UInt64(UInt32.max) else {
                    throw ParseError(message: "invalid mark '\(word.text)'", column: word.column)
                }
                packet.mark = UInt32(mark)
            case "flags":
                let word = try next("TCP flags")
                packet.tcpFlags = try tcpFlags(word)
            case "syn":
                packet.tcpFlags = 0x02
            case "type":
                let word = try next("an ICMP type")
                let parts = word.text.split(separator: "/", maxSplits: 1)
                guard let type = UInt8(parts[0]), let code = parts.count > 1 ? UInt8(parts[1]) : 0 else {
                    throw ParseError(message: "invalid ICMP type '\(word.text)' (TYPE or TYPE/CODE)", column: word.column)
                }
                packet.icmpType = type
                packet.icmpCode = code
            case "fragment":
                packet.isFragment = true
            case "length", "ttl", "tos", "connmark", "uid", "gid":
                let word = try next("a number")
                let limits: [String: UInt64] = ["length": 65535, "ttl": 255, "tos": 255, "connmark": UInt64(UInt32.max),
                                                "uid": UInt64(UInt32.max), "gid": UInt64(UInt32.max)]
                guard let value = parseUnsigned(word.text), value <= limits[keyword.text, default: 0] else {
                    throw ParseError(message: "invalid \(keyword.text) '\(word.text)'", column: word.column)
                }
                switch keyword.text {
                case "length": packet.length = UInt16(value)
                case "ttl": packet.ttl = UInt8(value)
                case "tos": packet.tos = UInt8(value)
                case "connmark": packet.connmark = UInt32(value)
                case "uid": packet.uid = UInt32(value)
                default: packet.gid = UInt32(value)
                }
            case "physdev-in":
                packet.physdevIn = try next("a bridge port").text
                packet.bridged = true
            case "physdev-out":
                packet.physdevOut = try next("a bridge port").text
                packet.bridged = true
            case "bridged":
                packet.bridged = true
            case "routed":
                packet.bridged = false
            case "pkttype":
                let word = try next("unicast, broadcast or multicast")
                guard ["unicast", "broadcast", "multicast"].contains(word.text.lowercased()) else {
                    throw ParseError(message: "invalid packet type '\(word.text)' (unicast, broadcast, multicast)", column: word.column)
                }
                packet.packetType = word.text.lowercased()
            case "mac":
                let word = try next("a MAC address")
                guard let mac = MACAddress(parsing: Array(word.text.utf8)) else {
                    throw ParseError(message: "invalid MAC address '\(word.text)'", column: word.column)
                }
                packet.sourceMAC = mac
            case "local":
                let word = try next("a local address")
                guard let address = IPAddress(parsing: Array(word.text.utf8), family: packet.family) else {
                    throw ParseError(message: "invalid address '\(word.text)'", column: word.column)
                }
                packet.localAddresses = (packet.localAddresses ?? []).union([address])
            default:
                throw ParseError(message: "unknown attribute '\(keyword.text)' (in, out, ctstate, mark, flags, syn, type, fragment, length, ttl, tos, connmark, pkttype, mac, uid, gid, physdev-in, physdev-out, bridged, routed, local)",
                                 column: keyword.column)
            }
        }
        return packet
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

    static func endpoint(_ word: Token) throws(ParseError) -> (address: IPAddress, port: UInt16?) {
        var text = Substring(word.text)
        var port: UInt16?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw ParseError(message: "missing ']' in '\(word.text)'", column: word.column) }
            let rest = text[text.index(after: close)...]
            text = text[text.index(after: text.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = UInt16(rest.dropFirst()) else {
                    throw ParseError(message: "invalid port in '\(word.text)'", column: word.column)
                }
                port = value
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            guard let value = UInt16(text[text.index(after: colon)...]) else {
                throw ParseError(message: "invalid port in '\(word.text)'", column: word.column)
            }
            port = value
            text = text[..<colon]
        }
        let family: Family = text.contains(":") ? .ipv6 : .ipv4
        guard let address = IPAddress(parsing: Array(text.utf8), family: family) else {
            throw ParseError(message: "invalid address '\(text)'", column: word.column)
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
        if let input = packet.inInterface { words += ["in", input] }
        if let output = packet.outInterface { words += ["out", output] }
        if let state = packet.conntrackState { words += ["ctstate", state.rawValue] }
        if packet.mark != 0 { words += ["mark", "0x" + String(packet.mark, radix: 16)] }
        if let flags = packet.tcpFlags {
            words += ["flags", ExtensionSpec.tcpFlagNames.enumerated().filter { flags & (1 << UInt8($0.offset)) != 0 }.map(\.element).joined(separator: ",")]
        }
        if let type = packet.icmpType { words += ["type", "\(type)/\(packet.icmpCode ?? 0)"] }
        if packet.isFragment { words.append("fragment") }
        if let length = packet.length { words += ["length", String(length)] }
        if let ttl = packet.ttl { words += ["ttl", String(ttl)] }
        if let tos = packet.tos { words += ["tos", "0x" + String(tos, radix: 16)] }
        if let connmark = packet.connmark { words += ["connmark", "0x" + String(connmark, radix: 16)] }
        if let type = packet.packetType { words += ["pkttype", type] }
        if let mac = packet.sourceMAC { words += ["mac", mac.description] }
        if let port = packet.physdevIn { words += ["physdev-in", port] }
        if let port = packet.physdevOut { words += ["physdev-out", port] }
        if packet.bridged == true && packet.physdevIn == nil && packet.physdevOut == nil { words.append("bridged") }
        if packet.bridged == false { words.append("routed") }
        if let uid = packet.uid { words += ["uid", String(uid)] }
        if let gid = packet.gid { words += ["gid", String(gid)] }
        for address in (packet.localAddresses ?? []).map(\.description).sorted() { words += ["local", address] }
        return words.joined(separator: " ")
    }
}
