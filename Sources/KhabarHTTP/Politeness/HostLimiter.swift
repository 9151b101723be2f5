/// Admission to the network: at most `globalLimit` requests in flight overall, at most a per-host
/// limit to one host, consecutive starts to one host at least a delay apart, and no start to a host
/// before a `Retry-After` it sent has passed.
///
/// Order matters for fairness: a request first takes a slot of its host and waits out that host's
/// pacing, and only then competes for a global slot. So a slow or heavily paced host never holds
/// global slots while it waits, and never slows the others.
final class HostLimiter: Sendable {
    struct Permit: Sendable {
        fileprivate let host: String?
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct HostState {
        var active = 0
        var waiters: [Waiter] = []
        var lastStart: ContinuousClock.Instant?
        var notBefore: ContinuousClock.Instant?
    }

    private struct State {
        var hosts: [String: HostState] = [:]
        var globalActive = 0
        var globalWaiters: [Waiter] = []
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Protected(State())
    private let globalLimit: Int

    init(globalLimit: Int) {
        self.globalLimit = max(1, globalLimit)
    }

    /// Waits for admission. With `perHost` nil only the global limit applies (politeness off).
    /// Nil when the task was cancelled or the limiter closed while waiting; nothing is held then.
    func acquire(host: String, perHost: (limit: Int, delay: Duration)?) async -> Permit? {
        guard let perHost else {
            return await takeSlot(host: nil, limit: globalLimit) ? Permit(host: nil) : nil
        }
        guard await takeSlot(host: host, limit: perHost.limit) else { return nil }
        while true {
            let earliest = state.withLock { $0.hosts[host].map { Self.earliestStart($0, delay: perHost.delay) } } ?? nil
            if let earliest, earliest > .now {
                try? await Task.sleep(until: earliest, clock: .continuous)
            }
            if Task.isCancelled || isClosed {
                releaseSlot(host: host)
                return nil
            }
            guard await takeSlot(host: nil, limit: globalLimit) else {
                releaseSlot(host: host)
                return nil
            }
            // Another request of this host may have started while this one waited for a global slot.
            let started = state.withLock { s -> Bool in
                let now = ContinuousClock.now
                if let e = s.hosts[host].flatMap({ Self.earliestStart($0, delay: perHost.delay) }), e > now { return false }
                s.hosts[host, default: HostState()].lastStart = now
                return true
            }
            if started { return Permit(host: host) }
            releaseSlot(host: nil)
        }
    }

    func release(_ permit: Permit) {
        releaseSlot(host: nil)
        if let host = permit.host { releaseSlot(host: host) }
    }

    /// No request to `host` starts before `instant` (a `Retry-After`).
    func pushBack(host: String, until instant: ContinuousClock.Instant) {
        state.withLock { s in
            var h = s.hosts[host, default: HostState()]
            if h.notBefore.map({ $0 < instant }) ?? true { h.notBefore = instant }
            s.hosts[host] = h
        }
    }

    /// Wakes every waiter empty-handed and refuses new requests.
    func close() {
        let waiters = state.withLock { s -> [Waiter] in
            s.closed = true
            var all = s.globalWaiters
            s.globalWaiters = []
            for key in s.hosts.keys {
                all += s.hosts[key]?.waiters ?? []
                s.hosts[key]?.waiters = []
            }
            return all
        }
        for w in waiters { w.continuation.resume(returning: false) }
    }

    /// Requests in flight now (for tests and status).
    var inFlight: Int { state.withLock { $0.globalActive } }

    private var isClosed: Bool { state.withLock { $0.closed } }

    private static func earliestStart(_ h: HostState, delay: Duration) -> ContinuousClock.Instant? {
        let paced = h.lastStart.map { $0 + delay }
        switch (paced, h.notBefore) {
        case let (p?, n?): return max(p, n)
        case let (p?, nil): return p
        case let (nil, n?): return n
        case (nil, nil): return nil
        }
    }

    // MARK: Slots (host nil: the global pool)

    private func takeSlot(host: String?, limit: Int) async -> Bool {
        // Fast path: a free slot and nobody queued — taken without suspending the task.
        let taken = state.withLock { s -> Bool in
            guard !s.closed, !Task.isCancelled else { return false }
            if let host {
                guard let h = s.hosts[host] else {
                    s.hosts[host] = HostState(active: 1)
                    return true
                }
                guard h.active < limit && h.waiters.isEmpty else { return false }
                s.hosts[host]?.active += 1
                return true
            }
            guard s.globalActive < limit && s.globalWaiters.isEmpty else { return false }
            s.globalActive += 1
            return true
        }
        if taken { return true }
        let id = state.withLock { s -> UInt64 in
            s.nextID &+= 1
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { s in
                    if s.closed || Task.isCancelled { return false }
                    if let host {
                        var h = s.hosts[host, default: HostState()]
                        defer { s.hosts[host] = h }
                        if h.active < limit && h.waiters.isEmpty {
                            h.active += 1
                            return true
                        }
                        h.waiters.append(Waiter(id: id, continuation: continuation))
                        return nil
                    }
                    if s.globalActive < limit && s.globalWaiters.isEmpty {
                        s.globalActive += 1
                        return true
                    }
                    s.globalWaiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                if let host {
                    guard let i = s.hosts[host]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return s.hosts[host]?.waiters.remove(at: i)
                }
                guard let i = s.globalWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.globalWaiters.remove(at: i)
            }
            waiter?.continuation.resume(returning: false)
        }
    }

    /// Hands the slot to the first waiter, or frees it.
    private func releaseSlot(host: String?) {
        let next = state.withLock { s -> Waiter? in
            if let host {
                guard var h = s.hosts[host] else { return nil }
                defer {
                    s.hosts[host] = h
                    Self.prune(&s)
                }
                if !h.waiters.isEmpty { return h.waiters.removeFirst() }
                h.active = max(0, h.active - 1)
                return nil
            }
            if !s.globalWaiters.isEmpty { return s.globalWaiters.removeFirst() }
            s.globalActive = max(0, s.globalActive - 1)
            return nil
        }
        next?.continuation.resume(returning: true)
    }

    /// Forgets idle hosts whose pacing no longer matters, so a crawl over many hosts does not grow
    /// this table for ever.
    private static func prune(_ s: inout State) {
        guard s.hosts.count > 2048 else { return }
        let horizon = ContinuousClock.now - .seconds(600)
        s.hosts = s.hosts.filter { _, h in
            h.active > 0 || !h.waiters.isEmpty
                || (h.lastStart.map { $0 > horizon } ?? false)
                || (h.notBefore.map { $0 > .now } ?? false)
        }
    }
}
