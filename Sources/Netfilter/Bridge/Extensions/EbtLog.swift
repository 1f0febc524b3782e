import Foundation

// libebt_log.c / net/bridge/netfilter/ebt_log.c: a watcher that logs the frame (its prefix,
// then its fields) and lets the rule's target decide.

extension EbtablesModule {
    /// `--log`, `--log-level`, `--log-prefix`, `--log-ip`, `--log-arp`, `--log-ip6`.
    static let log = EbtablesModule("log", .watcher, options: [
        EbtablesOption(["--log"], module: "", nil, negatable: false),
        EbtablesOption(["--log-level"], module: "", .word(EbtLog.levels, orNumberUpTo: 7), negatable: false),
        EbtablesOption(["--log-prefix"], module: "", .text(maxLength: 29), negatable: false),
        EbtablesOption(["--log-ip"], module: "", nil, negatable: false),
        EbtablesOption(["--log-arp"], module: "", nil, negatable: false),
        EbtablesOption(["--log-ip6"], module: "", nil, negatable: false),
    ], read: EbtLog.init)
}

/// The log watcher's options, typed.
struct EbtLog: EbtablesExtension {
    static let levels = ["emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"]

    var prefix: String
    /// The syslog level (`info` 6; 4, warning, when not given).
    var level: Int

    init(_ options: EbtablesOptions) {
        prefix = options["--log-prefix"]?.values.first ?? ""
        let level = options["--log-level"]?.values.first ?? "warning"
        self.level = Self.levels.firstIndex(of: level.lowercased()) ?? Int(level) ?? 4
    }

    /// The line the walk records: the prefix.
    func logLine() -> String? { prefix.trimmingCharacters(in: .whitespaces) }
}
