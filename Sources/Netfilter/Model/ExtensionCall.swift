/// One option given to an extension: which of the extension's declared options, whether
/// it was negated with `!`, and its value.
public struct OptionSetting: Sendable, Hashable {
    public var value: OptionValue
    private var optionIndex: UInt16
    public var negated: Bool

    /// Index into the extension's `options` declaration.
    public var option: Int {
        get { Int(optionIndex) }
        set { optionIndex = UInt16(truncatingIfNeeded: newValue) }
    }

    public init(option: Int, negated: Bool = false, value: OptionValue) {
        self.value = value
        optionIndex = UInt16(truncatingIfNeeded: option)
        self.negated = negated
    }
}

/// One use of an xtables extension in a rule: `-m NAME ...` for a match, `-j NAME ...`
/// for a target, with its options in canonical order.
public struct ExtensionCall: Sendable, Hashable {
    /// The extension, by its index in `ExtensionRegistry.all`.
    public var id: ExtensionID
    /// The options given, kept in the extension's declared (save) order after parsing.
    public var settings: [OptionSetting]
    /// Where `-m` or `-j` stood; `.unknown` for a match loaded implicitly by `-p`.
    public var location: SourceLocation

    public init(id: ExtensionID, settings: [OptionSetting] = [], location: SourceLocation = .unknown) {
        self.id = id
        self.settings = settings
        self.location = location
    }

    /// The extension's declaration.
    public var spec: ExtensionSpec { ExtensionRegistry.spec(id) }

    /// The setting of the option with this declared name, if given.
    public func setting(_ name: String) -> OptionSetting? {
        let specification = spec
        return settings.first { specification.options[$0.option].name == name }
    }

    /// Whether the option with this declared name was given.
    public func has(_ name: String) -> Bool { setting(name) != nil }

    /// The same extension with the same options, wherever each stood.
    public func equalsIgnoringLocation(_ other: ExtensionCall) -> Bool { id == other.id && settings == other.settings }
}

/// An index into the extension registry.
public struct ExtensionID: Sendable, Hashable {
    public var index: UInt16
    public init(_ index: Int) { self.index = UInt16(index) }
}
