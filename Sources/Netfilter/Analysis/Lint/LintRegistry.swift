/// Every lint verdict knows, in the order `verdict lint --list` prints them. Adding one
/// means writing its file under Analysis/Lints, its section in docs/lints.md, and a line here.
public enum LintRegistry {
    public static let all: [any Lint] = [
        ShadowedRule(), UnreachableRule(), UselessReturn(), DuplicateRule(), RedundantPolicyRule(),
        UnusedChain(), EmptyChainJump(), StateMatch(), UnlimitedLog(), NeverHitRule(), LateEstablished(),
        IPv6Unfiltered(),
        DockerChainEdit(), DockerUserFirst(), PublishedPort(), UfwBypassed(), DockerForwardPolicy(),
        DockerMasquerade(), DockerIsolation(), ContainerDirectAccess(), LocalhostPortExposed(),
    ]

    /// The lint with this id.
    public static func lint(_ id: String) -> (any Lint)? { all.first { $0.descriptor.id == id } }
}
