import Foundation

/// Turns the JSON of `ip -j addr/link/route/neigh` and `bridge -j fdb` into host models.
enum SnapshotReader {
    static func address(_ text: String?) -> IPAddress? {
        guard let text else { return nil }
        return IPAddress(parsing: Array(text.utf8), family: text.contains(":") ? .ipv6 : .ipv4)
    }

    static func mac(_ text: String?) -> MACAddress? { text.flatMap { MACAddress(parsing: Array($0.utf8)) } }

    /// `ip -j addr show`: one object per device, with `addr_info`.
    static func interfaces(_ objects: [[String: Any]], file: String) throws(SnapshotError) -> [HostInterface] {
        var interfaces: [HostInterface] = []
        for (position, object) in objects.enumerated() {
            guard let name = object["ifname"] as? String else {
                throw SnapshotError(file: file, message: "device \(position + 1) has no ifname")
            }
            var device = HostInterface(index: object["ifindex"] as? Int ?? position + 1, name: name,
                                       mac: mac(object["address"] as? String), master: object["master"] as? String,
                                       kind: object["link_type"] as? String == "loopback" ? "loopback" : nil,
                                       isUp: (object["flags"] as? [String])?.contains("UP") ?? true)
            for info in object["addr_info"] as? [[String: Any]] ?? [] {
                guard let local = address(info["local"] as? String) else { continue }
                device.addresses.append(HostInterface.Address(address: local, prefixLength: info["prefixlen"] as? Int ?? 32,
                                                              scope: info["scope"] as? String ?? "global"))
            }
            interfaces.append(device)
        }
        return interfaces
    }

    /// `ip -j -d link show`: the device kinds (`linkinfo.info_kind`) and bridge masters.
    static func addLinkDetails(_ objects: [[String: Any]], to interfaces: inout [HostInterface]) {
        for object in objects {
            guard let name = object["ifname"] as? String else { continue }
            let kind = (object["linkinfo"] as? [String: Any])?["info_kind"] as? String
            if let position = interfaces.firstIndex(where: { $0.name == name }) {
                if let kind { interfaces[position].kind = kind }
                if let master = object["master"] as? String { interfaces[position].master = master }
            } else {
                interfaces.append(HostInterface(index: object["ifindex"] as? Int ?? interfaces.count + 1, name: name,
                                                mac: mac(object["address"] as? String), master: object["master"] as? String,
                                                kind: kind, isUp: (object["flags"] as? [String])?.contains("UP") ?? true))
            }
        }
    }

    /// `ip -j route show table all`: `dst` is `default`, an address or a prefix.
    static func routes(_ objects: [[String: Any]], file: String, family forced: Family? = nil) throws(SnapshotError) -> [Route] {
        var routes: [Route] = []
        for (position, object) in objects.enumerated() {
            guard let destinationText = object["dst"] as? String else {
                throw SnapshotError(file: file, message: "route \(position + 1) has no dst")
            }
            let gateway = address(object["gateway"] as? String)
            let family: Family = forced ?? (destinationText.contains(":") || gateway?.family == .ipv6 ? .ipv6 : .ipv4)
            let destination: Network
            if destinationText == "default" {
                destination = .any(family)
            } else if let network = Network(parsing: Array(destinationText.utf8), family: family) {
                destination = network
            } else {
                // Multicast and other families (`ff00::/8` parses; anything else is skipped).
                continue
            }
            routes.append(Route(type: object["type"] as? String ?? "unicast", destination: destination, gateway: gateway,
                                device: object["dev"] as? String, table: (object["table"] as? String) ?? "main",
                                preferredSource: address(object["prefsrc"] as? String), metric: object["metric"] as? Int ?? 0))
        }
        return routes
    }

    /// `ip -j neigh show`.
    static func neighbours(_ objects: [[String: Any]]) -> [Neighbour] {
        objects.compactMap { object in
            guard let ip = address(object["dst"] as? String), let device = object["dev"] as? String else { return nil }
            return Neighbour(address: ip, device: device, mac: mac(object["lladdr"] as? String))
        }
    }

    /// `bridge -j fdb show`: entries learned on bridge ports have a `master`.
    static func forwardingEntries(_ objects: [[String: Any]]) -> [ForwardingEntry] {
        objects.compactMap { object in
            guard let mac = mac(object["mac"] as? String), let port = object["ifname"] as? String else { return nil }
            return ForwardingEntry(mac: mac, port: port, bridge: object["master"] as? String)
        }
    }

    /// `sysctl` output: `key = value` lines.
    static func sysctls(_ bytes: [UInt8], file: String) throws(SnapshotError) -> [String: String] {
        var values: [String: String] = [:]
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let equals = text.firstIndex(of: "=") else {
                throw SnapshotError(file: file, location: SourceLocation(line: number + 1, column: 1),
                                    message: "expected `key = value` (sysctl's output)")
            }
            values[text[..<equals].trimmingCharacters(in: .whitespaces)] = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return values
    }
}
