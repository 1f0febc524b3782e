extension String {
    /// `value` in lower-case hexadecimal, zero-padded to at least `width` digits (C's `%0*x`).
    init<Value: BinaryInteger>(hex value: Value, width: Int) {
        let digits = String(value, radix: 16)
        self = String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }
}
