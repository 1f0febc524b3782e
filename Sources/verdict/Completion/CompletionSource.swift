import Foundation
import Netfilter

/// A rules file or snapshot folder named on a command line being completed, read
/// leniently: what it names (chains, tables, devices), never an error.
struct CompletionSource {
    let ruleset: Ruleset
    /// The snapshot's devices; empty for a rules file or a snapshot without ip -j files.
    let devices: [String]

    /// Nil when the path is neither a readable rules file nor a snapshot folder.
    init?(path: String) {
        guard path != "-" else { return nil }
        let rulesPath: String
        if HostSnapshot.isSnapshot(path) {
            rulesPath = (path as NSString).appendingPathComponent(HostSnapshot.File.rules)
            devices = (try? HostSnapshot.load(path))?.interfaces.map(\.name) ?? []
        } else {
            rulesPath = path
            devices = []
        }
        guard let data = FileManager.default.contents(atPath: rulesPath) else { return nil }
        let bytes = [UInt8](data)
        let family = RulesInput.detectFamily(bytes, fileName: rulesPath)
        ruleset = RulesInput.parse(bytes, family: family, options: ParseOptions(lenient: true)).ruleset
    }

    /// TABLE/CHAIN for every chain, in the file's order.
    var chains: [String] {
        ruleset.tables.flatMap { table in table.chains.map { table.name + "/" + $0.name } }
    }

    var tables: [String] { ruleset.tables.map(\.name) }

    /// The snapshot's devices, or else the interface names the rules match (not `eth+`).
    var interfaces: [String] {
        if !devices.isEmpty { return devices }
        var names: [String] = []
        for table in ruleset.tables {
            for chain in table.chains {
                for rule in chain.rules {
                    for name in [rule.header.inInterface, rule.header.outInterface].compactMap({ $0?.value })
                    where !name.isWildcard && !names.contains(name.text) {
                        names.append(name.text)
                    }
                }
            }
        }
        return names
    }
}
