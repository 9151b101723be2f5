/// Everything that shapes how `HTTPClient` fetches. The first group mirrors the `[daemon]` keys of
/// the configuration (docs/DESIGN.md, "Configuration"); the rest are policies with defaults an
/// operator should rarely need to touch, kept here so tests and benchmarks can tighten them.
public struct HTTPClientSettings: Sendable, Equatable {
    // MARK: The configuration's `[daemon]` keys

    /// `user_agent`: sent on every request; its product token (the part before `/`) selects the
    /// robots.txt group.
    public var userAgent: String
    /// `max_concurrency`: requests in flight over all hosts.
    public var maxConcurrency: Int
    /// `per_host_concurrency`: requests in flight to one host (scheme, name and port).
    public var perHostConcurrency: Int
    /// `per_host_delay`: the least time between the starts of two requests to one host. robots.txt
    /// `Crawl-delay` raises it, up to `maxCrawlDelay`.
    public var perHostDelay: Duration
    /// `timeout`: bounds one attempt, connect to last byte.
    public var timeout: Duration
    /// `max_attempts`: attempts per hop, retries included.
    public var maxAttempts: Int
    /// `allow_private_addresses`: whether hosts that are not trusted may reach loopback, private,
    /// link-local and other non-public addresses.
    public var allowPrivateAddresses: Bool
    /// `max_page_bytes`: the body limit after decompression, enforced while downloading.
    public var maxPageBytes: Int64

    // MARK: Politeness

    /// Ask robots.txt before the first request to a host and obey it. Off only for benchmarks
    /// against one's own server.
    public var obeyRobots: Bool
    /// Apply `perHostConcurrency`, `perHostDelay`, `Crawl-delay` and `Retry-After` pacing per host.
    /// Off only for benchmarks; the global limit and the circuit breaker stay on.
    public var paceHosts: Bool
    /// The robots.txt product token; nil takes it from `userAgent` (`Khabar/0.1 (…)` → `khabar`).
    public var robotsToken: String?
    /// How long a fetched robots.txt (or a 4xx meaning "allow all") is used. RFC 9309 says at most 24 h.
    public var robotsCacheTTL: Duration
    /// How long a host whose robots.txt is unreachable (5xx, 429, network error) stays disallowed —
    /// or, when a copy was read before, under that copy's rules — before robots.txt is asked again.
    public var robotsFailureTTL: Duration
    /// The oldest copy of a robots.txt used while the file is unreachable (RFC 9309 §2.4: 30 days).
    public var robotsStaleLimit: Duration
    /// robots.txt bytes read; the rest is ignored (RFC 9309 asks for at least 500 KiB).
    public var maxRobotsBytes: Int64
    /// `Crawl-delay` is honoured up to this; a site asking for an hour per page gets this instead.
    public var maxCrawlDelay: Duration

    // MARK: Retries

    /// Full-jitter backoff: attempt n waits a uniformly random time in 0 ..< min(retryMaxDelay, retryBaseDelay · 2ⁿ⁻¹).
    public var retryBaseDelay: Duration
    public var retryMaxDelay: Duration
    /// A `Retry-After` up to this is waited out inside `fetch`; a longer one ends the fetch with the
    /// typed HTTP error carrying the time, so the scheduler waits instead of a suspended task.
    public var maxRetryAfter: Duration

    // MARK: Circuit breaker

    /// Consecutive failed attempts (network errors, timeouts, 429, 5xx) that open a host's circuit.
    public var breakerThreshold: Int
    /// How long an opened circuit refuses requests; doubles each time a trial request fails, up to `breakerMaxCooldown`.
    public var breakerCooldown: Duration
    public var breakerMaxCooldown: Duration

    // MARK: Transport

