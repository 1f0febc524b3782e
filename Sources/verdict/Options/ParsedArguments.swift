/// A command line read against a command's declared options: each option's values under
/// its canonical name, and the operands. Commands read options through the declarations,
/// never by spelling.
struct ParsedArguments: Sendable {
    /// The values of each option given, under its canonical name; a flag has one empty
    /// value each time it is given, a negated value starts with "! ".
    private(set) var values: [String: [String]]
    private(set) var operands: [String]

    init(values: [String: [String]] = [:], operands: [String] = []) {
        self.values = values
        self.operands = operands
    }

    /// Whether the option was given.
    func isSet(_ option: OptionDeclaration) -> Bool { values[option.name] != nil }

    /// The option's value (the last one when it was given more than once).
    func value(_ option: OptionDeclaration) -> String? { values[option.name]?.last }

    /// Every value the option was given, in order.
    func values(_ option: OptionDeclaration) -> [String] { values[option.name] ?? [] }

    /// The option's value as one of a type's cases (a format, a hook).
    func value<Value: RawRepresentable>(_ option: OptionDeclaration, as type: Value.Type) -> Value?
    where Value.RawValue == String {
        value(option).flatMap(Value.init(rawValue:))
    }

    /// The values of these options only, under their canonical names.
    func values(of options: [OptionDeclaration]) -> [String: [String]] {
        var selected: [String: [String]] = [:]
        for option in options { selected[option.name] = values[option.name] }
        return selected
    }

    mutating func append(_ value: String, to option: OptionDeclaration) {
        values[option.name, default: []].append(value)
    }

    mutating func appendOperand(_ word: String) { operands.append(word) }
}
