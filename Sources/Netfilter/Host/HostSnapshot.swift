import Foundation

/// What a host looks like: its rules, devices, addresses, routes, neighbours, bridge
/// forwarding entries and sysctls, as `Scripts/snapshot-host` captures them in a folder.
/// Every file but `iptables.rules` is optional; `notes` says what was missing and what is
/// assumed instead.
public struct HostSnapshot: Sendable {
    public var ruleset: Ruleset
    public var ipv6Ruleset: Ruleset?
    /// The bridge family's rules (`ebtables.rules`); nil when not captured.
    public var ebtables: EbtablesRuleset?
    /// The nftables ruleset (`nft.rules`, `nft list ruleset`) without iptables-nft's own
    /// tables (walked from `iptables.rules`); nil when not captured.
    public var nft: NftRuleset?
    public var interfaces: [HostInterface]
    public var routes: [Route]
    public var neighbours: [Neighbour]
    public var forwardingEntries: [ForwardingEntry]
    public var sysctls: [String: String]
    /// The listening sockets (`ss.txt`); nil when not captured (every port is assumed open).
    public var listeners: [Listener]?
    /// The host's ipsets (`ipset.save`); nil when not captured (set matches are unknown).
    public var ipsets: IPSets?
    /// What the snapshot lacks and what is assumed: "no bridge-fdb.json: physdev-out unknown".
    public var notes: [String]

    public init(ruleset: Ruleset, ipv6Ruleset: Ruleset? = nil, interfaces: [HostInterface] = [], routes: [Route] = [],
                neighbours: [Neighbour] = [], forwardingEntries: [ForwardingEntry] = [], sysctls: [String: String] = [:],
                notes: [String] = []) {
        self.ruleset = ruleset
        self.ipv6Ruleset = ipv6Ruleset
        self.interfaces = interfaces
        self.routes = routes
        self.neighbours = neighbours
        self.forwardingEntries = forwardingEntries
        self.sysctls = sysctls
        self.notes = notes
    }

    /// The file names of a snapshot folder.
    public enum File {
        public static let rules = "iptables.rules"
        public static let ipv6Rules = "ip6tables.rules"
        public static let addresses = "ip-addr.json"
        public static let routes = "ip-route.json"
        public static let routes6 = "ip-route6.json"
        public static let links = "ip-link.json"
        public static let neighbours = "ip-neigh.json"
        public static let forwarding = "bridge-fdb.json"
        public static let sysctls = "sysctl.txt"
        public static let ebtables = "ebtables.rules"
        public static let listeners = "ss.txt"
        public static let ipsets = "ipset.save"
        public static let nft = "nft.rules"
        public static let nftJSON = "nft.json"
    }

