// ipset(8) `save` output; net/netfilter/ipset/ip_set_hash_*.c, ip_set_bitmap_port.c,
// ip_set_list_set.c: how each set type matches a packet's src/dst dimensions.

/// The host's ipsets (`ipset save`), shared by every packet of a walk.
public final class IPSets: Sendable, Hashable {
    public static func == (lhs: IPSets, rhs: IPSets) -> Bool { lhs === rhs || lhs.sets == rhs.sets }
    public func hash(into hasher: inout Hasher) { hasher.combine(sets.count) }

    /// One set: its type (`hash:ip`, `hash:net,port`, ...) and its members.
    public struct Set: Sendable, Hashable {
        public var name: String
        public var type: String
        public var members: [Member]
    }

    /// A member: one entry per dimension.
    public struct Member: Sendable, Hashable {
        public var parts: [Part]
    }

    /// One dimension of a member.
    public enum Part: Sendable, Hashable {
        case network(Network)
        /// `10.0.0.1-10.0.0.9` (IPv4 ranges).
        case range(UInt32, UInt32)
        /// `tcp:80`, `udp:53`; protocol nil for bitmap:port, which matches any protocol.
        case port(protocol: UInt8?, PortRange)
        case interface(String)
        /// A set name (list:set).
        case set(String)
    }

    public let sets: [String: Set]

    public init(sets: [String: Set]) { self.sets = sets }

    /// Reads `ipset save`: `create NAME TYPE ...` and `add NAME ELEMENT ...` lines.
    static func parse(_ text: String, file: String) throws(SnapshotError) -> IPSets {
        var sets: [String: Set] = [:]
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(separator: " ").map(String.init)
            guard let command = words.first else { continue }
            func fail(_ message: String) -> SnapshotError {
                SnapshotError(file: file, location: SourceLocation(line: offset + 1, column: 1), message: message)
            }
            switch command {
            case "create":
                guard words.count >= 3 else { throw fail("create needs a name and a type") }
                sets[words[1]] = Set(name: words[1], type: words[2], members: [])
            case "add":
                guard words.count >= 3, let set = sets[words[1]] else { throw fail("add to a set that was not created before") }
                guard let member = member(words[2], type: set.type) else { throw fail("invalid \(set.type) element '\(words[2])'") }
                sets[words[1]]?.members.append(member)
            default:
                throw fail("expected `create` or `add` (ipset save's output)")
            }
        }
        return IPSets(sets: sets)
    }

    static func member(_ text: String, type: String) -> Member? {
        let kinds = type.split(separator: ":").last.map { $0.split(separator: ",").map(String.init) } ?? []
        if type == "list:set" { return Member(parts: [.set(text)]) }
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard values.count == kinds.count else { return nil }
        var parts: [Part] = []
        for (kind, value) in zip(kinds, values) {
            switch kind {
            case "ip", "net":
                let family: Family = value.contains(":") ? .ipv6 : .ipv4
                if let dash = value.firstIndex(of: "-"), family == .ipv4 {
                    guard let low = IPv4Address(String(value[..<dash])), let high = IPv4Address(String(value[value.index(after: dash)...])),
                          high.value >= low.value else { return nil }
                    parts.append(.range(low.value, high.value))
                    continue
                }
                guard let network = Network(parsing: Array(value.utf8), family: family) else { return nil }
                parts.append(.network(network))
            case "port":
                let pieces = value.split(separator: ":", maxSplits: 1).map(String.init)
                // A bare port is tcp in hash types; bitmap:port stores no protocol at all.
                let proto = pieces.count == 2 ? IPProtocol.number(for: pieces[0]) : type.hasPrefix("bitmap:") ? nil : IPProtocol.tcp
                let range = pieces.last ?? ""
                let ends = range.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard let low = UInt16(ends[0]), let high = ends.count > 1 ? UInt16(ends[1]) : low else { return nil }
                parts.append(.port(protocol: proto, PortRange(low, high)))
            case "iface":
                parts.append(.interface(value))
            case "mark", "mac":
                return nil
            default:
                return nil
            }
        }
        return Member(parts: parts)
    }

    /// Whether the packet is in the set for these src/dst flags; nil when a field it needs
    /// is unknown or the set type is not modelled.
    public func contains(_ name: String, flags: [String], packet: Packet, depth: Int = 0) -> Bool? {
        guard let set = sets[name], depth < 8 else { return nil }
        if set.type == "list:set" {
            var unknown = false
            for member in set.members {
                guard case .set(let inner) = member.parts.first else { continue }
                switch contains(inner, flags: flags, packet: packet, depth: depth + 1) {
                case true?: return true
                case nil: unknown = true
                case false?: break
                }
            }
            return unknown ? nil : false
        }
        var unknown = false
        for member in set.members {
            var matches = true
            for (position, part) in member.parts.enumerated() {
                let source = position < flags.count ? flags[position] == "src" : flags.last == "src"
                switch part {
                case .network(let network):
                    guard let address = source ? packet.source : packet.destination else { unknown = true; matches = false; break }
                    if !network.contains(address) { matches = false }
                case .range(let low, let high):
                    guard let address = source ? packet.source : packet.destination else { unknown = true; matches = false; break }
                    guard case .v4(let value) = address, value.value >= low, value.value <= high else { matches = false; break }
                case .port(let proto, let range):
                    guard let port = source ? packet.sourcePort : packet.destinationPort, let actual = packet.protocol else {
                        unknown = true
                        matches = false
                        break
                    }
                    if let proto, proto != actual { matches = false }
                    if port < range.first || port > range.last { matches = false }
                case .interface(let name):
                    guard let device = source ? packet.hookState.inInterface : packet.hookState.outInterface else { unknown = true; matches = false; break }
                    if InterfaceName(name).matches(device) == false { matches = false }
                case .set:
                    matches = false
                }
                if !matches { break }
            }
            if matches { return true }
        }
        return unknown ? nil : false
    }
}
