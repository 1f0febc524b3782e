import Foundation

/// Runs the same work for the old and the new side of a diff at once (the machine's cores
/// are used; the results come back in order).
public enum BothSides {
    public static func map<Input: Sendable, Output: Sendable>(_ old: Input, _ new: Input,
                                                              _ work: @Sendable (Input) -> Output) -> (old: Output, new: Output) {
        let results = Results<Output>()
        let inputs = [old, new]
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            results.set(index, work(inputs[index]))
        }
        guard let first = results.values[0], let second = results.values[1] else {
            preconditionFailure("concurrentPerform ran every iteration")
        }
        return (first, second)
    }

    /// Two slots written from two threads, each once.
    private final class Results<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var values: [Value?] = [nil, nil]

        func set(_ index: Int, _ value: Value) {
            lock.withLock { values[index] = value }
        }
    }
}
