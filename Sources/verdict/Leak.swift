/// Keeps values alive until the process exits, so that a large parsed tree is not freed
/// piece by piece just before `exit` (the operating system reclaims it at once).
enum Leak {
    private final class Box<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    static func keep<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
