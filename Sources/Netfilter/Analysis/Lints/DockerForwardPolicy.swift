/// Docker networks on a host whose FORWARD policy is ACCEPT: everything Docker's chains do
/// not decide is forwarded, between any two interfaces of the host.
public struct DockerForwardPolicy: Lint {
    public let descriptor = LintDescriptor(
        id: "docker-forward-accept", severity: .warning, title: "FORWARD policy ACCEPT with Docker",
        summary: "Docker networks are present but filter/FORWARD's policy is ACCEPT: traffic Docker's chains do not decide is forwarded.",
        group: "docker")

    public init() {}

    public func check(_ context: LintContext) -> [LintFinding] {
        guard let layout = context.docker, !layout.bridges.isEmpty, let input = context.ipv4,
              let filter = input.ruleset.table(named: "filter"), let forward = filter.chain(named: "FORWARD"),
              forward.policy == .accept,
              !forward.rules.contains(where: { $0.isUnconditional && ($0.target == .verdict(.drop) || $0.target.isReject) }) else { return [] }
        return [LintFinding(
            lint: descriptor,
            message: "filter/FORWARD has policy ACCEPT while Docker networks (\(layout.bridges.joined(separator: ", "))) are present: packets Docker's chains do not decide are forwarded between any interfaces; Docker sets DROP unless told not to (ip-forward-no-drop)",
            location: context.location(input, filter, forward))]
    }
}

extension RuleTarget {
    /// `-j REJECT`.
    var isReject: Bool {
        if case .extension(let call) = self { return call.traits.contains(.answersSender) }
        return false
    }
}
