// libxt_owner.c (revision 1) / net/netfilter/xt_owner.c: the local socket's owner.

extension ExtensionSpec {
    /// A user or group: a number, a range `N-M`, or a name (only root resolves offline).
    static let ownerID = ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
        let text = arguments[0]
        if text == "root" { return .range(0, 0) }
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let low = UInt64(parts[0]), let high = parts.count > 1 ? UInt64(parts[1]) : low,
              low <= high, high <= UInt64(UInt32.max) else {
            throw ValueError("invalid id \"\(text)\" (a number, a range N-M; names other than root are not resolved offline)")
        }
        return .range(low, high)
    }, print: { value, writer in
        guard case .range(let low, let high) = value else { return }
        writer.word(low == high ? "\(low)" : "\(low)-\(high)")
    })

    /// `-m owner [!] --uid-owner ID [!] --gid-owner ID [--suppl-groups] [!] --socket-exists`,
    /// OUTPUT and POSTROUTING only (only locally generated packets have a socket).
    public static let owner = ExtensionSpec(
        "owner", kind: .match,
        options: [
            OptionSpec("uid-owner", ownerID, negatable: true),
            OptionSpec("gid-owner", ownerID, negatable: true),
            OptionSpec("suppl-groups", .flag),
            OptionSpec("socket-exists", .flag, negatable: true),
        ],
        requiresOption: true, hooks: [.output, .postrouting],
        finalize: { call, context in
            if call.has("suppl-groups") && !call.has("gid-owner") { context.error("--suppl-groups needs --gid-owner") }
        },
        evaluate: { call, packet in
            call.spec.evaluateAll(call, packet) { setting, name in
                guard case .range(let low, let high) = setting.value else {
                    return .unknown("--\(name) is not modelled yet")
                }
                guard let id = name == "uid-owner" ? packet.uid : packet.gid else {
                    return .unknown("--\(name): the socket's owner was not given")
                }
                return MatchOutcome.check(UInt64(id) >= low && UInt64(id) <= high, "\(name) \(id) not in \(low)-\(high)")
                    .negated(setting.negated, "\(name) \(id)")
            }
        })
}
