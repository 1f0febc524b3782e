import Foundation

/// A listening socket of the host (`ss -Htlnu`): its protocol, address and port.
public struct Listener: Sendable, Hashable {
    public var `protocol`: UInt8
    /// nil for every address (`0.0.0.0`, `[::]`, `*`).
    public var address: IPAddress?
    public var port: UInt16

    public init(protocol: UInt8, address: IPAddress?, port: UInt16) {
        self.protocol = `protocol`
        self.address = address
        self.port = port
    }

    /// Whether a packet for `destination:port` reaches this socket.
    public func accepts(protocol proto: UInt8, destination: IPAddress?, port: UInt16?) -> Bool {
        guard proto == `protocol`, port == self.port else { return false }
        guard let address else { return true }
        return destination == address
    }

    /// The packets of a protocol and family this socket takes (nil: none): not a later
    /// fragment, which carries no port (`accepts` takes no packet without one).
    func packets(protocol proto: UInt8, family: Family) -> PacketSpace? {
        guard proto == `protocol` else { return nil }
        var cube = PacketCube()
        cube.restrict(.protocol, to: .intervals(IntervalSet(value: UInt128(proto))))
        cube.restrict(.fragment, to: .intervals(IntervalSet(value: 0)))
        cube.restrict(.destinationPort, to: .intervals(IntervalSet(value: UInt128(port))))
        if let address {
            guard address.family == family else { return nil }
            cube.restrict(.destination, to: .intervals(IntervalSet(value: RuleSpace.value(of: address))))
        }
        return PacketSpace(family: family, cubes: [cube])
    }

    /// Reads `ss -Htlnu` lines: `tcp LISTEN 0 4096 0.0.0.0:22 0.0.0.0:*`.
    static func parse(_ text: String, file: String) throws(SnapshotError) -> [Listener] {
        var listeners: [Listener] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.isEmpty { continue }
            guard words.count >= 5, let colon = words[4].lastIndex(of: ":"),
                  let port = UInt16(words[4][words[4].index(after: colon)...]) else {
                throw SnapshotError(file: file, location: SourceLocation(line: offset + 1, column: 1),
                                    message: "expected `ss -Htlnu` output: NETID STATE RECV-Q SEND-Q LOCAL:PORT PEER:PORT")
            }
            let proto: UInt8
            switch words[0] {
            case "tcp": proto = IPProtocol.tcp
            case "udp": proto = IPProtocol.udp
            default: continue
            }
            var host = String(words[4][..<colon])
            if let percent = host.firstIndex(of: "%") { host = String(host[..<percent]) }
            host = host.trimmingCharacters(in: ["[", "]"])
            let address = ["*", "0.0.0.0", "::"].contains(host) ? nil : IPAddress(parsing: Array(host.utf8), family: host.contains(":") ? .ipv6 : .ipv4)
            listeners.append(Listener(protocol: proto, address: address, port: port))
        }
        return listeners
    }
}
