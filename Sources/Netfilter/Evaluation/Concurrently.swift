import Foundation

/// Work spread over the machine's cores, its results in the order of its inputs: the parts
/// of a walk that wait at once (kube-proxy's services), the two sides of a diff.
enum Concurrently {
    /// The cores the work may use.
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Whether this many small items of work (classes to join, results to key) are worth
    /// spreading over the cores.
    static func pays(for items: Int) -> Bool { items >= 4096 && cores > 1 }

    /// `work` applied to every input, several at a time; the results in input order.
    static func map<Input: Sendable, Output: Sendable>(_ inputs: [Input],
                                                       _ work: @Sendable (Input) -> Output) -> [Output] {
        if inputs.count < 2 { return inputs.map(work) }
        // Runs of neighbouring inputs: few enough to cost nothing to hand out, enough that a
        // core that finishes early takes another.
        let runs = min(inputs.count, max(cores, 2) * 8)
        let slots = Slots<Output>(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            let range = (inputs.count * run / runs)..<(inputs.count * (run + 1) / runs)
            slots.set(range.lowerBound, range.map { work(inputs[$0]) })
        }
        return slots.values
    }

    /// Starts `work` on another core at once; `Pending.value` waits for its result.
    static func start<Output: Sendable>(_ work: @escaping @Sendable () -> Output) -> Pending<Output> {
        Pending(work)
    }

    /// The result of work started on another core.
    final class Pending<Output: Sendable>: @unchecked Sendable {
        private let done = DispatchGroup()
        private var result: Output?

        fileprivate init(_ work: @escaping @Sendable () -> Output) {
            done.enter()
            DispatchQueue.global().async {
                self.result = work()
                self.done.leave()
            }
        }

        /// The result, once the work has finished (the group orders the write before the read).
        var value: Output {
            done.wait()
            guard let result else { preconditionFailure("the work finished without a result") }
            return result
        }
    }

    /// Work done once, when its result is first asked for, from whichever thread asks first
    /// (the others wait for it): what only some of the parts that share it need.
    final class Once<Output: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var work: (@Sendable () -> Output)?
        private var result: Output?

        init(_ work: @escaping @Sendable () -> Output) { self.work = work }

        var value: Output {
            lock.withLock {
                if let result { return result }
                guard let work else { preconditionFailure("the work ran without a result") }
                let made = work()
                result = made
                self.work = nil
                return made
            }
        }
    }

    /// Result slots, each run of them written once, from any thread.
    private final class Slots<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [Value?]

        init(count: Int) { storage = Array(repeating: nil, count: count) }

        func set(_ first: Int, _ values: [Value]) {
            lock.withLock {
                for (offset, value) in values.enumerated() { storage[first + offset] = value }
            }
        }

        var values: [Value] {
            lock.withLock {
                storage.map { value in
                    guard let value else { preconditionFailure("concurrentPerform ran every iteration") }
                    return value
                }
            }
        }
    }
}
