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
/// moment, kept for the time its loader says.
///
/// A lock, not an actor: the common case — a cached verdict — is answered without suspending the
/// fetching task (every page asks).
final class RobotsCache: Sendable {
    private enum Entry {
        case loading(Task<RobotsVerdict, Never>)
        case ready(RobotsVerdict, expires: ContinuousClock.Instant)
    }

    private let entries = Protected([String: Entry]())
    private let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
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
            case .ready(let verdict, let expires) where expires > .now:
                return .done(verdict)
            case .loading(let task):
                return .wait(task)
            default:
                let task = Task { [self] in
                    let (verdict, ttl) = await load()
                    store(origin, verdict, ttl: ttl)
                    return verdict
                }
                all[origin] = .loading(task)
                return .wait(task)
            }
        }
        switch next {
        case .done(let verdict): return verdict
        case .wait(let task): return await task.value
        }
    }

    private func store(_ origin: String, _ verdict: RobotsVerdict, ttl: Duration?) {
        entries.withLock { all in
            guard let ttl else {
                all[origin] = nil
                return
            }
            all[origin] = .ready(verdict, expires: .now + ttl)
            if all.count > capacity { Self.evict(&all, capacity: capacity) }
        }
    }

    /// Drops expired entries, then (if still full) arbitrary ready ones.
    private static func evict(_ all: inout [String: Entry], capacity: Int) {
        let now = ContinuousClock.now
        all = all.filter { _, e in
            if case .ready(_, let expires) = e { return expires > now }
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
