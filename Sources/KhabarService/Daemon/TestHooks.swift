import Foundation

/// Ways for the end-to-end tests to put the daemon in states that are hard to reach from outside.
/// **Test-only**: read only when `KHABAR_TEST_HOOKS=1` is set in the environment, and documented
/// as such in docs/daemon.md; without it every hook is off, whatever else is set.
///
/// - `KHABAR_TEST_STALL_AFTER=S` (seconds after READY) with `KHABAR_TEST_STALL_FOR=S`: the work loop
///   stops doing anything — no polls, no fetches, no watchdog pings — for that long, as a deadlocked
///   scheduler would. A test checks that the pings stop (systemd would then restart the daemon).
public struct TestHooks: Sendable, Equatable {
    public var stallAfter: Duration?
    public var stallFor: Duration = .seconds(3_600)

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard environment["KHABAR_TEST_HOOKS"] == "1" else { return }
        if let after = environment["KHABAR_TEST_STALL_AFTER"].flatMap(Double.init), after >= 0 {
            stallAfter = .milliseconds(Int64(after * 1_000))
        }
        if let length = environment["KHABAR_TEST_STALL_FOR"].flatMap(Double.init), length > 0 {
            stallFor = .milliseconds(Int64(length * 1_000))
        }
    }

    public static let none = TestHooks(environment: [:])
}
