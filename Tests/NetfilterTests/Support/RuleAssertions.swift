import XCTest
@testable import Netfilter

/// Parses one rule in a one-chain table, as `iptables -t TABLE -A CHAIN RULE` would add it.
func parseRule(_ rule: String, table: String = "filter", chain: String = "INPUT",
               family: Family = .ipv4) -> (rule: Rule?, errors: [Diagnostic]) {
    let builtin = TableKind(rawValue: table)?.builtinChains.contains(chain) ?? false
    let dump = "*\(table)\n:\(chain) \(builtin ? "ACCEPT" : "-") [0:0]\n-A \(chain) \(rule)\nCOMMIT\n"
    let result = SaveParser.parse(dump, family: family)
    let errors = result.errors + Validator.validate(result.ruleset).filter { $0.severity == .error }
    return (result.ruleset.tables.first?.chains.first?.rules.first, errors)
}

/// Asserts that a rule is accepted and prints back as `expected` (the rule itself when nil).
func assertSaves(_ rule: String, as expected: String? = nil, table: String = "filter", chain: String = "INPUT",
                 family: Family = .ipv4, file: StaticString = #filePath, line: UInt = #line) {
    let (parsed, errors) = parseRule(rule, table: table, chain: chain, family: family)
    XCTAssertEqual(errors, [], "'\(rule)' should be accepted", file: file, line: line)
    guard let parsed else { return XCTFail("no rule parsed", file: file, line: line) }
    XCTAssertEqual(SavePrinter.ruleText(parsed, family: family), expected ?? rule, file: file, line: line)
}

/// Asserts that a rule is refused with an error whose message contains `fragment`.
func assertRefuses(_ rule: String, containing fragment: String, table: String = "filter", chain: String = "INPUT",
                   family: Family = .ipv4, file: StaticString = #filePath, line: UInt = #line) {
    let (_, errors) = parseRule(rule, table: table, chain: chain, family: family)
    XCTAssert(errors.contains { $0.message.contains(fragment) },
              "'\(rule)' should be refused with '\(fragment)'; got \(errors.map(\.message))", file: file, line: line)
}
