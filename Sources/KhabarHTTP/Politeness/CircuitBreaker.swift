/// Per-host circuit breakers. After `threshold` failed attempts in a row a host's circuit opens: its
/// requests fail at once with `circuitOpen` (no connection, no timeout to wait out) until the
/// cooldown ends. Then one trial request goes through; success closes the circuit, failure opens it
/// again for twice as long (up to a cap). Only the failing host is affected.
final class CircuitBreakers: Sendable {
    enum Admission: Equatable {
        case allowed
        /// The trial request after a cooldown: report its result with `probe: true`.
        case probe
        case refused(until: ContinuousClock.Instant)
    }

    enum Result {
        case success
        case failure
        /// Says nothing about the host's health (cancelled, refused by our own policy).
        case neutral
    }

    private struct Breaker {
        var consecutiveFailures = 0
        var openUntil: ContinuousClock.Instant?
        var cooldown: Duration
        var probing = false
    }

    private let breakers = Protected([String: Breaker]())
    private let threshold: Int
    private let baseCooldown: Duration
    private let maxCooldown: Duration

    init(threshold: Int, cooldown: Duration, maxCooldown: Duration) {
        self.threshold = max(1, threshold)
        self.baseCooldown = cooldown
        self.maxCooldown = max(cooldown, maxCooldown)
    }

    func admit(_ host: String) -> Admission {
        breakers.withLock { all in
            guard var b = all[host], let openUntil = b.openUntil else { return .allowed }
            let now = ContinuousClock.now
            if now < openUntil { return .refused(until: openUntil) }
            if b.probing { return .refused(until: now + b.cooldown) }
            b.probing = true
            all[host] = b
            return .probe
        }
    }

    func record(_ host: String, _ result: Result, probe: Bool) {
        breakers.withLock { all in
            var b = all[host] ?? Breaker(cooldown: baseCooldown)
            switch result {
            case .success:
                all[host] = nil
                return
            case .neutral:
                if probe { b.probing = false }
            case .failure:
                b.consecutiveFailures += 1
                if probe {
                    b.probing = false
                    b.cooldown = min(b.cooldown * 2, maxCooldown)
                    b.openUntil = .now + b.cooldown
                } else if b.openUntil == nil && b.consecutiveFailures >= threshold {
                    b.openUntil = .now + b.cooldown
                }
            }
            all[host] = b
            if all.count > 4096 { Self.prune(&all) }
        }
    }

    /// Drops breakers that are closed or long expired.
    private static func prune(_ all: inout [String: Breaker]) {
        let now = ContinuousClock.now
        all = all.filter { _, b in b.probing || (b.openUntil.map { $0 + b.cooldown > now } ?? (b.consecutiveFailures > 0)) }
    }
}
