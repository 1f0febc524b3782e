import Foundation

// libebt_nflog.c / net/bridge/netfilter/ebt_nflog.c: a watcher that sends the frame to an
// nflog group with its prefix, and lets the rule's target decide.

extension EbtablesModule {
    /// `--nflog`, `--nflog-group`, `--nflog-prefix`, `--nflog-range`, `--nflog-threshold`.
    static let nflog = EbtablesModule("nflog", .watcher, options: [
        EbtablesOption(["--nflog"], module: "", nil, negatable: false),
        EbtablesOption(["--nflog-group"], module: "", .number(max: 0xFFFF), negatable: false),
        EbtablesOption(["--nflog-prefix"], module: "", .text(maxLength: 63), negatable: false),
        EbtablesOption(["--nflog-range"], module: "", .number(max: 0xFFFF_FFFF), negatable: false),
        EbtablesOption(["--nflog-threshold"], module: "", .number(max: 0xFFFF), negatable: false),
    ], read: EbtNFLog.init)
}

/// The nflog watcher's options, typed.
struct EbtNFLog: EbtablesExtension {
    var prefix: String
    /// The nflog group (1 when not given).
    var group: UInt64

    init(_ options: EbtablesOptions) {
        prefix = options["--nflog-prefix"]?.values.first ?? ""
        group = options["--nflog-group"].flatMap { EbtablesValue.number($0.values.first ?? "") } ?? 1
    }

    /// The line the walk records: the prefix.
    func logLine() -> String? { prefix.trimmingCharacters(in: .whitespaces) }
}
