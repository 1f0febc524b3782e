/// A network device of the host, from `ip -j addr show` and `ip -j -d link show`.
public struct HostInterface: Sendable, Hashable {
    /// An address of the device with its prefix length and scope (`global`, `link`, `host`).
    public struct Address: Sendable, Hashable {
        public var address: IPAddress
        public var prefixLength: Int
        public var scope: String

        public init(address: IPAddress, prefixLength: Int, scope: String = "global") {
            self.address = address
            self.prefixLength = prefixLength
            self.scope = scope
        }
    }

    public var index: Int
    public var name: String
    public var mac: MACAddress?
    /// The bridge this device is a port of (`master`), if any.
    public var master: String?
    /// `bridge`, `veth`, `loopback`, ... (`linkinfo.info_kind`, or the link type).
    public var kind: String?
    /// Addresses in the kernel's order: the first IPv4 address is the primary one.
    public var addresses: [Address]
    public var isUp: Bool

    public init(index: Int, name: String, mac: MACAddress? = nil, master: String? = nil, kind: String? = nil,
                addresses: [Address] = [], isUp: Bool = true) {
        self.index = index
        self.name = name
        self.mac = mac
        self.master = master
        self.kind = kind
        self.addresses = addresses
        self.isUp = isUp
    }

    public var isBridge: Bool { kind == "bridge" }
    public var isLoopback: Bool { kind == "loopback" || name == "lo" }
    /// Whether packets from elsewhere arrive on it: not a loopback, a bridge or a bridge port.
    public var facesOutside: Bool { !isLoopback && master == nil && !isBridge }
}
