/// FORWARD must send every packet to DOCKER-USER before anything else, so that the user's
/// rules there see forwarded traffic before Docker's own chains accept it.
public struct DockerUserFirst: Lint {
    public let descriptor = LintDescriptor(
        id: "docker-user-not-first", severity: .warning, title: "DOCKER-USER is not first",
        summary: "filter/FORWARD does not jump to DOCKER-USER first: rules before the jump (or a missing jump) decide before the user's own rules.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard context.docker != nil, let input = context.ipv4, let filter = input.ruleset.table(named: "filter"),
              let forward = filter.chain(named: "FORWARD"), let user = filter.chain(named: "DOCKER-USER") else { return [] }
        guard let jump = forward.rules.firstIndex(where: { $0.target == .jump("DOCKER-USER") }) else {
            return [LintFinding(lint: descriptor,
                                message: "filter/FORWARD never jumps to DOCKER-USER: the rules there (\(user.rules.count)) never run",
                                location: context.location(input, filter, forward))]
        }
        var findings: [LintFinding] = []
        if !forward.rules[jump].isUnconditional {
            findings.append(LintFinding(lint: descriptor,
                                        message: "the jump to DOCKER-USER (rule \(jump + 1) of filter/FORWARD) has conditions: packets it does not match skip the user's rules",
                                        location: context.location(input, filter, forward, rule: jump)))
        }
        for index in 0..<jump {
            findings.append(LintFinding(
                lint: descriptor,
                message: "rule \(index + 1) of filter/FORWARD (\(forward.rules[index].text(family: .ipv4))) comes before the jump to DOCKER-USER (rule \(jump + 1)): it decides before the user's rules",
                location: context.location(input, filter, forward, rule: index),
                related: [context.location(input, filter, forward, rule: jump)]))
        }
        return findings
    }
}
