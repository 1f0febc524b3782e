/// A RETURN as the last rule of a user chain: falling off the end of the chain returns
/// anyway, with or without the rule's conditions.
public struct UselessReturn: Lint {
    public let descriptor = LintDescriptor(
        id: "useless-return", severity: .note, title: "Useless RETURN",
        summary: "A RETURN at the end of a user chain changes nothing: the chain returns there anyway.")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        var findings: [LintFinding] = []
        context.forEachChain { input, table, chain in
            guard !table.builtinChainNames.contains(chain.name), !LintContext.isManaged(chain.name),
                  let last = chain.rules.last, last.target == .verdict(.return), !last.isOpaque else { return }
            let index = chain.rules.count - 1
            findings.append(LintFinding(
                lint: descriptor,
                message: "the RETURN at the end of \(table.name)/\(chain.name) (rule \(index + 1)) changes nothing: the chain returns there anyway",
                location: context.location(input, table, chain, rule: index)))
        }
        return findings
    }
}
