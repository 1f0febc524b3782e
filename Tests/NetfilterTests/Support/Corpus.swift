import Foundation

/// The shared corpus of real-world dumps (../shared/corpus beside the clone). Tests that
/// need it skip, saying why, where it is absent (a user's fresh clone).
enum Corpus {
    /// The clone's root folder.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The seed document (../shared/seeds), nil where it is absent.
    static let seedDocument: String? = {
        let folder = repository.deletingLastPathComponent().appendingPathComponent("shared/seeds")
        guard let name = try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first(where: { $0.hasSuffix(".txt") }) else {
            return nil
        }
        return try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }()

    static let root: URL? = {
        let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return FileManager.default.fileExists(atPath: corpus.appendingPathComponent("SOURCES.md").path) ? corpus : nil
    }()

    static let skipReason = "../shared/corpus is not beside this clone; corpus tests need it"

    /// One row of SOURCES.md: a file and its kind (save, save-ip6, restore-input, ...).
    struct Entry {
        var path: String
        var kind: String
    }

    /// The rows of SOURCES.md's per-directory tables.
    static func entries() throws -> [Entry] {
        guard let root else { return [] }
        let text = try String(contentsOf: root.appendingPathComponent("SOURCES.md"), encoding: .utf8)
        var directory = ""
        var result: [Entry] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                let words = line.dropFirst(3).split(separator: " ")
                directory = words.first.map(String.init) ?? ""
                continue
            }
            guard line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3 else { continue }
            let file = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            result.append(Entry(path: directory + file, kind: cells[2]))
        }
        return result
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let root else { return [] }
        return [UInt8](try Data(contentsOf: root.appendingPathComponent(path)))
    }

    /// Every file under a corpus folder with the given extension.
    static func files(under folder: String, withExtension ext: String) -> [String] {
        guard let root else { return [] }
        let base = root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var files: [String] = []
        while let item = enumerator.nextObject() as? String {
            if item.hasSuffix("." + ext) { files.append(folder + "/" + item) }
        }
        return files.sorted()
    }
}
