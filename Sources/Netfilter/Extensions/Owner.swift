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
        }, listing: .owner)
}

// libxt_owner.c owner_mt_print: `[!] owner socket exists`, `[!] owner UID match ID`,
// `[!] owner GID match ID`, `incl. suppl. groups`; without -n a single id is printed as
// the listing host's user or group name, which is not resolved offline (but root).
// Revision 0 also printed `owner PID match`, `owner SID match`, `owner CMD match`.
extension ListingForm {
    static let owner = ListingForm(leads: ["owner ", "incl. suppl. groups"]) { reader in
        let items: [(String, String, Bool)] = [
            ("owner socket exists", "socket-exists", false), ("owner UID match", "uid-owner", true),
            ("owner GID match", "gid-owner", true), ("incl. suppl. groups", "suppl-groups", false),
            ("owner PID match", "pid-owner", true), ("owner SID match", "sid-owner", true), ("owner CMD match", "cmd-owner", true),
        ]
        var count = 0
        while true {
            let start = reader
            let column = reader.cursor.columnAfterBlanks
            let negated = reader.cursor.takeNegation()
            guard let item = items.first(where: { reader.cursor.takeWord($0.0) }) else {
                reader = start
                break
            }
            var values: [String] = []
            if item.2 {
                guard let (value, _) = reader.cursor.word() else {
                    reader.fail("'\(item.0)' without its id", column: column)
                    return true
                }
                values = [value]
            }
            reader.option(item.1, values, negated: negated, column: column)
            count += 1
        }
        return count > 0
    }
}
