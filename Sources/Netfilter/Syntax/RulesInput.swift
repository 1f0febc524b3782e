/// The one entry point for rule text: tells an `iptables-save` dump (or iptables-restore
/// input) from an `iptables -L` listing and parses either into the same `Ruleset`. Every
/// command that reads rules (check, fmt, trace, lint, flow, a snapshot's iptables.rules)
/// goes through it.
public enum RulesInput {
    /// The text formats rules come in.
    public enum Format: String, Sendable, CaseIterable {
        /// `iptables-save` output or iptables-restore input.
        case save
        /// `iptables -L [-n] [-v] [-x] [--line-numbers]` output.
        case listing
        /// `ebtables-save` output or ebtables-restore input (`EbtablesParser`).
        case ebtablesSave = "ebtables-save"
        /// `ebtables -L [--Ln] [--Lc]` output (`EbtablesParser`).
        case ebtablesListing = "ebtables-listing"
        /// `nft list ruleset` output (`NftParser`).
        case nft
        /// `nft -j list ruleset` output, nft's JSON (`NftJSONReader`).
        case nftJSON = "nft-json"

        /// Whether the format is one of nftables' (text or JSON, read into `NftRuleset`).
        public var isNft: Bool { self == .nft || self == .nftJSON }

        /// Whether the format is one of ebtables' (read by `EbtablesParser`, not `parse`).
        public var isEbtables: Bool { self == .ebtablesSave || self == .ebtablesListing }
    }

    /// The format of the text: nft's JSON when it starts `{"nftables": [`; nft text when
    /// `NftDetector` says so; ebtables text when
    /// `EbtablesDetector` says so; else a listing when its first line that is not blank, a `#`
    /// comment or a command line (`$ iptables -L ...`) is a chain header (`Chain X
    /// (policy ...` or `Chain X (N references)`) or a column header (`target prot opt
    /// source destination`); a dump otherwise.
    public static func detectFormat(_ bytes: [UInt8]) -> Format {
        if NftJSONReader.isNftJSON(bytes) { return .nftJSON }
        if NftDetector.isNft(bytes) { return .nft }
        if let ebtables = EbtablesDetector.detect(bytes) { return ebtables }
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var first = start
            while first < end && (bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D) { first += 1 }
            if first < end {
                let line = String(decoding: bytes[first..<end], as: UTF8.self)
                if line.hasPrefix("Chain "), line.contains(" (policy ") || line.contains(" reference") { return .listing }
                if ListingColumns.parse(bytes[first..<end]) != nil { return .listing }
                if !line.hasPrefix("#") && ListingHeaders.table(in: line) == nil { return .save }
            }
            start = end + 1
        }
        return .save
    }

    /// Parses rule text in the given format (detected when nil).
    public static func parse(_ bytes: [UInt8], family: Family, format: Format? = nil,
                             options: ParseOptions = ParseOptions()) -> ParseResult {
        let format = format ?? detectFormat(bytes)
        switch format {
        case .save: return SaveParser.parse(bytes, family: family, options: options)
        case .listing: return ListingParser.parse(bytes, family: family, options: options)
        case .ebtablesSave, .ebtablesListing:
            let message = "these are ebtables rules (bridge family): verdict check, fmt and trace read them, "
                + "this command reads iptables rules"
            return ParseResult(ruleset: Ruleset(family: family),
                               diagnostics: [.error(message, at: SourceLocation(line: 1, column: 1))])
        case .nft, .nftJSON:
            let what = format == .nftJSON ? "JSON (nft -j list ruleset)" : "text (nft list ruleset)"
            let message = "this is nftables \(what): verdict check, fmt, trace, lint and diff read it, this "
                + "command reads iptables rules"
            return ParseResult(ruleset: Ruleset(family: family),
                               diagnostics: [.error(message, at: SourceLocation(line: 1, column: 1))])
        }
    }

    /// The family of rule text: for a listing, an ip6tables command line or the first
    /// address column; for a dump, `Family.detect`.
    public static func detectFamily(_ bytes: [UInt8], fileName: String? = nil, format: Format? = nil) -> Family {
        guard (format ?? detectFormat(bytes)) == .listing else { return Family.detect(in: bytes, fileName: fileName) }
        return ListingParser.detectFamily(bytes, fileName: fileName)
    }
}
