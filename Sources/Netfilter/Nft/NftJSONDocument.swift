import Foundation

/// A JSON value of `nft -j list ruleset`, typed: what Foundation's JSONSerialization gives, with
/// booleans told from numbers and whole numbers kept exact.
indirect enum NftJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// A whole number above `Int64.max` (a counter's bytes may be).
    case unsigned(UInt64)
    /// A number with a fraction or exponent, as Foundation gives it.
    case real(Double)
    case string(String)
    case array([NftJSON])
    case object([String: NftJSON])

    /// The value of a JSONSerialization result; nil for what JSON cannot hold.
    init?(foundation value: Any) {
        // Containers first: asking whether a Swift dictionary is an NSNumber or NSNull bridges it
        // (all of it) to Objective-C on Linux.
        switch value {
        case let string as String: self = .string(string)
        case let dictionary as [String: Any]:
            var members: [String: NftJSON] = [:]
            members.reserveCapacity(dictionary.count)
            for (key, element) in dictionary {
                guard let converted = NftJSON(foundation: element) else { return nil }
                members[key] = converted
            }
            self = .object(members)
        case let array as [Any]:
            var values: [NftJSON] = []
            values.reserveCapacity(array.count)
            for element in array {
                guard let converted = NftJSON(foundation: element) else { return nil }
                values.append(converted)
            }
            self = .array(values)
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = .real(number.doubleValue)
            case "Q", "L", "I", "S", "C":
                let unsigned = number.uint64Value
                self = unsigned <= UInt64(Int64.max) ? .integer(Int64(unsigned)) : .unsigned(unsigned)
            default: self = .integer(number.int64Value)
            }
        case is NSNull: self = .null
        default: return nil
        }
    }

    var object: [String: NftJSON]? { if case .object(let members) = self { members } else { nil } }
    var array: [NftJSON]? { if case .array(let values) = self { values } else { nil } }
    var string: String? { if case .string(let text) = self { text } else { nil } }
    var isNull: Bool { self == .null }

    /// A whole number that is not negative.
    var unsigned: UInt64? {
        switch self {
        case .integer(let value): value >= 0 ? UInt64(value) : nil
        case .unsigned(let value): value
        default: nil
        }
    }

    /// A whole number that fits an `Int`.
    var int: Int? {
        switch self {
        case .integer(let value): Int(exactly: value)
        case .unsigned(let value): Int(exactly: value)
        default: nil
        }
    }

    /// A JSON object with one member (`{"match": {...}}`): its key and value.
    var single: (key: String, value: NftJSON)? {
        guard let members = object, members.count == 1, let (key, value) = members.first else { return nil }
        return (key, value)
    }

    /// What the value is, for messages: a number itself, else its kind in words.
    var shown: String {
        switch self {
        case .integer(let value): String(value)
        case .unsigned(let value): String(value)
        case .real(let value): String(value)
        default: kindName
        }
    }

    /// What the value is, in words, for messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .unsigned, .real: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Where a value sits in the document, as a JSON path (`nftables[12].rule.expr[2]`).
struct NftJSONPath: Sendable, Hashable, CustomStringConvertible {
    enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    var components: [Component] = []

    static func / (path: NftJSONPath, key: String) -> NftJSONPath {
        NftJSONPath(components: path.components + [.key(key)])
    }

    static func / (path: NftJSONPath, index: Int) -> NftJSONPath {
        NftJSONPath(components: path.components + [.index(index)])
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let index): text += "[\(index)]"
            case .key(let key):
                let plain = !key.isEmpty && key.unicodeScalars.allSatisfy {
                    $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
                }
                if plain {
                    text += text.isEmpty ? key : "." + key
                } else {
                    text += "[\"\(key)\"]"
                }
            }
        }
        return text
    }
}

/// Something in the document that cannot be read: a message and the path of the value at fault.
struct NftJSONProblem: Error, Sendable {
    var message: String
    var path: NftJSONPath
    var severity: Diagnostic.Severity = .error

    init(_ message: String, at path: NftJSONPath, severity: Diagnostic.Severity = .error) {
        self.message = message
        self.path = path
        self.severity = severity
    }
}

/// A JSON object read member by member, each read with its path for messages.
struct NftJSONObject {
    let members: [String: NftJSON]
    let path: NftJSONPath

    init(_ value: NftJSON, at path: NftJSONPath, what: String) throws(NftJSONProblem) {
        guard let members = value.object else {
            throw NftJSONProblem("\(what) must be an object, not \(value.kindName)", at: path)
        }
        self.members = members
        self.path = path
    }

    subscript(key: String) -> NftJSON? {
        guard let value = members[key], !value.isNull else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { self[key] != nil }

    func string(_ key: String) throws(NftJSONProblem) -> String {
        guard let value = self[key] else { throw NftJSONProblem("missing \"\(key)\"", at: path) }
        guard let text = value.string else {
            throw NftJSONProblem("\"\(key)\" must be a string, not \(value.kindName)", at: path / key)
        }
        return text
    }

    func optionalString(_ key: String) throws(NftJSONProblem) -> String? {
        guard has(key) else { return nil }
        return try string(key)
    }

    func unsigned(_ key: String) throws(NftJSONProblem) -> UInt64 {
        guard let value = self[key] else { throw NftJSONProblem("missing \"\(key)\"", at: path) }
        guard let number = value.unsigned else {
            throw NftJSONProblem("\"\(key)\" must be a whole number of at least 0, not \(value.shown)",
                                 at: path / key)
        }
        return number
    }

    func optionalUnsigned(_ key: String) throws(NftJSONProblem) -> UInt64? {
        guard has(key) else { return nil }
        return try unsigned(key)
    }

    func int(_ key: String) throws(NftJSONProblem) -> Int {
        guard let value = self[key] else { throw NftJSONProblem("missing \"\(key)\"", at: path) }
        guard let number = value.int else {
            throw NftJSONProblem("\"\(key)\" must be a whole number, not \(value.shown)", at: path / key)
        }
        return number
    }

    /// A boolean member (`"inv": true`); false when absent.
    func flag(_ key: String) throws(NftJSONProblem) -> Bool {
        guard let value = self[key] else { return false }
        switch value {
        case .bool(let flag): return flag
        case .integer(let number): return number != 0
        default: throw NftJSONProblem("\"\(key)\" must be a boolean, not \(value.kindName)", at: path / key)
        }
    }

    /// A member that is one string or an array of strings (`"flags": "random"` or `["random", ...]`).
    func strings(_ key: String) throws(NftJSONProblem) -> [String] {
        guard let value = self[key] else { return [] }
        if let text = value.string { return [text] }
        guard let array = value.array else {
            throw NftJSONProblem("\"\(key)\" must be a string or an array of strings, not \(value.kindName)",
                                 at: path / key)
        }
        var texts: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element.string else {
                throw NftJSONProblem("must be a string, not \(element.kindName)", at: path / key / index)
            }
            texts.append(text)
        }
        return texts
    }
}
