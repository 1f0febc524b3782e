import Foundation

/// A JSON file of a snapshot (`ip -j ...`, `bridge -j ...`), read with Foundation, with
/// errors that name the file, line and column.
struct JSONDocument {
    let file: String
    let bytes: [UInt8]

    /// The top-level array of objects, as `ip -j` prints it.
    func objects() throws(SnapshotError) -> [[String: Any]] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw SnapshotError(file: file, location: location(of: error), message: "not valid JSON (\(Self.reason(error)))")
        }
        guard let array = value as? [Any] else {
            throw SnapshotError(file: file, location: SourceLocation(line: 1, column: 1), message: "expected a JSON array, as `ip -j` prints")
        }
        var objects: [[String: Any]] = []
        for (position, element) in array.enumerated() {
            guard let object = element as? [String: Any] else {
                throw SnapshotError(file: file, message: "element \(position + 1) of the array is not an object")
            }
            objects.append(object)
        }
        return objects
    }

    /// Foundation says "around character N"; turn N into a line and column.
    private func location(of error: Error) -> SourceLocation? {
        let text = (error as NSError).userInfo["NSDebugDescription"] as? String ?? ""
        guard let range = text.range(of: "character "),
              let offset = Int(text[range.upperBound...].prefix { $0.isNumber }) else { return nil }
        var line = 1, column = 1
        for byte in bytes.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return SourceLocation(line: line, column: column)
    }

    private static func reason(_ error: Error) -> String {
        ((error as NSError).userInfo["NSDebugDescription"] as? String ?? "\(error)").trimmingCharacters(in: .punctuationCharacters)
    }
}
