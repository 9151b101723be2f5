import Foundation

/// Where a source stands in its polling rhythm. The state store keeps it (so due times survive
/// restarts); `PollPolicy` computes the next one from it. A plain value, no clock inside.
public struct SourceSchedule: Sendable, Equatable {
    /// The adaptive interval in force, within [interval/4, interval×4] of the configured one.
    public var currentInterval: Duration
    /// Failed polls in a row (0 after any success).
    public var consecutiveFailures: Int
    /// When the source is next due.
    public var nextPoll: Date

    public init(currentInterval: Duration, consecutiveFailures: Int = 0, nextPoll: Date) {
        self.currentInterval = currentInterval
        self.consecutiveFailures = consecutiveFailures
        self.nextPoll = nextPoll
    }

    /// True when the source should be polled at `now` (a due time in the past included: at start
    /// the daemon polls every source whose time has come, as DESIGN.md says).
    public func isDue(at now: Date) -> Bool { nextPoll <= now }
}

/// What one poll of a source came to, as far as scheduling cares.
public enum PollOutcome: Sendable, Equatable {
    /// At least one discovery channel answered; `newArticles` URLs were new to the frontier.
    case succeeded(newArticles: Int)
    /// Every channel failed (DNS, connection, HTTP errors after the HTTP layer's own retries).
    case failed
}

/// When to poll a source next — Scrapy-style explicit politeness, pure and clock-injected:
///
/// - **Jitter.** Every delay is spread by ±10 % (uniform), so sources configured alike do not
///   poll in lock-step and a restart does not line every source up again.
/// - **Adaptive interval.** A poll that finds new articles shortens the interval (×0.75); one that
///   finds none lengthens it (×1.25); always within [interval/4, interval×4]. A busy source is
///   followed closely, a quiet one is not hammered.
/// - **Backoff.** A failed poll waits the current interval × 2^failures, at most 6 h — but never
///   less than the current interval: a failing source is never polled more often than a healthy
///   one. The first success resets it.
public struct PollPolicy: Sendable, Equatable {
    /// The configured interval (`interval` of the source).
    public var interval: Duration
    /// Fraction of the delay added or removed at random (0.1: ±10 %).
    public var jitter: Double = 0.10
    /// Upper bound of the failure backoff.
    public var maxBackoff: Duration = .seconds(6 * 3_600)
    /// Factor applied to the interval after a poll that found new articles.
    public var shrink: Double = 0.75
    /// Factor applied after a poll that found none.
    public var grow: Double = 1.25

    public init(interval: Duration) {
        self.interval = max(interval, .seconds(1))
    }

    public init(source: SourceSettings) {
        self.init(interval: source.interval)
    }

    /// The shortest interval adaptation may reach.
    public var minInterval: Duration { interval / 4 }
    /// The longest.
    public var maxInterval: Duration { interval * 4 }

    /// A source seen for the first time: due at once, at its configured interval.
    public func initial(now: Date) -> SourceSchedule {
        SourceSchedule(currentInterval: interval, consecutiveFailures: 0, nextPoll: now)
    }

    /// The schedule after a poll that ended at `now` with `outcome`.
    public func next(after schedule: SourceSchedule, outcome: PollOutcome, now: Date,
                     using rng: inout some RandomNumberGenerator) -> SourceSchedule {
        var s = schedule
        s.currentInterval = clamp(s.currentInterval)
        let delay: Duration
        switch outcome {
        case .succeeded(let newArticles):
            s.consecutiveFailures = 0
            s.currentInterval = clamp(s.currentInterval * (newArticles > 0 ? shrink : grow))
            delay = s.currentInterval
        case .failed:
            s.consecutiveFailures += 1
            delay = backoff(current: s.currentInterval, failures: s.consecutiveFailures)
        }
        s.nextPoll = now.addingTimeInterval(ScheduleMath.seconds(jittered(delay, using: &rng)))
        return s
    }

    /// The wait after `failures` failed polls in a row (before jitter).
    public func backoff(current: Duration, failures: Int) -> Duration {
        let exponent = min(max(failures, 0), 30)
        let grown = ScheduleMath.seconds(current) * Double(1 << exponent)
        return .seconds(max(ScheduleMath.seconds(current), min(grown, ScheduleMath.seconds(maxBackoff))))
    }

    /// `delay` spread by ±`jitter`.
    public func jittered(_ delay: Duration, using rng: inout some RandomNumberGenerator) -> Duration {
        guard jitter > 0 else { return delay }
        let factor = 1 + Double.random(in: -jitter...jitter, using: &rng)
        return .seconds(ScheduleMath.seconds(delay) * factor)
    }

    private func clamp(_ d: Duration) -> Duration { min(max(d, minInterval), maxInterval) }
}

/// Duration arithmetic for scheduling (named apart so no other file of the module collides).
enum ScheduleMath {
    /// `d` in seconds, as a `Double` (what `Date` arithmetic takes).
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
