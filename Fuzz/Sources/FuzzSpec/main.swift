import Foundation
import FuzzSupport
import Netfilter

// An expectation file (`verdict test`) read in both modes and run against the bundled Docker
// snapshot (rulesets/docker-default). A finding: a crash.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let snapshot: HostSnapshot
do {
    snapshot = try HostSnapshot.load(root.appendingPathComponent("rulesets/docker-default").path)
} catch {
    Fuzzer.fail("cannot load the bundled snapshot: \(error)")
}
let target = SpecTarget.snapshot(snapshot)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpec(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzzer.bytes(data, size)
    _ = SpecParser.parse(bytes, file: "fuzz.spec", mode: .packets)
    let (spec, diagnostics) = SpecParser.parse(bytes, file: "fuzz.spec", mode: .spec)
    guard !diagnostics.contains(where: { $0.severity == .error }) else { return 0 }
    var evaluator = CaseEvaluator(target: target)
    _ = SpecRunner.run(spec, with: &evaluator)
    return 0
}

Fuzzer.run(fuzzSpec)
