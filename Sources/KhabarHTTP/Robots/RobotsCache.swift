import Foundation

/// What robots.txt says about an origin right now.
enum RobotsVerdict: Sendable {
    /// Parsed rules; also `allowAll` for a 4xx or a file that is not one.
    case rules(RobotsTxt)
    /// Unreachable (5xx, 429, network error): complete disallow until `until` (RFC 9309 §2.3.1.4).
    /// `cause` is the network failure when there was one (DNS, connect, TLS, timeout): the pages of
    /// such a host report it rather than "robots denied", which would hide what is wrong.
    case unreachable(reason: String, until: Date, cause: FetchFailure?)
    /// A failure that is about the request, not the site (blocked address, cancelled): not cached.
    case failed(FetchFailure)
}

/// robots.txt per origin (scheme, host, port), fetched once however many requests ask at the same
/// moment, kept for `ttl`.
actor RobotsCache {
    private enum Entry {
        case loading(Task<(RobotsVerdict, Duration?), Never>)
        case ready(RobotsVerdict, expires: ContinuousClock.Instant)
    }

    private var entries: [String: Entry] = [:]
    private let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The cached verdict for `origin`, or the result of `load` (run once for concurrent callers).
    /// `load` returns how long its verdict may be kept, nil for not at all.
    func verdict(for origin: String,
                 load: @escaping @Sendable () async -> (RobotsVerdict, Duration?)) async -> RobotsVerdict {
        switch entries[origin] {
        case .ready(let verdict, let expires) where expires > .now:
            return verdict
        case .loading(let task):
            return await task.value.0
        default:
            break
        }
        let task = Task { await load() }
        entries[origin] = .loading(task)
        let (verdict, ttl) = await task.value
        if let ttl {
            entries[origin] = .ready(verdict, expires: .now + ttl)
            if entries.count > capacity { evict() }
        } else {
            entries[origin] = nil
        }
        return verdict
    }

    /// Drops expired entries, then (if still full) arbitrary ready ones.
    private func evict() {
        let now = ContinuousClock.now
        entries = entries.filter { _, e in
            if case .ready(_, let expires) = e { return expires > now }
            return true
        }
        var excess = entries.count - capacity * 3 / 4
        guard excess > 0 else { return }
        for (key, entry) in entries where excess > 0 {
            if case .ready = entry {
                entries[key] = nil
                excess -= 1
            }
        }
    }
}
