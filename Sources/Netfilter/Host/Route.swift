/// A route of the host, from `ip -j route show table all`.
public struct Route: Sendable, Hashable {
    /// unicast, local, broadcast, blackhole, unreachable, prohibit, ...
    public var type: String
    public var destination: Network
    public var gateway: IPAddress?
    public var device: String?
    /// `local`, `main`, `default` or a number.
    public var table: String
    public var preferredSource: IPAddress?
    public var metric: Int

    public init(type: String = "unicast", destination: Network, gateway: IPAddress? = nil, device: String? = nil,
                table: String = "main", preferredSource: IPAddress? = nil, metric: Int = 0) {
        self.type = type
        self.destination = destination
        self.gateway = gateway
        self.device = device
        self.table = table
        self.preferredSource = preferredSource
        self.metric = metric
    }
}

/// A neighbour entry (`ip -j neigh show`): which link-layer address an IP has on a device.
public struct Neighbour: Sendable, Hashable {
    public var address: IPAddress
    public var device: String
    public var mac: MACAddress?

    public init(address: IPAddress, device: String, mac: MACAddress?) {
        self.address = address
        self.device = device
        self.mac = mac
    }
}

/// A bridge forwarding database entry (`bridge -j fdb show`): behind which port of which
/// bridge a MAC address is.
public struct ForwardingEntry: Sendable, Hashable {
    public var mac: MACAddress
    /// The bridge port (`ifname`).
    public var port: String
    /// The bridge (`master`); nil for the device's own entries (`self`).
    public var bridge: String?

    public init(mac: MACAddress, port: String, bridge: String?) {
        self.mac = mac
        self.port = port
        self.bridge = bridge
    }
}