    /// At most this many redirects per fetch; each hop is checked like the first URL.
    public var maxRedirects: Int
    /// Connection set-up bound (DNS, TCP, TLS); never more than `timeout`.
    public var connectTimeout: Duration
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is a timeout — a slow drip
    /// ends long before `timeout`.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Duration
    /// Offer HTTP/2 on TLS connections (ALPN); servers that do not speak it get HTTP/1.1.
    public var http2: Bool
    /// A CA bundle to verify servers with instead of the system's. Verification is never switched off.
    public var caBundlePath: String?
    /// Raise glibc's heap trim threshold once per process (see `CurlGlobal.allocatorTuned`): saves
    /// a quarter of the client's CPU at high page rates. Off leaves the allocator alone.
    public var tuneAllocator: Bool

    /// The documented defaults (the same as `DaemonSettings`), with `userAgent` as given.
    public init(
        userAgent: String = "Khabar/0.1 (+https://example.org/khabar)",
        maxConcurrency: Int = 16,
        perHostConcurrency: Int = 2,
        perHostDelay: Duration = .seconds(1),
        timeout: Duration = .seconds(30),
        maxAttempts: Int = 4,
        allowPrivateAddresses: Bool = false,
        maxPageBytes: Int64 = 5_000_000
    ) {
        self.userAgent = userAgent
        self.maxConcurrency = maxConcurrency
        self.perHostConcurrency = perHostConcurrency
        self.perHostDelay = perHostDelay
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.allowPrivateAddresses = allowPrivateAddresses
        self.maxPageBytes = maxPageBytes
        self.obeyRobots = true
        self.paceHosts = true
        self.robotsToken = nil
        self.robotsCacheTTL = .seconds(24 * 3600)
        self.robotsFailureTTL = .seconds(600)
        self.robotsStaleLimit = .seconds(30 * 86_400)
        self.maxRobotsBytes = 512 * 1024
        self.maxCrawlDelay = .seconds(60)
        self.retryBaseDelay = .seconds(1)
        self.retryMaxDelay = .seconds(60)
        self.maxRetryAfter = .seconds(120)
        self.breakerThreshold = 5
        self.breakerCooldown = .seconds(30)
        self.breakerMaxCooldown = .seconds(900)
        self.maxRedirects = 5
        self.connectTimeout = .seconds(10)
        self.lowSpeedLimit = 64
        self.lowSpeedTime = .seconds(20)
        self.http2 = true
        self.caBundlePath = nil
        self.tuneAllocator = true
    }

    /// Settings for measuring raw throughput against one's own server: no robots.txt, no per-host
    /// pacing, no retries.
    public static func benchmark(userAgent: String = "Khabar-bench", concurrency: Int) -> HTTPClientSettings {
        var s = HTTPClientSettings(userAgent: userAgent, maxConcurrency: concurrency,
                                   perHostConcurrency: concurrency, perHostDelay: .zero,
                                   maxAttempts: 1, allowPrivateAddresses: true)
        s.obeyRobots = false
        s.paceHosts = false
        return s
    }

    /// The robots.txt product token in lower case.
    var effectiveRobotsToken: String {
        let source = robotsToken ?? userAgent
        let token = source.prefix { $0.isASCII && ($0.isLetter || $0 == "_" || $0 == "-") }
        return token.isEmpty ? "*" : token.lowercased()
    }

    /// The settings with every count and duration pulled into a range libcurl and the limiter accept.
    var sanitized: HTTPClientSettings {
        var s = self
        s.maxConcurrency = max(1, s.maxConcurrency)
        s.perHostConcurrency = max(1, s.perHostConcurrency)
        s.maxAttempts = max(1, s.maxAttempts)
        s.maxRedirects = max(0, s.maxRedirects)
        s.maxPageBytes = max(1, s.maxPageBytes)
        s.maxRobotsBytes = max(1, s.maxRobotsBytes)
        s.breakerThreshold = max(1, s.breakerThreshold)
        s.lowSpeedLimit = max(0, s.lowSpeedLimit)
        if s.timeout <= .zero { s.timeout = .seconds(30) }
        if s.connectTimeout <= .zero || s.connectTimeout > s.timeout { s.connectTimeout = s.timeout }
        if s.perHostDelay < .zero { s.perHostDelay = .zero }
        return s
    }
}
