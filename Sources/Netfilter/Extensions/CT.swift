// libxt_CT.c / net/netfilter/xt_CT.c: conntrack template: notrack, helper, events, zone, timeout.

extension ExtensionSpec {
    static let conntrackEvents = ["new", "related", "destroy", "reply", "assured", "protoinfo", "helper",
                                  "mark", "natseqinfo", "secmark"]

    static let lowercaseList: @Sendable ([String]) -> ValueType = { order in
        ValueType(arity: .one, parse: { arguments, _ throws(ValueError) in
            var seen = Set<String>()
            for part in arguments[0].split(separator: ",", omittingEmptySubsequences: false) {
                let name = part.lowercased()
                guard order.contains(name) else {
                    throw ValueError("unknown event \"\(part)\" (expected a comma list of \(order.joined(separator: ", ")))")
                }
                seen.insert(name)
            }
            return .words(order.filter(seen.contains))
        }, print: { value, writer in
            if case .words(let words) = value { writer.word(words.joined(separator: ",")) }
        })
    }

    /// `-j CT [--notrack] [--helper NAME] [--ctevents LIST] [--expevents LIST]
    /// [--zone-orig|--zone-reply|--zone N] [--timeout NAME]`, raw table only.
    public static let ct = ExtensionSpec(
        "CT", kind: .target,
        options: [
            OptionSpec("notrack", .flag),
            OptionSpec("helper", .identifier(maximumLength: 15)),
            OptionSpec("ctevents", lowercaseList(conntrackEvents)),
            OptionSpec("expevents", lowercaseList(["new"])),
            OptionSpec("zone-orig", .number(0...65535, name: "zone")),
            OptionSpec("zone-reply", .number(0...65535, name: "zone")),
            OptionSpec("zone", .number(0...65535, name: "zone")),
            OptionSpec("timeout", .identifier(maximumLength: 31)),
        ],
        tables: ["raw"],
        finalize: { call, context in
            if call.has("notrack") && call.settings.count > 1 {
                context.error("--notrack cannot be combined with other options")
            }
            if call.setting("zone")?.value == .number(0) { call.remove("zone") }
        },
        apply: { call, packet in
            // xt_CT.c: a packet that already has a connection (looped back, or an answer
            // made with one attached) is left alone ("Previously seen (loopback)? Ignore.").
            if call.has("notrack"), !packet.conntrack.attached { packet.conntrack.state = .untracked }
            return .continue
        }, usesConntrack: true,
        traits: .rewritesModelledFields, symbolic: { call in
            call.has("notrack") ? .notrack : .effect(SymbolicAction.text(of: call), observes: false)
        }, listing: .ct)
}

// libxt_CT.c ct_print_v1: `CT [notrack] [helper NAME] [timeout NAME] [ctevents E,...]
// [expevents E,...] [zone[-orig|-reply] N|mark]`; `-j NOTRACK` (CT's alias) prints `NOTRACK`.
extension ListingForm {
    static let ct = ListingForm(leads: ["CT", "NOTRACK"]) { reader in
        if reader.cursor.takeWord("NOTRACK") {
            reader.targetName = "NOTRACK"
            return true
        }
        guard reader.cursor.takeWord("CT") else { return false }
        let keywords = [
            ListingKeyword("notrack", "notrack", values: 0), ListingKeyword("helper", "helper"),
            ListingKeyword("timeout", "timeout"), ListingKeyword("ctevents", "ctevents"),
            ListingKeyword("expevents", "expevents"), ListingKeyword("zone-orig", "zone-orig"),
            ListingKeyword("zone-reply", "zone-reply"), ListingKeyword("zone", "zone"),
        ]
        while readKeyword(keywords, &reader) {}
        return true
    }
}
