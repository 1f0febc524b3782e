extension FixedWidthInteger where Self: UnsignedInteger {
    /// A decimal number read from bytes as `Self(String)` reads it (an optional `+`, then
    /// digits, nil when it does not fit), without making a `String` of them.
    init?(decimal bytes: ArraySlice<UInt8>) {
        let digits = bytes.first == UInt8(ascii: "+") ? bytes.dropFirst() : bytes
        guard !digits.isEmpty else { return nil }
        var value: Self = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Self(byte - UInt8(ascii: "0")))
            if overflowTimes || overflowSum { return nil }
            value = sum
        }
        self = value
    }
}
