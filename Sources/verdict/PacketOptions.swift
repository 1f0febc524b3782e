import Netfilter

/// How the packet options' values become a packet: the one place that reads them.
extension TraceCommand {
    struct PacketError: Error {
        var message: String
    }

    /// The packet from `--packet` or from the iptables-style options; `options` holds the
    /// packet options' values under their canonical names (`PacketOption`), a negated value
    /// as "! VALUE".
    static func describePacket(_ options: [String: [String]], family: Family) -> Result<Packet, PacketError> {
        func value(_ names: String...) -> String? { names.lazy.compactMap { options[$0]?.last }.first }
        if let line = value("--packet") {
            do throws(PacketDescription.ParseError) {
                return .success(try PacketDescription.parse(line))
            } catch {
                return .failure(PacketError(message: "--packet: \(error)"))
            }
        }
        var packet = Packet(family: family)
        if let proto = value("--protocol") {
            guard let number = IPProtocol.number(for: proto) else { return .failure(PacketError(message: "unknown protocol '\(proto)'")) }
            packet.protocol = number
        }
        for (names, keyPath) in [(["--source"], \Packet.source), (["--destination"], \Packet.destination)] {
            guard let text = names.lazy.compactMap({ options[$0]?.last }).first else { continue }
            guard let address = IPAddress(parsing: Array(text.utf8), family: family) else {
                return .failure(PacketError(message: "invalid address '\(text)' for \(names[0])"))
            }
            packet[keyPath: keyPath] = address
        }
        for (name, keyPath) in [("--sport", \Packet.sourcePort), ("--dport", \Packet.destinationPort)] {
            guard let text = options[name]?.last else { continue }
            guard let port = UInt16(text) ?? ServiceNames.port(for: text) else { return .failure(PacketError(message: "invalid port '\(text)' for \(name)")) }
            packet[keyPath: keyPath] = port
        }
        packet.inInterface = value("--in-interface")
        packet.outInterface = value("--out-interface")
        if let state = value("--ctstate") {
            guard let parsed = ConntrackState(rawValue: state.uppercased()) else {
                return .failure(PacketError(message: "unknown conntrack state '\(state)'"))
            }
            packet.conntrackState = parsed
        }
        if let mark = value("--mark") {
            guard let number = parseUnsigned(mark), number <= UInt64(UInt32.max) else { return .failure(PacketError(message: "invalid mark '\(mark)'")) }
            packet.mark = UInt32(number)
        }
        if options["--syn"] != nil { packet.tcpFlags = 0x02 }
        if let flags = value("--tcp-flags") {
            guard let bits = PacketDescription.tcpFlagBits(flags) else { return .failure(PacketError(message: "unknown TCP flag in '\(flags)'")) }
            packet.tcpFlags = bits
        }
        if let type = value("--icmp-type") {
            let parts = type.split(separator: "/", maxSplits: 1)
            guard let number = UInt8(parts[0]), let code = parts.count > 1 ? UInt8(parts[1]) : 0 else {
                return .failure(PacketError(message: "invalid ICMP type '\(type)'"))
            }
            packet.icmpType = number
            packet.icmpCode = code
        }
        if options["--fragment"] != nil { packet.isFragment = true }
        // The remaining fields read as in the compact form.
        var attributes: [String] = []
        for (option, attribute) in [("--length", "length"), ("--ttl", "ttl"), ("--tos", "tos"), ("--connmark", "connmark"),
                                    ("--pkt-type", "pkttype"), ("--mac-source", "mac"), ("--uid-owner", "uid"), ("--gid-owner", "gid"),
                                    ("--physdev-in", "physdev-in"), ("--physdev-out", "physdev-out")] {
            if let text = options[option]?.last { attributes += [attribute, text] }
        }
        if options["--physdev-is-bridged"] != nil { attributes.append("bridged") }
        if options["--routed"] != nil { attributes.append("routed") }
        if !attributes.isEmpty {
            do throws(PacketDescription.ParseError) {
                let extra = try PacketDescription.parse("tcp 0.0.0.0 -> 0.0.0.0 " + attributes.joined(separator: " "))
                packet.length = extra.length
                packet.ttl = extra.ttl
                packet.tos = extra.tos
                packet.connmark = extra.connmark
                packet.packetType = extra.packetType
                packet.sourceMAC = extra.sourceMAC
                packet.uid = extra.uid
                packet.gid = extra.gid
                packet.physdevIn = extra.physdevIn
                packet.physdevOut = extra.physdevOut
                packet.bridged = extra.bridged
            } catch {
                return .failure(PacketError(message: error.message))
            }
        }
        if let locals = options["--local-address"] {
            var set = Set<IPAddress>()
            for text in locals {
                guard let address = IPAddress(parsing: Array(text.utf8), family: family) else {
                    return .failure(PacketError(message: "invalid address '\(text)' for --local-address"))
                }
                set.insert(address)
            }
            packet.localAddresses = set
        }
        return .success(packet)
    }
}
