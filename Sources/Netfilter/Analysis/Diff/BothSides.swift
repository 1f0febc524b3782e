/// Runs the same work for the old and the new side of a diff at once (the machine's cores
/// are used; the results come back in order).
public enum BothSides {
    public static func map<Input: Sendable, Output: Sendable>(_ old: Input, _ new: Input,
                                                              _ work: @Sendable (Input) -> Output) -> (old: Output, new: Output) {
        let both = Concurrently.map([old, new], work)
        return (both[0], both[1])
    }
}
