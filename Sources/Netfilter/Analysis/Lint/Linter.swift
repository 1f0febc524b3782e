/// Runs the registered lints over a context and applies what the user turned off:
/// `--disable ID`, and `verdict: disable=ID[,ID]` in a `#` comment line right before a
/// rule or in the rule's own `-m comment --comment` (which survives iptables-save).
public struct Linter: Sendable {
    public var lints: [any Lint]
    public var disabled: Set<String>

    public init(lints: [any Lint] = LintRegistry.all, disabled: Set<String> = []) {
        self.lints = lints
        self.disabled = disabled
    }

    /// The findings, ordered by file, line and column.
    public func run(_ context: LintContext) -> [LintFinding] {
        // The lints and the reading of suppressions are independent: spread over the cores.
        enum Work: Sendable {
            case suppressions
            case lint(any Lint)
        }
        enum Result: Sendable {
            case suppressions([SuppressionKey: Set<String>])
            case findings([LintFinding])
        }
        let work = [Work.suppressions] + lints.filter { !disabled.contains($0.descriptor.id) }.map(Work.lint)
        let results = Concurrently.map(work) { item -> Result in
            switch item {
            case .suppressions: return .suppressions(Linter.suppressions(context))
            case .lint(let lint): return .findings(lint.check(context))
            }
        }
        var suppressed: [SuppressionKey: Set<String>] = [:]
        var found: [[LintFinding]] = []
        for result in results {
            switch result {
            case .suppressions(let keys): suppressed = keys
            case .findings(let findings): found.append(findings)
            }
        }
        var findings: [LintFinding] = []
        for lintFindings in found {
            for finding in lintFindings {
                let key = SuppressionKey(file: finding.location.file, line: finding.location.position.line)
                if let ids = suppressed[key], ids.contains(finding.lint) || ids.contains("all") { continue }
                findings.append(finding)
            }
        }
        return findings.sorted {
            ($0.location.file, $0.location.position, $0.lint) < ($1.location.file, $1.location.position, $1.lint)
        }
    }

    struct SuppressionKey: Hashable {
        var file: String
        var line: Int32
    }

    /// The lint ids turned off for each rule line.
    static func suppressions(_ context: LintContext) -> [SuppressionKey: Set<String>] {
        var result: [SuppressionKey: Set<String>] = [:]
        context.forEachChain { input, _, chain in
            for rule in chain.rules {
                var ids = Set<String>()
                if let last = rule.leadingTrivia.last { ids.formUnion(disabledIDs(in: last.text)) }
                for match in rule.matches {
                    if let text = match.commentText { ids.formUnion(disabledIDs(in: text)) }
                }
                if !ids.isEmpty { result[SuppressionKey(file: input.file, line: rule.location.line), default: []].formUnion(ids) }
            }
        }
        return result
    }

    /// The ids after `verdict: disable=` in a comment, e.g. `# verdict: disable=shadowed-rule,duplicate-rule`.
    private static let suppressionMarker = Array("verdict:".utf8)
    private static let suppressionWord = Array("disable=".utf8)
    /// What ends the list of ids: a blank or a quote.
    private static let idEnds: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0x22]

    /// Read byte by byte: every comment of a rule set is searched (Foundation's
    /// `range(of:)` was an eighth of linting kube-proxy's rules).
    static func disabledIDs(in text: String) -> [String] {
        var text = text
        let marker = suppressionMarker, disable = suppressionWord
        return text.withUTF8 { bytes -> [String] in
            guard bytes.count >= marker.count + disable.count else { return [] }
            for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
                guard bytes[start..<start + marker.count].elementsEqual(marker) else { continue }
                var index = start + marker.count
                if index < bytes.count, bytes[index] == 0x20 { index += 1 }
                guard bytes.count - index >= disable.count,
                      bytes[index..<index + disable.count].elementsEqual(disable) else { continue }
                index += disable.count
                var end = index
                while end < bytes.count, !idEnds.contains(bytes[end]) { end += 1 }
                return bytes[index..<end].split(separator: 0x2C).map { String(decoding: $0, as: UTF8.self) }
            }
            return []
        }
    }
}
