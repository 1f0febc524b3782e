import XCTest
@testable import Netfilter

/// What the kernel refuses in nft text that parses, each case as nft 1.0.6 answered it in a
/// scratch namespace (`nft -f`), and what it takes.
final class NftValidatorTests: XCTestCase {
    /// The messages of a table's diagnostics.
    func problems(_ body: String, family: String = "ip") -> [String] {
        let result = NftParser.parse("table \(family) t {\n" + body + "}\n")
        XCTAssertEqual(result.diagnostics, [], "the text parses")
        return NftValidator.diagnostics(of: result).map(\.message)
    }

    func chain(_ name: String, _ base: String? = nil, _ rules: [String] = []) -> String {
        "\tchain \(name) {\n" + (base.map { "\t\t\($0)\n" } ?? "") + rules.map { "\t\t\($0)\n" }.joined() + "\t}\n"
    }

    let input = "type filter hook input priority filter; policy accept;"

    func testJumpsAndReferencesMustLeadSomewhere() {
        XCTAssertEqual(problems(chain("c", input, ["jump nowhere"])),
                       ["no chain 'nowhere' in table ip t to jump to (the kernel answers: No such file or directory)"])
        XCTAssertEqual(problems(chain("c", input, ["ip saddr @nosuch accept"])),
                       ["no set or map '@nosuch' in table ip t (the kernel answers: No such file or directory)"])
        let set = "\tset s {\n\t\ttype ipv4_addr\n\t}\n\n"
        XCTAssertEqual(problems(set + chain("c", input, ["ip saddr vmap @s"])),
                       ["'@s' is not a verdict map (nft: Expression is not a map)"])
        XCTAssertEqual(problems(set + chain("c", input, ["ip saddr @s accept", "ip saddr vmap { 10.0.0.1 : jump d }"])
                                + "\n" + chain("d")), [])
        XCTAssertEqual(problems(chain("c", input, ["ip saddr vmap { 10.0.0.1 : goto gone }"])).count, 1)
    }

    func testLoopsCountOnlyFromABaseChain() {
        let loop = chain("a", nil, ["jump b"]) + "\n" + chain("b", nil, ["jump a"])
        XCTAssertEqual(problems(loop), [], "a loop no base chain reaches loads")
        XCTAssertEqual(problems(loop + "\n" + chain("c", input, ["jump a"])),
                       ["the jumps from base chain 'c' come back to chain 'a' (the kernel answers: Too many links)"])
        XCTAssertEqual(problems(chain("a", nil, ["jump b"]) + "\n" + chain("b") + "\n"
                                + chain("c", input, ["jump a", "jump b"])), [], "two ways to one chain are no loop")
    }

    func testHooksAndChainTypesOfEachFamily() {
        XCTAssertEqual(problems(chain("c", "type filter hook ingress priority filter; policy accept;")),
                       ["the ip family does not support hook ingress"])
        XCTAssertEqual(problems(chain("c", "type filter hook ingress priority filter; policy accept;"),
                                family: "inet"),
                       ["an ingress chain needs its device (`device NAME`)"])
        XCTAssertEqual(problems(chain("c", "type filter hook ingress device \"lo\" priority filter; policy accept;"),
                                family: "inet"), [])
        XCTAssertEqual(problems(chain("c", "type nat hook forward priority dstnat; policy accept;")).count, 1)
        XCTAssertEqual(problems(chain("c", "type nat hook postrouting priority srcnat; policy accept;")), [])
        XCTAssertEqual(problems(chain("c", "type nat hook postrouting priority srcnat; policy accept;"),
                                family: "bridge").count, 1)
        XCTAssertEqual(problems(chain("c", "type route hook input priority mangle; policy accept;")).count, 1)
        XCTAssertEqual(problems(chain("c", "type route hook output priority mangle; policy accept;")), [])
        XCTAssertEqual(problems(chain("c", "type filter hook forward priority filter; policy accept;"),
                                family: "arp"), ["the arp family does not support hook forward"])
    }

    /// Where NAT and reject may run, through the chains a base chain reaches, and a nat chain's
    /// priority (each refused by nft -f on this machine: Operation not supported).
    func testNATAndRejectWhereTheKernelTakesThem() {
        let filterInput = "type filter hook input priority filter; policy accept;"
        let natPre = "type nat hook prerouting priority dstnat; policy accept;"
        let natPost = "type nat hook postrouting priority srcnat; policy accept;"
        XCTAssertEqual(problems(chain("c", filterInput, ["tcp dport 1 dnat to 10.0.0.1"])),
                       ["dnat runs in nat chains only, not in a filter chain at input (the kernel answers: "
                        + "Operation not supported)"])
        XCTAssertEqual(problems(chain("c", natPre, ["masquerade"])),
                       ["masquerade runs at postrouting, not at prerouting (the kernel answers: Operation not "
                        + "supported)"])
        XCTAssertEqual(problems(chain("c", natPost, ["dnat to 10.0.0.1"])).count, 1)
        XCTAssertEqual(problems(chain("c", natPost, ["masquerade", "snat to 10.0.0.1"])), [])
        let jumped = chain("c", filterInput, ["jump d"]) + "\n" + chain("d", nil, ["snat to 10.0.0.1"])
        XCTAssertEqual(problems(jumped).count, 1, "through a jump")
        XCTAssertEqual(problems(chain("d", nil, ["snat to 10.0.0.1"])), [], "a chain no base chain reaches loads")
        XCTAssertEqual(problems(chain("c", "type filter hook postrouting priority filter; policy accept;", ["reject"])),
                       ["reject runs at prerouting, input, forward or output, not at postrouting (the kernel answers: "
                        + "Operation not supported)"])
        let prerouting = "type filter hook prerouting priority filter; policy accept;"
        XCTAssertEqual(problems(chain("c", prerouting, ["reject"])), [])
        XCTAssertEqual(problems(chain("c", "type nat hook postrouting priority raw; policy accept;")),
                       ["a nat chain's priority must be above conntrack's (-200), not raw (the kernel answers: "
                        + "Operation not supported)"])
        XCTAssertEqual(problems(chain("c", "type nat hook postrouting priority -199; policy accept;")), [])
    }
}
