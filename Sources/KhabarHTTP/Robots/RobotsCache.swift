import Foundation

/// What robots.txt says about an origin right now.
enum RobotsVerdict: Sendable {
    /// Parsed rules; also `allowAll` for a 4xx or a file that is not one.
    case rules(RobotsTxt)
    /// Unreachable (5xx, 429, network error) and no earlier copy to go by (`RobotsCache`): complete
    /// disallow until `until` (RFC 9309 §2.3.1.4).
    /// `cause` is the network failure when there was one (DNS, connect, TLS, timeout): the pages of
    /// such a host report it rather than "robots denied", which would hide what is wrong.
    case unreachable(reason: String, until: Date, cause: FetchFailure?)
    /// A failure that is about the request, not the site (blocked address, cancelled): not cached.
    case failed(FetchFailure)
}

/// robots.txt per origin (scheme, host, port), fetched once however many requests ask at the same
/// moment, kept for the time its loader says.
///
/// When a robots.txt that was read before becomes unreachable (5xx, 429, a network error), the
/// last copy read keeps applying — for the failure TTL, then robots.txt is asked again — rather
/// than "complete disallow": RFC 9309 §2.4 lets a crawler use a cached copy beyond a day while the
/// file is unreachable, and a flaky robots.txt then stops none of the site's crawling while its
/// rules stay obeyed. A copy older than `staleLimit` (30 days, the RFC's horizon) is no longer
/// used. An origin never read successfully is disallowed while unreachable, as before.
///
/// A lock, not an actor: the common case — a cached verdict — is answered without suspending the
/// fetching task (every page asks).
final class RobotsCache: Sendable {
    /// The last rules read from an origin, and when.
    struct Copy: Sendable {
        var rules: RobotsTxt
        var readAt: ContinuousClock.Instant
    }

    private enum Entry {
        case loading(Task<RobotsVerdict, Never>, last: Copy?)
        case ready(RobotsVerdict, expires: ContinuousClock.Instant, last: Copy?)

        var last: Copy? {
            switch self {
            case .loading(_, let last), .ready(_, _, let last): return last
            }
        }
    }

    private let entries = Protected([String: Entry]())
    private let capacity: Int
    private let staleLimit: Duration

    init(capacity: Int = 20_000, staleLimit: Duration = .seconds(30 * 86_400)) {
        self.capacity = capacity
        self.staleLimit = staleLimit
    }

    /// The cached verdict for `origin`, or the result of `load` (run once for concurrent callers).
    /// `load` returns how long its verdict may be kept, nil for not at all.
    func verdict(for origin: String,
                 load: @escaping @Sendable () async -> (RobotsVerdict, Duration?)) async -> RobotsVerdict {
        enum Next {
            case done(RobotsVerdict)
            case wait(Task<RobotsVerdict, Never>)
        }
        let next = entries.withLock { all -> Next in
            switch all[origin] {
            case .ready(let verdict, let expires, _)? where expires > .now:
                return .done(verdict)
            case .loading(let task, _)?:
                return .wait(task)
            case let entry:
                let last = entry?.last
                let task = Task { [self] in
                    let (verdict, ttl) = await load()
                    return store(origin, verdict, ttl: ttl, last: last)
                }
                all[origin] = .loading(task, last: last)
                return .wait(task)
            }
        }
        switch next {
        case .done(let verdict): return verdict
        case .wait(let task): return await task.value
        }
    }

    /// Keeps `verdict` (or, for an unreachable file, the last copy read) and returns what applies.
    private func store(_ origin: String, _ verdict: RobotsVerdict, ttl: Duration?, last: Copy?) -> RobotsVerdict {
        let now = ContinuousClock.now
        var applied = verdict
        var keep = last
        switch verdict {
        case .rules(let rules):
            keep = Copy(rules: rules, readAt: now)
        case .unreachable:
            if let last, now - last.readAt < staleLimit { applied = .rules(last.rules) } else { keep = nil }
        case .failed:
            break
        }
        entries.withLock { all in
            guard let ttl else {
                if let keep { all[origin] = .ready(applied, expires: now, last: keep) } else { all[origin] = nil }
                return
            }
            all[origin] = .ready(applied, expires: now + ttl, last: keep)
            if all.count > capacity { Self.evict(&all, capacity: capacity) }
        }
        return applied
    }

    /// Drops expired entries (and with them their last copies), then (if still full) arbitrary
    /// ready ones.
    private static func evict(_ all: inout [String: Entry], capacity: Int) {
        let now = ContinuousClock.now
        all = all.filter { _, e in
            if case .ready(_, let expires, _) = e { return expires > now }
            return true
        }
        var excess = all.count - capacity * 3 / 4
        guard excess > 0 else { return }
        for (key, entry) in all where excess > 0 {
            if case .ready = entry {
                all[key] = nil
                excess -= 1
            }
        }
    }
}
