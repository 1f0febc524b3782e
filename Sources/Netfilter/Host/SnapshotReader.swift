import Foundation

/// Turns the JSON of `ip -j addr/link/route/neigh` and `bridge -j fdb` into host models.
enum SnapshotReader {
    static func address(_ text: String?) -> IPAddress? {
        guard let text else { return nil }
        return IPAddress(parsing: Array(text.utf8), family: text.contains(":") ? .ipv6 : .ipv4)
    }

    static func mac(_ text: String?) -> MACAddress? { text.flatMap { MACAddress(parsing: Array($0.utf8)) } }

    /// `ip -j addr show`: one object per device, with `addr_info`. An address or prefix
    /// length that cannot be is an error at its place in the file.
    static func interfaces(_ document: JSONDocument) throws(SnapshotError) -> [HostInterface] {
        var interfaces: [HostInterface] = []
        for (position, object) in try document.objects().enumerated() {
            guard let name = object["ifname"] as? String else {
                throw document.error(element: position, "device \(position + 1) has no ifname")
            }
            var device = HostInterface(index: object["ifindex"] as? Int ?? position + 1, name: name,
                                       mac: mac(object["address"] as? String), master: object["master"] as? String,
                                       kind: object["link_type"] as? String == "loopback" ? "loopback" : nil,
                                       isUp: (object["flags"] as? [String])?.contains("UP") ?? true)
            for info in object["addr_info"] as? [[String: Any]] ?? [] {
                guard let text = info["local"] as? String else { continue }
                guard let local = address(text) else {
                    throw document.error(element: position, key: "addr_info",
                                         "\(name): '\(text)' is not an address")
                }
                let longest = local.family == .ipv6 ? 128 : 32
                let prefixLength = info["prefixlen"] as? Int ?? longest
                guard (0...longest).contains(prefixLength) else {
                    throw document.error(element: position, key: "addr_info",
                                         "\(name): prefix length \(prefixLength) of \(text) is not 0 to \(longest)")
                }
                device.addresses.append(HostInterface.Address(address: local, prefixLength: prefixLength,
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

    /// `ip -j route show table all`: `dst` is `default`, an address or a prefix. A value that
    /// cannot be (an address `10.0.2.999`) is an error at its place in the file.
    static func routes(_ document: JSONDocument, family forced: Family? = nil) throws(SnapshotError) -> [Route] {
        var routes: [Route] = []
        for (position, object) in try document.objects().enumerated() {
            guard let destinationText = object["dst"] as? String else {
                throw document.error(element: position, "route \(position + 1) has no dst")
            }
            func optionalAddress(_ key: String) throws(SnapshotError) -> IPAddress? {
                try read(key, of: object, element: position, in: document, item: "route", as: "an address", address)
            }
            let gateway = try optionalAddress("gateway")
            let family: Family = forced ?? (destinationText.contains(":") || gateway?.family == .ipv6 ? .ipv6 : .ipv4)
            let destination: Network
            if destinationText == "default" {
                destination = .any(family)
            } else if let network = Network(parsing: Array(destinationText.utf8), family: family) {
                destination = network
            } else {
                throw document.error(element: position, key: "dst",
                                     "route \(position + 1): dst '\(destinationText)' is not default, an address "
                                        + "or a prefix")
            }
            routes.append(Route(type: object["type"] as? String ?? "unicast", destination: destination, gateway: gateway,
                                device: object["dev"] as? String, table: (object["table"] as? String) ?? "main",
                                preferredSource: try optionalAddress("prefsrc"), metric: object["metric"] as? Int ?? 0))
        }
        return routes
    }

    /// `ip -j neigh show`.
    static func neighbours(_ document: JSONDocument) throws(SnapshotError) -> [Neighbour] {
        var neighbours: [Neighbour] = []
        for (position, object) in try document.objects().enumerated() {
            guard let device = object["dev"] as? String,
                  let ip = try read("dst", of: object, element: position, in: document, item: "neighbour",
                                    as: "an address", address) else { continue }
            // (A tunnel's neighbour has an address for lladdr, not a MAC: no MAC then.)
            neighbours.append(Neighbour(address: ip, device: device, mac: mac(object["lladdr"] as? String)))
        }
        return neighbours
    }

    /// `bridge -j fdb show`: entries learned on bridge ports have a `master`.
    static func forwardingEntries(_ document: JSONDocument) throws(SnapshotError) -> [ForwardingEntry] {
        var entries: [ForwardingEntry] = []
        for (position, object) in try document.objects().enumerated() {
            guard let port = object["ifname"] as? String,
                  let address = try read("mac", of: object, element: position, in: document, item: "forwarding entry",
                                         as: "a MAC address", mac) else { continue }
            entries.append(ForwardingEntry(mac: address, port: port, bridge: object["master"] as? String))
        }
        return entries
    }

    /// The text of `key` in element `position` of a document, read by `parse`: nil when the key
    /// is absent, an error at its place (`route 2: gateway '10.0.2.999' is not an address`)
    /// when the text cannot be read.
    private static func read<Value>(_ key: String, of object: [String: Any], element position: Int,
                                    in document: JSONDocument, item: String, as kind: String,
                                    _ parse: (String?) -> Value?) throws(SnapshotError) -> Value? {
        guard let text = object[key] as? String else { return nil }
        guard let value = parse(text) else {
            throw document.error(element: position, key: key,
                                 "\(item) \(position + 1): \(key) '\(text)' is not \(kind)")
        }
        return value
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
