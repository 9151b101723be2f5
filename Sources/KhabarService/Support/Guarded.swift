import Foundation

/// A value behind a lock. `Synchronization.Mutex` would do, but it needs macOS 15 and the package
/// declares macOS 14; an `NSLock` is cheap and available everywhere.
public final class Guarded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the current value.
    public var current: Value { withLock { $0 } }
}
