import Foundation
import Netfilter

/// A dump read from a path or from standard input (`-`).
struct InputFile {
    var name: String
    var bytes: [UInt8]

    struct ReadError: Error {
        var message: String
    }

    static func read(_ path: String) throws -> InputFile {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return InputFile(name: "<stdin>", bytes: [UInt8](data))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError(message: "\(path): no such file")
        }
        if isDirectory.boolValue { throw ReadError(message: "\(path): is a directory, not a rules file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(message: "\(path): cannot be read (permission denied?)")
        }
        return InputFile(name: path, bytes: [UInt8](data))
    }

    var source: SourceText { SourceText(name: name, bytes: bytes) }

    /// The family from `--family`, or detected from the dump or listing.
    func family(_ option: String?, format: RulesInput.Format? = nil) throws -> Family {
        switch option {
        case nil, "auto": return RulesInput.detectFamily(bytes, fileName: name, format: format)
        case "ipv4", "4", "inet": return .ipv4
        case "ipv6", "6", "inet6": return .ipv6
        case let other?: throw UsageError("unknown family '\(other)' (use ipv4, ipv6 or auto)")
        }
    }
}

extension InputFile {
    /// The format from `--from`: nil (detect) for auto or no option.
    static func format(_ option: String?) throws -> RulesInput.Format? {
        switch option {
        case nil, "auto": return nil
        case let name?:
            guard let format = RulesInput.Format(rawValue: name) else {
                throw UsageError(
                    "unknown input format '\(name)' (use save, listing, ebtables-save, ebtables-listing, nft, nft-json "
                    + "or auto)")
            }
            return format
        }
    }
}

/// Writes text to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes bytes to standard output.
func writeOutput(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
}