    /// Whether a path is a snapshot folder: a directory (`load` then says if it lacks
    /// `iptables.rules`).
    public static func isSnapshot(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// `nft.rules` (or `nft.json`, `nft -j list ruleset`) read and checked as `nft -f` would;
    /// nil when there is none.
    static func nftRules(_ bytes: [UInt8]?, file: String, json: Bool = false) throws(SnapshotError) -> NftRuleset? {
        guard let bytes else { return nil }
        let (parsed, diagnostics) = RulesInput.readNft(bytes, format: json ? .nftJSON : .nft)
        if let error = diagnostics.first(where: { $0.severity == .error }) {
            throw SnapshotError(file: file, location: error.location, message: error.message)
        }
        return parsed.ruleset
    }

    /// The nft tables without those iptables-nft made for the iptables-save files' tables
    /// (an ip or ip6 table named as one of them, with an iptables built-in chain such as
    /// INPUT): the same rules, walked once. The names of the tables left out.
    static func withoutIptablesTables(_ nft: NftRuleset, iptables: [Ruleset?]) -> (NftRuleset, [String]) {
        var kept = nft
        var dropped: [String] = []
        kept.tables.removeAll { table in
            let rules = table.family == .ip ? iptables[0] : table.family == .ip6 ? iptables[1] : nil
            guard let rules, rules.table(named: table.name) != nil,
                  table.chains.contains(where: { chain in Hook.allCases.contains { $0.rawValue == chain.name } })
            else { return false }
            dropped.append("table \(table.family.rawValue) \(table.name)")
            return true
        }
        return (kept, dropped)
    }

    /// Loads a snapshot folder; the first error (a file that does not parse) is thrown.
    public static func load(_ folder: String) throws(SnapshotError) -> HostSnapshot {
        try load(folder) { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
    }

    /// Loads a snapshot whose files `contents` gives by path (nil: no such file); the paths
    /// are the folder's, as errors name them.
    public static func load(_ folder: String, contents: (String) -> [UInt8]?) throws(SnapshotError) -> HostSnapshot {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        func read(_ name: String) -> [UInt8]? { contents(path(name)) }
        func rules(_ name: String, family: Family) throws(SnapshotError) -> Ruleset? {
            guard let bytes = read(name) else { return nil }
            let parsed = RulesInput.parse(bytes, family: family)
            if let error = parsed.errors.first {
                throw SnapshotError(file: path(name), location: error.location, message: error.message)
            }
            return parsed.ruleset
        }
        var nft = try nftRules(read(File.nft), file: path(File.nft))
        if nft == nil { nft = try nftRules(read(File.nftJSON), file: path(File.nftJSON), json: true) }
        guard let ruleset = try rules(File.rules, family: .ipv4) ?? nft.map({ _ in Ruleset(family: .ipv4) }) else {
            throw SnapshotError(file: path(File.rules), message: "a snapshot needs iptables.rules (iptables-save) "
                                + "or nft.rules (nft list ruleset); neither found")
        }
        var snapshot = HostSnapshot(ruleset: ruleset)
        snapshot.ipv6Ruleset = try rules(File.ipv6Rules, family: .ipv6)
        if let nft {
            let (kept, dropped) = withoutIptablesTables(nft, iptables: [ruleset, snapshot.ipv6Ruleset])
            snapshot.nft = kept
            let program = NftProgram(kept)
            snapshot.notes += ([ruleset] + [snapshot.ipv6Ruleset].compactMap { $0 }).flatMap(program.ties)
            if !dropped.isEmpty {
                let tables = dropped.joined(separator: ", ")
                snapshot.notes.append("\(File.nft): \(tables) are iptables-nft's tables, walked from the iptables-save "
                                      + "files")
            }
        }
        func document(_ name: String) -> JSONDocument? {
            read(name).map { JSONDocument(file: path(name), bytes: $0) }
        }
        func objects(_ name: String) throws(SnapshotError) -> [[String: Any]]? {
            try document(name)?.objects()
        }
        if let addresses = document(File.addresses) {
            snapshot.interfaces = try SnapshotReader.interfaces(addresses)
        } else {
            snapshot.notes.append("no \(File.addresses): the host's addresses are unknown (addrtype, MASQUERADE and local delivery are unknown)")
        }
        if let links = try objects(File.links) {
            SnapshotReader.addLinkDetails(links, to: &snapshot.interfaces)
        }
        if let routes = document(File.routes) {
            snapshot.routes = try SnapshotReader.routes(routes)
        } else {
            snapshot.notes.append("no \(File.routes): routes come from the addresses' subnets only")
        }
        if let routes = document(File.routes6) {
            snapshot.routes += try SnapshotReader.routes(routes, family: .ipv6)
        }
        if let neighbours = document(File.neighbours) {
            snapshot.neighbours = try SnapshotReader.neighbours(neighbours)
        }
        if let entries = document(File.forwarding) {
            snapshot.forwardingEntries = try SnapshotReader.forwardingEntries(entries)
        } else {
            snapshot.notes.append("no \(File.forwarding): a bridged packet's out port (physdev-out) is unknown")
        }
        if let bytes = read(File.ebtables) {
            do throws(EbtablesParser.ParseError) {
                snapshot.ebtables = try EbtablesParser.parse(String(decoding: bytes, as: UTF8.self))
            } catch {
                throw SnapshotError(file: path(File.ebtables), location: SourceLocation(line: error.line, column: error.column), message: error.message)
            }
        }
        if let bytes = read(File.listeners) {
            snapshot.listeners = try Listener.parse(String(decoding: bytes, as: UTF8.self), file: path(File.listeners))
        } else {
            snapshot.notes.append("no \(File.listeners): every local port is assumed to have a listener")
        }
        if let bytes = read(File.ipsets) {
            snapshot.ipsets = try IPSets.parse(String(decoding: bytes, as: UTF8.self), file: path(File.ipsets))
        } else if ruleset.tables.contains(where: { $0.chains.contains { $0.rules.contains { $0.matches.contains { $0.spec.name == "set" } } } }) {
            snapshot.notes.append("no \(File.ipsets): the rules' set matches are unknown")
        }
        if let bytes = read(File.sysctls) {
            snapshot.sysctls = try SnapshotReader.sysctls(bytes, file: path(File.sysctls))
        } else {
            snapshot.notes.append("no \(File.sysctls): assumed ip_forward=1, bridge-nf-call-iptables=1")
        }
        return snapshot
    }
}
