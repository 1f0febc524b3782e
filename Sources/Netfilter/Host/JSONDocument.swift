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
            // Foundation gives no place for a file that ends too soon: its end is the place.
            throw SnapshotError(file: file, location: location(of: error) ?? location(atOffset: bytes.count),
                                message: "not valid JSON (\(Self.reason(error)))")
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

    /// An error about element `index` (0-based) of the top-level array, at its `key`'s value
    /// (or the element itself when the key is not there).
    func error(element index: Int, key: String? = nil, _ message: String) -> SnapshotError {
        SnapshotError(file: file, location: location(ofElement: index, key: key), message: message)
    }

    /// Where element `index` of the top-level array starts, or the value of its `key`.
    func location(ofElement index: Int, key: String? = nil) -> SourceLocation? {
        guard let start = offset(ofElement: index) else { return nil }
        guard let key, let value = offset(ofKey: Array(key.utf8), inObjectAt: start) else {
            return location(atOffset: start)
        }
        return location(atOffset: value)
    }

    /// The offset of element `index` of the top-level array (its first byte).
    private func offset(ofElement index: Int) -> Int? {
        var depth = 0, element = -1, inString = false, escaped = false, expecting = false
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            if expecting, !Self.isSpace(byte) {
                expecting = false
                element += 1
                if element == index { return offset }
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                if depth == 1 { expecting = true }
            case 0x5D, 0x7D: depth -= 1
            case 0x2C where depth == 1: expecting = true
            default: break
            }
        }
        return nil
    }

    /// The offset of the value of `key` in the object starting at `start` (its own keys only).
    private func offset(ofKey key: [UInt8], inObjectAt start: Int) -> Int? {
        guard start < bytes.count, bytes[start] == 0x7B else { return nil }
        var depth = 0, offset = start
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == 0x22 {
                var end = offset + 1
                while end < bytes.count && bytes[end] != 0x22 { end += bytes[end] == 0x5C ? 2 : 1 }
                var after = end + 1
                while after < bytes.count && Self.isSpace(bytes[after]) { after += 1 }
                if depth == 1, after < bytes.count, bytes[after] == 0x3A, end <= bytes.count,
                   Array(bytes[(offset + 1)..<min(end, bytes.count)]) == key {
                    var value = after + 1
                    while value < bytes.count && Self.isSpace(bytes[value]) { value += 1 }
                    return value
                }
                offset = end + 1
                continue
            }
            if byte == 0x7B || byte == 0x5B { depth += 1 }
            if byte == 0x7D || byte == 0x5D {
                depth -= 1
                if depth == 0 { return nil }
            }
            offset += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// Foundation says "around character N"; turn N into a line and column.
    private func location(of error: Error) -> SourceLocation? {
        let text = (error as NSError).userInfo["NSDebugDescription"] as? String ?? ""
        guard let range = text.range(of: "character "),
              let offset = Int(text[range.upperBound...].prefix { $0.isNumber }) else { return nil }
        return location(atOffset: offset)
    }

    /// The line and column of a byte offset (the end of the file for its size).
    private func location(atOffset offset: Int) -> SourceLocation {
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
