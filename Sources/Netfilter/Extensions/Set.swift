// libxt_set.c (revision 4) / net/netfilter/xt_set.c: ipset membership, and the SET target.

extension ExtensionSpec {
    /// `NAME FLAGS`: a set name and `src`/`dst` per dimension.
    static let setReference = ValueType(arity: .two, parse: { arguments, _ throws(ValueError) in
        let name = arguments[0]
        if name.isEmpty || name.utf8.count > 31 { throw ValueError("invalid set name \"\(name)\"") }
        let flags = arguments[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !flags.isEmpty, flags.count <= 6, flags.allSatisfy({ $0 == "src" || $0 == "dst" }) else {
            throw ValueError("invalid set flags \"\(arguments[1])\" (a comma list of src and dst)")
        }
        return .tuple([.word(name), .words(flags)])
    }, print: { value, writer in
        guard case .tuple(let parts) = value, parts.count == 2, case .word(let name) = parts[0],
              case .words(let flags) = parts[1] else { return }
        writer.word(name)
        writer.word(flags.joined(separator: ","))
    })

    /// `-m set [!] --match-set NAME src|dst[,...] [--return-nomatch] [! --update-counters]
    /// [! --update-subcounters] [[!] --packets-eq N | --packets-lt N | --packets-gt N] [bytes likewise]`.
    public static let set = ExtensionSpec(
        "set", kind: .match,
        options: [
            OptionSpec("match-set", aliases: ["set"], setReference, negatable: true, required: true),
            OptionSpec("return-nomatch", .flag),
            OptionSpec("update-counters", .flag, negatable: true),
            OptionSpec("update-subcounters", .flag, negatable: true),
            OptionSpec("packets-eq", .number(0...UInt64.max, name: "count"), negatable: true),
            OptionSpec("packets-lt", .number(0...UInt64.max, name: "count")),
            OptionSpec("packets-gt", .number(0...UInt64.max, name: "count")),
            OptionSpec("bytes-eq", .number(0...UInt64.max, name: "count"), negatable: true),
            OptionSpec("bytes-lt", .number(0...UInt64.max, name: "count")),
            OptionSpec("bytes-gt", .number(0...UInt64.max, name: "count")),
        ],
        evaluate: { call, packet in
            guard let setting = call.setting("match-set"), case .tuple(let parts) = setting.value, parts.count == 2,
                  case .word(let name) = parts[0], case .words(let flags) = parts[1] else { return .unknown("-m set without a set") }
            guard let sets = packet.host.ipsets else {
                return .unknown("the ipset members are not known (a host snapshot with ipset.save will give them)")
            }
            guard sets.sets[name] != nil else { return .unknown("set \(name) is not in the snapshot's ipset.save") }
            guard let member = sets.contains(name, flags: flags, packet: packet) else {
                return .unknown("set \(name): a field its type needs is not known, or its type is not modelled")
            }
            let described = "\(name) \(flags.joined(separator: ","))"
            return MatchOutcome.check(member, "not in set \(described)").negated(setting.negated, "in set \(described)")
        }, listing: .set)

    /// `-j SET --add-set NAME FLAGS | --del-set NAME FLAGS | --map-set NAME FLAGS
    /// [--timeout N] [--exist] [--map-mark] [--map-prio] [--map-queue]`.
    public static let setTarget = ExtensionSpec(
        "SET", kind: .target,
        options: [
            OptionSpec("add-set", setReference),
            OptionSpec("del-set", setReference),
            OptionSpec("map-set", setReference),
            OptionSpec("timeout", .number(0...UInt64(UInt32.max), name: "timeout")),
            OptionSpec("exist", .flag),
            OptionSpec("map-mark", .flag),
            OptionSpec("map-prio", .flag),
            OptionSpec("map-queue", .flag),
        ],
        requiresOption: true, listing: .setTarget)
}

// libxt_set.c set_print_v4: `[!] match-set NAME src,dst [return-nomatch] [! update-counters]
// [! update-subcounters] [[!] packets-eq N|packets-lt N|packets-gt N] [bytes-...]`;
// libxt_SET.c: `add-set NAME src,dst [exist] [timeout N]`, `del-set NAME src,dst`, `map-set
// NAME src,dst [map-mark] [map-prio] [map-queue]`.
extension ListingForm {
    static let set = ListingForm.keywords([
        ListingKeyword("match-set", "match-set", values: 2), ListingKeyword("return-nomatch", "return-nomatch", values: 0),
        ListingKeyword("update-counters", "update-counters", values: 0),
        ListingKeyword("update-subcounters", "update-subcounters", values: 0),
    ] + ["packets", "bytes"].flatMap { name in ["eq", "lt", "gt"].map { ListingKeyword("\(name)-\($0)", "\(name)-\($0)") } })

    static let setTarget = ListingForm.keywords([
        ListingKeyword("add-set", "add-set", values: 2), ListingKeyword("del-set", "del-set", values: 2),
        ListingKeyword("map-set", "map-set", values: 2), ListingKeyword("exist", "exist", values: 0),
        ListingKeyword("timeout", "timeout"), ListingKeyword("map-mark", "map-mark", values: 0),
        ListingKeyword("map-prio", "map-prio", values: 0), ListingKeyword("map-queue", "map-queue", values: 0),
    ])
}
