// libxt_cpu.c / net/netfilter/xt_cpu.c: the CPU handling the packet.

extension ExtensionSpec {
    /// `-m cpu [!] --cpu N`.
    public static let cpu = ExtensionSpec(
        "cpu", kind: .match,
        options: [OptionSpec("cpu", .number(0...UInt64(UInt32.max), name: "CPU"), negatable: true, required: true)],
        evaluate: { _, _ in .unknown("the CPU handling the packet is not known") }, listing: .cpu)
}

// libxt_cpu.c cpu_print: `cpu [! ]N`.
extension ListingForm {
    static let cpu = ListingForm.keywords([ListingKeyword("cpu", "cpu")])
}
