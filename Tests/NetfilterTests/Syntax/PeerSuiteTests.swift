import XCTest
@testable import Netfilter

/// Runs iptables' own extension tests (corpus/iptables-tests/extensions/*.t): a rule,
/// what iptables prints back for it, and whether iptables (legacy) accepts it. Every line
/// iptables accepts, verdict must accept and print back the same; every line it refuses,
/// verdict must refuse.
final class PeerSuiteTests: XCTestCase {
    /// Modules whose .t files verdict agrees with completely. A module joins this list
    /// when it agrees on every line; the test then keeps it there.
    static let fullyAgreeing: Set<String> = [
        "libip6t_DNAT", "libip6t_DNPT", "libip6t_HL", "libip6t_LOG", "libip6t_MASQUERADE", "libip6t_NETMAP",
        "libip6t_REJECT", "libip6t_SNAT", "libip6t_SNPT", "libip6t_TEE", "libip6t_TPROXY", "libip6t_ah",
        "libip6t_connlimit", "libip6t_conntrack", "libip6t_dst", "libip6t_eui64", "libip6t_frag",
        "libip6t_hbh", "libip6t_hl", "libip6t_icmp6", "libip6t_iprange", "libip6t_ipv6header", "libip6t_ipvs",
        "libip6t_mh", "libip6t_policy", "libip6t_recent", "libip6t_rt", "libip6t_srh", "libip6t_standard",
        "libipt_DNAT", "libipt_ECN", "libipt_LOG", "libipt_MASQUERADE", "libipt_NETMAP", "libipt_REJECT",
        "libipt_SNAT", "libipt_TEE", "libipt_TPROXY", "libipt_TTL", "libipt_ah", "libipt_connlimit",
        "libipt_conntrack", "libipt_icmp", "libipt_iprange", "libipt_ipvs", "libipt_policy", "libipt_realm",
        "libipt_recent", "libipt_standard", "libipt_ttl", "libxt_AUDIT", "libxt_CHECKSUM", "libxt_CLASSIFY",
        "libxt_CONNMARK", "libxt_CONNSECMARK", "libxt_CT", "libxt_DSCP", "libxt_IDLETIMER", "libxt_LED",
        "libxt_MARK", "libxt_NFLOG", "libxt_NFQUEUE", "libxt_NOTRACK", "libxt_REDIRECT", "libxt_SECMARK",
        "libxt_SYNPROXY", "libxt_TCPMSS", "libxt_TCPOPTSTRIP", "libxt_TEE", "libxt_TOS", "libxt_TRACE",
        "libxt_addrtype", "libxt_cgroup", "libxt_cluster", "libxt_comment", "libxt_connbytes", "libxt_connlabel",
        "libxt_connlimit", "libxt_connmark", "libxt_conntrack", "libxt_cpu", "libxt_dccp", "libxt_dscp",
        "libxt_ecn", "libxt_esp", "libxt_hashlimit", "libxt_helper", "libxt_ipcomp", "libxt_iprange",
        "libxt_ipvs", "libxt_length", "libxt_limit", "libxt_mac", "libxt_mark", "libxt_multiport",
        "libxt_physdev", "libxt_pkttype", "libxt_policy", "libxt_quota", "libxt_recent", "libxt_rpfilter",
        "libxt_sctp", "libxt_socket", "libxt_standard", "libxt_state", "libxt_string", "libxt_tcp",
        "libxt_tcpmss", "libxt_time", "libxt_tos", "libxt_u32", "libxt_udp",
    ]

    struct Outcome {
        var agreed = 0
        var disagreements: [String] = []
    }

    func testPeerSuiteAgreement() throws {
        guard Corpus.root != nil else { throw XCTSkip(Corpus.skipReason) }
        let files = Corpus.files(under: "iptables-tests/extensions", withExtension: "t")
            .filter { !$0.contains("/libebt_") && !$0.contains("/libarpt_") }
        XCTAssertGreaterThan(files.count, 100)
        var outcomes: [(String, Outcome)] = []
        for file in files {
            let text = String(decoding: try Corpus.bytes(file), as: UTF8.self)
            let module = String(file.split(separator: "/").last!.dropLast(2))
            outcomes.append((module, PeerSuite.run(text, family: module.hasPrefix("libip6t") ? .ipv6 : .ipv4)))
        }
        var report = "peer suite (iptables .t files), agreement per module:\n"
        var totalAgreed = 0, total = 0
        for (module, outcome) in outcomes {
            let count = outcome.agreed + outcome.disagreements.count
            totalAgreed += outcome.agreed
            total += count
            report += "  \(module): \(outcome.agreed)/\(count)\n"
            for line in outcome.disagreements { report += "      \(line)\n" }
        }
        report += "peer suite: \(totalAgreed) of \(total) lines agree"
        print(report)
        for (module, outcome) in outcomes where Self.fullyAgreeing.contains(module) {
            XCTAssert(outcome.disagreements.isEmpty, "\(module) no longer agrees with iptables:\n" + outcome.disagreements.joined(separator: "\n"))
        }
    }
}

/// Reads the iptables-test.py format and compares verdict with its expectations.
enum PeerSuite {
    static func run(_ text: String, family: Family) -> PeerSuiteTests.Outcome {
        var outcome = PeerSuiteTests.Outcome()
        var chains = ["INPUT"]
        var table = "filter"
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if line.hasPrefix("#") || line.hasPrefix("@") || line.hasPrefix("%") { continue }
            if line.hasPrefix(":") {
                chains = line.dropFirst().split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                continue
            }
            if line.hasPrefix("*") {
                table = String(line.dropFirst())
                continue
            }
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3 else { continue }
            if fields.count >= 4 && fields[3] == "NFT" { continue }
            let rule = fields[0]
            let expected = fields[1] == "=" ? rule : fields[1]
            let shouldAccept = fields[2] == "OK"
            for chain in chains {
                let got = apply(rule, chain: chain, table: table, family: family)
                switch (shouldAccept, got) {
                case (true, .accepted(let printed)) where printed == expected:
                    outcome.agreed += 1
                case (true, .accepted(let printed)):
                    outcome.disagreements.append("[\(chain)] \(rule)  =>  printed '\(printed)', iptables prints '\(expected)'")
                case (true, .refused(let why)):
                    outcome.disagreements.append("[\(chain)] \(rule)  =>  refused (\(why)), iptables accepts")
                case (false, .refused):
                    outcome.agreed += 1
                case (false, .accepted(let printed)):
                    outcome.disagreements.append("[\(chain)] \(rule)  =>  accepted as '\(printed)', iptables refuses")
                }
            }
        }
        return outcome
    }

    enum Result {
        case accepted(String)
        case refused(String)
    }

    static func apply(_ rule: String, chain: String, table: String, family: Family) -> Result {
        let builtin = TableKind(rawValue: table)?.builtinChains.contains(chain) ?? false
        var dump = "*\(table)\n"
        if builtin {
            dump += ":\(chain) ACCEPT [0:0]\n"
        } else {
            // A user chain the test expects to exist, reached from nowhere.
            dump += ":\(chain) - [0:0]\n"
        }
        dump += "-A \(chain) \(rule)\nCOMMIT\n"
        let result = SaveParser.parse(dump, family: family)
        var diagnostics = result.errors
        diagnostics += Validator.validate(result.ruleset).filter { $0.severity == .error }
        if let first = diagnostics.first { return .refused(first.message) }
        guard let parsed = result.ruleset.tables.first?.chains.first?.rules.first else { return .refused("no rule") }
        return .accepted(SavePrinter.ruleText(parsed, family: family))
    }
}
