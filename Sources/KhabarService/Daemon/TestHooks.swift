import Foundation

/// Ways for the end-to-end tests to put the daemon in states that are hard to reach from outside.
/// **Test-only**: read only when `KHABAR_TEST_HOOKS=1` is set in the environment, and documented
/// as such in docs/daemon.md; without it every hook is off, whatever else is set.
///
/// - `KHABAR_TEST_STALL_AFTER=S` (seconds after READY) with `KHABAR_TEST_STALL_FOR=S`: the work loop
///   stops doing anything — no polls, no fetches, no watchdog pings — for that long, as a deadlocked
///   scheduler would. A test checks that the pings stop (systemd would then restart the daemon).
/// - `KHABAR_TEST_POLL_EVERY=S`: every source is due again S seconds after a poll ends — no
///   adaptive interval, no jitter, no failure backoff — and the work loop ticks at least that
///   often. The soak runs thousands of poll cycles and the chaos test polls a misbehaving site
///   many times a minute with it; the configuration's `interval` cannot go below a second and
///   adapts, so neither could be done in reasonable time without it.
/// - `KHABAR_TEST_RETRY_BASE=S`: a URL whose fetch failed for a passing reason is due again after
///   S × 2ⁿ⁻¹ seconds instead of 15 min × 2ⁿ⁻¹ (`URLSchedule.retryBase`), so a test can see the
///   retry of an article that met a 503 or a read-only corpus within its time.
public struct TestHooks: Sendable, Equatable {
    public var stallAfter: Duration?
    public var stallFor: Duration = .seconds(3_600)
    public var pollEvery: Duration?
    public var retryBase: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard environment["KHABAR_TEST_HOOKS"] == "1" else { return }
        stallAfter = Self.seconds(environment["KHABAR_TEST_STALL_AFTER"], minimum: 0)
        if let length = Self.seconds(environment["KHABAR_TEST_STALL_FOR"], minimum: 0.001) { stallFor = length }
        pollEvery = Self.seconds(environment["KHABAR_TEST_POLL_EVERY"], minimum: 0.001)
        retryBase = Self.seconds(environment["KHABAR_TEST_RETRY_BASE"], minimum: 0.001)
    }

    public static let none = TestHooks(environment: [:])

    /// A number of seconds (fractions allowed) of at least `minimum`, as a duration.
    private static func seconds(_ text: String?, minimum: Double) -> Duration? {
        guard let value = text.flatMap(Double.init), value.isFinite, value >= minimum, value < 1e9 else { return nil }
        return .milliseconds(Int64(value * 1_000))
    }
}
