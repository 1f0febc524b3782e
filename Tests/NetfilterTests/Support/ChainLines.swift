import XCTest
@testable import Netfilter

/// Rule sets shaped as one long line of user chains (issue 17): FORWARD jumps to C1, C1 to
/// C2, and so on. The kernel loads such a line however long it is; walks over the chain
/// graph that recursed once per chain overflowed the stack on it.
enum ChainLines {
    /// The dump: `count` user chains C1...C`count` in `table`, each reached from the one
    /// before by `verb` (`-j` or `-g`), FORWARD's one rule reaching C1; `last` is the last
    /// chain's rule after the chain name (`-j DROP`, `-j C1`), none leaves it empty.
    static func text(count: Int, table: String = "filter", verb: String = "-j", last: String? = nil) -> String {
        var lines = ["*\(table)"]
        for chain in builtins(table) { lines.append(":\(chain) ACCEPT [0:0]") }
        for number in 1...count { lines.append(":C\(number) - [0:0]") }
        lines.append("-A FORWARD \(verb) C1")
        for number in 1..<count { lines.append("-A C\(number) \(verb) C\(number + 1)") }
        if let last { lines.append("-A C\(count) \(last)") }
        lines.append("COMMIT")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same rule set built in memory (parsing 100,000 chains takes seconds in a debug
    /// build), with the locations its text has. `last` alone is parsed.
    static func ruleset(count: Int, table: String = "filter", verb: String = "-j", last: String? = nil,
                        family: Family = .ipv4, file: StaticString = #filePath, line: UInt = #line) -> Ruleset {
        let names = builtins(table)
        let firstChainLine = 2 + names.count, firstRuleLine = firstChainLine + count
        var result = Table(name: table, location: SourceLocation(line: 1, column: 1))
        let zero = Counters(packets: 0, bytes: 0)
        for (offset, name) in names.enumerated() {
            result.chains.append(Chain(name: name, policy: .accept, counters: zero,
                                       location: SourceLocation(line: 2 + offset, column: 1)))
        }
        for number in 1...count {
            result.chains.append(Chain(name: "C\(number)", counters: zero,
                                       location: SourceLocation(line: firstChainLine + number - 1, column: 1)))
        }
        func jump(from chain: String, to target: String, line: Int) -> Rule {
            var rule = Rule(location: SourceLocation(line: line, column: 1))
            rule.target = verb == "-g" ? .goto(target) : .jump(target)
            rule.targetLocation = SourceLocation(line: line, column: 5 + chain.utf8.count)
            return rule
        }
        let forward = names.firstIndex(of: "FORWARD") ?? 0
        result.chains[forward].rules = [jump(from: "FORWARD", to: "C1", line: firstRuleLine)]
        for number in 1..<count {
            let rule = jump(from: "C\(number)", to: "C\(number + 1)", line: firstRuleLine + number)
            result.chains[names.count + number - 1].rules = [rule]
        }
        if let last {
            let parsed = SaveParser.parse("*\(table)\n:C - [0:0]\n-A C \(last)\nCOMMIT\n", family: family)
            XCTAssertEqual(parsed.errors, [], "the last rule should parse", file: file, line: line)
            if var rule = parsed.ruleset.tables.first?.chains.first(where: { $0.name == "C" })?.rules.first {
                rule.location = SourceLocation(line: firstRuleLine + count, column: 1)
                rule.targetLocation = .unknown
                result.chains[names.count + count - 1].rules = [rule]
            }
        }
        result.commitLocation = SourceLocation(line: firstRuleLine + count + (last == nil ? 0 : 1), column: 1)
        return Ruleset(family: family, tables: [result])
    }

    static func builtins(_ table: String) -> [String] { TableKind(rawValue: table)?.builtinChains ?? [] }
}
