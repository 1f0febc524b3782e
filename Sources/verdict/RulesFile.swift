import Netfilter

/// Rules a command reads: a file (an iptables-save dump or an `iptables -L` listing, `-` for
/// standard input) or a snapshot folder's rules, parsed and validated as the kernel would
/// load them. What is wrong is printed as `FILE:LINE:COL: error: message`, with what to do.
enum RulesFile {
    enum Failure: Error {
        /// The file cannot be read, or an option is wrong (a usage error).
        case unreadable
        /// The rules have errors.
        case invalid
    }

    /// A rules file, read and loaded; `family` is the `--family` option.
    static func load(_ path: String, family option: String?, lenient: Bool = false,
                     command: String) -> Result<(file: InputFile, ruleset: Ruleset), Failure> {
        let file: InputFile
        let family: Family
        do {
            file = try InputFile.read(path)
            family = try file.family(option)
        } catch let error as InputFile.ReadError {
            printError("verdict \(command): \(error.message)")
            return .failure(.unreadable)
        } catch let error as UsageError {
            printError("verdict \(command): \(error.message)")
            return .failure(.unreadable)
        } catch {
            return .failure(.unreadable)
        }
        let result = RulesInput.parse(file.bytes, family: family, options: ParseOptions(lenient: lenient))
        let errors = Validator.diagnostics(of: result).filter { $0.severity == .error }
        guard errors.isEmpty else {
            let source = file.source
            for diagnostic in errors { printError(source.render(diagnostic)) }
            printError("verdict \(command): \(file.name) does not load; fix it first (verdict check)")
            return .failure(.invalid)
        }
        return .success((file, result.ruleset))
    }

    /// `nft list ruleset` text (or `nft -j` JSON) from a file, read and checked as `nft -f`
    /// would load it.
    static func loadNft(_ file: InputFile, command: String) -> Result<NftRuleset, Failure> {
        let (parsed, diagnostics) = RulesInput.readNft(file.bytes, format: RulesInput.detectFormat(file.bytes))
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            for diagnostic in errors { printError(file.source.render(diagnostic)) }
            printError("verdict \(command): \(file.name) does not load; fix it first (verdict check)")
            return .failure(.invalid)
        }
        return .success(parsed.ruleset)
    }

    /// A snapshot folder, its IPv4 and IPv6 rules validated.
    static func loadSnapshot(_ folder: String, command: String) -> Result<HostSnapshot, Failure> {
        let snapshot: HostSnapshot
        do {
            snapshot = try HostSnapshot.load(folder)
        } catch {
            printError(error.description)
            return .failure(.unreadable)
        }
        let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        for ruleset in [snapshot.ruleset] + (snapshot.ipv6Ruleset.map { [$0] } ?? []) {
            let name = base + "/" + (ruleset.family == .ipv4 ? HostSnapshot.File.rules : HostSnapshot.File.ipv6Rules)
            guard loads(ruleset, name: name, command: command) else { return .failure(.invalid) }
        }
        return .success(snapshot)
    }

    /// Whether a ruleset read elsewhere loads; its errors printed when not.
    static func loads(_ ruleset: Ruleset, name: String, command: String) -> Bool {
        let errors = Validator.validate(ruleset).filter { $0.severity == .error }
        for diagnostic in errors {
            printError("\(name):\(diagnostic.location.line):\(diagnostic.location.column): error: \(diagnostic.message)")
        }
        if !errors.isEmpty { printError("verdict \(command): \(name) does not load; fix it first (verdict check)") }
        return errors.isEmpty
    }
}
