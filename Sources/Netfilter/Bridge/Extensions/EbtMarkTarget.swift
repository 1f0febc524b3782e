// libebt_mark.c / net/bridge/netfilter/ebt_mark.c: sets, ors, ands or xors the frame's
// mark, then gives the rule's verdict (`--mark-target`, ACCEPT when not given).

extension EbtablesModule {
    /// `-j mark --mark-set|--mark-or|--mark-and|--mark-xor VALUE [--mark-target VERDICT]`.
    static let markTarget = EbtablesModule("mark", .target, options: [
        EbtablesOption(["--mark-set", "--set-mark"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
        EbtablesOption(["--mark-or"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
        EbtablesOption(["--mark-and"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
        EbtablesOption(["--mark-xor"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
        EbtablesOption(["--mark-target"], module: "", .target, negatable: false),
    ], required: ["--mark-set", "--mark-or", "--mark-and", "--mark-xor"], read: EbtMarkTarget.init)
}

/// The mark target's options, typed: what it does to the mark as `(mark & ~mask) ^ value`
/// (set: mask all ones; or: mask and value V; and: mask ~V, value 0; xor: mask 0).
struct EbtMarkTarget: EbtablesExtension {
    var mask: UInt64
    var value: UInt64
    var verdict: String

    init(_ options: EbtablesOptions) {
        func number(_ name: String) -> UInt64? {
            options[name].flatMap { EbtablesValue.number($0.values.first ?? "") }.map { $0 & 0xFFFF_FFFF }
        }
        if let set = number("--mark-set") {
            (mask, value) = (0xFFFF_FFFF, set)
        } else if let or = number("--mark-or") {
            (mask, value) = (or, or)
        } else if let and = number("--mark-and") {
            (mask, value) = (~and & 0xFFFF_FFFF, 0)
        } else {
            (mask, value) = (0, number("--mark-xor") ?? 0)
        }
        verdict = options.verdict("--mark-target", default: "ACCEPT")
    }

    func apply(to result: inout EbtablesResult) -> String {
        if result.packet.open.contains(.mark) {
            // An open mark: what it becomes, as bits of the mark it arrived with.
            switch result.environment.setBits(.mark, value: value, mask: mask) {
            case .bits(let keep, let flip, _) where keep == 0: close(&result, flip)
            case .value(let constant): close(&result, UInt64(truncatingIfNeeded: constant))
            default: break
            }
        } else {
            close(&result, (UInt64(result.packet.mark) & ~mask) ^ value)
        }
        return verdict
    }

    private func close(_ result: inout EbtablesResult, _ mark: UInt64) {
        result.environment.rewrites[.mark] = nil
        result.packet.mark = UInt32(truncatingIfNeeded: mark)
        result.packet.open.remove(.mark)
    }
}
