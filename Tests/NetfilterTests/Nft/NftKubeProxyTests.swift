import Foundation
import XCTest
@testable import Netfilter

/// kube-proxy's nftables mode (Tests/Fixtures/nft/kube-proxy, README.md there): rule sets
/// kubernetes' own tests expect (pkg/proxy/nftables/proxier_test.go), as nft 1.0.6 lists them
/// once loaded; and the lines `nft monitor trace` printed for packets sent through a node
/// built in network namespaces with the first of them loaded, compared with verdict's.
final class NftKubeProxyTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/nft/kube-proxy")

    static let listings = ["overall.nft", "repeated.nft", "startup.nft", "traces/trace-table.nft"]

    /// The packets whose lines verdict prints as the kernel did, line for line (one class).
    static let agreeing = [
        "clusterip", "clusterip-other-port", "lb-local-no-endpoint", "no-endpoints-reject",
        "node-to-clusterip-other-port", "nodeip-no-service", "nodeport", "nodeport-local-no-endpoint",
        "ping-clusterip", "pod-to-clusterip",
        "unallocated-clusterip",
    ]

    /// The packets verdict answers with several classes, one of which is the kernel's, and why.
    static let conditional = [
        "lb-source-range-affinity": "session affinity: the affinity set is dynamic, its members state, so verdict "
            + "answers when and unless the source is in it; the kernel's was empty",
    ]

    static func text(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
    }

    /// What the traces ran on: kube-proxy's rules and the trace table, as `nft list ruleset`
    /// printed them together (the two listings one after the other).
    static func tracedRuleset() throws -> NftRuleset {
        let parsed = NftParser.parse(try text("overall.nft") + text("traces/trace-table.nft"))
        XCTAssertEqual(parsed.diagnostics, [])
        XCTAssert(NftTraceRenderer.setsTrace(parsed.ruleset), "the trace table sets nftrace")
        return parsed.ruleset
    }

    func testListingsParseValidateAndPrintBackByteForByte() throws {
        for name in Self.listings {
            let listing = try Self.text(name)
            let parsed = NftParser.parse(listing)
            XCTAssertEqual(parsed.diagnostics, [], name)
            XCTAssertEqual(NftValidator.validate(parsed.ruleset).filter { $0.severity == .error }, [], name)
            XCTAssertEqual(NftPrinter.text(parsed.ruleset), listing, name)
        }
    }

    /// Every trace fixture is asserted.
    func testEveryKubeProxyTraceIsAccountedFor() throws {
        let folder = Self.folder.appendingPathComponent("traces")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
        XCTAssertEqual(names, (Self.agreeing + Self.conditional.keys).sorted())
    }

    func testVerdictPrintsTheKernelsTraceLines() throws {
        let walker = NftHookWalker(try Self.tracedRuleset())
        for name in Self.agreeing {
            let trace = try KubeProxyTrace(name)
            XCTAssertEqual(try trace.classLines(walker), [trace.kernelLines], name)
        }
        for (name, reason) in Self.conditional {
            let classes = try KubeProxyTrace(name).classLines(walker)
            XCTAssertGreaterThan(classes.count, 1, "\(name): \(reason)")
            XCTAssert(classes.contains(try KubeProxyTrace(name).kernelLines), "\(name): one class is the kernel's")
        }
    }
}

/// A trace fixture: the first line `verdict trace`'s arguments (`--hook HOOK[,HOOK...]` and
/// the packet's options), then the kernel's lines; `# ` lines are another packet's (a
/// reject's answer) and are not compared.
struct KubeProxyTrace {
    let hooks: [Hook]
    let options: [DescribedOption]
    let kernelLines: [String]

    init(_ name: String) throws {
        let text = try NftKubeProxyTests.text("traces/\(name).txt")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let words = lines.removeFirst().split(separator: " ").map(String.init)
        var hooks: [Hook] = []
        var options: [DescribedOption] = []
        var index = 0
        while index + 1 < words.count {
            if words[index] == "--hook" {
                hooks = words[index + 1].split(separator: ",").compactMap { Hook(rawValue: $0.uppercased()) }
            } else {
                options.append(DescribedOption(words[index], words[index + 1]))
            }
            index += 2
        }
        self.hooks = hooks
        self.options = options
        kernelLines = lines.filter { !$0.hasPrefix("# ") }.map(Self.normalise)
    }

    /// The lines `verdict trace --format nft` prints for each class of the packet (the rules set
    /// nftrace, so only what follows is traced), normalised as the kernel's were.
    func classLines(_ walker: NftHookWalker) throws -> [[String]] {
        var described = try PacketDescription.describe(options: options)
        if walker.program.tracksConnections { described.assumeReassembled() }
        return walker.walk(hooks: hooks, packet: described.packet, packets: described.packets).map { result in
            NftTraceRenderer.traceLines(result, fromStart: false).map(Self.normalise)
        }
    }

    static let packetKeys = [["iif"], ["oif"], ["ip", "saddr"], ["ip", "daddr"], ["tcp", "sport"], ["tcp", "dport"],
                             ["udp", "sport"], ["udp", "dport"], ["icmp", "type"]]

    /// Without `trace id X `, `counter packets N bytes M` as `counter`, a `packet:` line cut to
    /// iif, oif, addresses, ports and ICMP type, and no trailing blanks (nft ends a policy
    /// line with one).
    static func normalise(_ line: String) -> String {
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count > 3, words[0] == "trace", words[1] == "id" { words.removeFirst(3) }
        var out: [String] = []
        var index = 0
        while index < words.count {
            if words[index] == "counter", index + 4 < words.count, words[index + 1] == "packets",
               words[index + 3] == "bytes" {
                out.append("counter")
                index += 5
                continue
            }
            out.append(words[index])
            index += 1
            if words[index - 1] == "packet:" {
                out += cut(Array(words[index...]))
                break
            }
        }
        var text = out.joined(separator: " ")
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// A packet line's fields, only those of `packetKeys`, in their order.
    static func cut(_ words: [String]) -> [String] {
        var kept: [String] = []
        var index = 0
        while index < words.count {
            if let key = packetKeys.first(where: { Array(words[index...].prefix($0.count)) == $0 }),
               index + key.count < words.count {
                kept += words[index...(index + key.count)]
                index += key.count + 1
            } else {
                index += 1
            }
        }
        return kept
    }
}
