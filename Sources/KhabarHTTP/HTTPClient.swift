import Foundation

/// Khabar's HTTP client: every page, feed, sitemap and robots.txt goes through one of these.
///
/// One thread drives all transfers through a libcurl multi handle (connection reuse, HTTP/2,
/// decoding of gzip, deflate, br and zstd); `fetch` suspends the caller, never a thread. Around each
/// transfer sit the policies, each a small type of its own:
///
/// 1. the URL is parsed by libcurl's parser and must be http/https (`URLParts`);
/// 2. robots.txt of its origin is asked first (`RobotsCache`, `RobotsTxt`);
/// 3. the host's circuit breaker may refuse at once (`CircuitBreakers`);
/// 4. a host slot, the host's pacing and a global slot are waited for (`HostLimiter`);
/// 5. the transfer runs with limits enforced while streaming (`Transfer`): body size after
///    decoding, media type at the headers, the address libcurl connects to for untrusted hosts;
/// 6. transient failures are retried with full-jitter backoff or `Retry-After` (`Backoff`);
/// 7. redirects are followed one checked hop at a time, each hop going through 1–6 again.
public final class HTTPClient: Sendable {
    public let settings: HTTPClientSettings
    private let engine: CurlEngine
    private let limiter: HostLimiter
    private let breakers: CircuitBreakers
    private let robotsCache: RobotsCache
    private let backoff: Backoff

    public init(settings: HTTPClientSettings) {
        let s = settings.sanitized
        self.settings = s
        engine = CurlEngine(maxConnections: max(s.maxConcurrency * 2, 16), handlePoolSize: s.maxConcurrency,
                            tuneAllocator: s.tuneAllocator)
        limiter = HostLimiter(globalLimit: s.maxConcurrency)
        breakers = CircuitBreakers(threshold: s.breakerThreshold, cooldown: s.breakerCooldown,
                                   maxCooldown: s.breakerMaxCooldown)
        backoff = Backoff(base: s.retryBaseDelay, cap: s.retryMaxDelay)
        robotsCache = RobotsCache(staleLimit: s.robotsStaleLimit)
    }

    deinit {
        limiter.close()
        engine.requestShutdown()
    }

    /// Fetches one document. Returns the response (2xx) or not-modified (304); everything else is a
    /// typed `FetchError` with a one-line description. Cancelling the calling task aborts the
    /// transfer at once.
    public func fetch(_ request: HTTPRequest) async throws(FetchError) -> FetchResult {
        var run = FetchRun(request: request, started: .now)
        do {
            return try await fetch(&run)
        } catch let failure {
            throw FetchError(reason: failure.reason, requestedURL: request.url, url: run.currentURL,
                             attempts: run.attempts, elapsed: .now - run.started,
                             retryAfter: failure.retryAfter, status: failure.status)
        }
    }

    /// The `Sitemap:` URLs of the robots.txt of `url`'s origin, fetched (or cached) as for any
    /// request — also when `obeyRobots` is off, since discovery needs them. Relative values are
    /// resolved against the robots.txt URL; empty when there is no usable robots.txt.
    public func robotsSitemaps(for url: String, trustedHosts: Set<String>? = nil) async -> [String] {
        guard let parts = URLParts(url), parts.isWeb else { return [] }
        guard case .rules(let robots) = await robotsVerdict(parts, trustedHosts: trustedHosts ?? [parts.host]) else {
            return []
        }
        return robots.sitemaps.compactMap { value in
            if let absolute = URLParts(value), absolute.isWeb { return absolute.url }
            if value.hasPrefix("/"), let joined = URLParts(parts.origin + value) { return joined.url }
            return nil
        }
    }

    /// robots.txt as it applies to this client, for `url`'s origin; nil when it could not be read
    /// (then the origin counts as disallowed for a while).
    public func robots(for url: String, trustedHosts: Set<String>? = nil) async -> RobotsTxt? {
        guard let parts = URLParts(url), parts.isWeb else { return nil }
        if case .rules(let robots) = await robotsVerdict(parts, trustedHosts: trustedHosts ?? [parts.host]) {
            return robots
        }
        return nil
    }

    /// Ends every transfer (waiting fetches end `.cancelled`) and stops the event-loop thread.
    public func shutdown() async {
        limiter.close()
        await engine.shutdown()
    }

    // MARK: The fetch, hop by hop

    /// The mutable record of one `fetch` call.
    private struct FetchRun {
        let request: HTTPRequest
        let started: ContinuousClock.Instant
        var currentURL: String
        var chain: [String] = []
        var attempts = 0

        init(request: HTTPRequest, started: ContinuousClock.Instant) {
            self.request = request
            self.started = started
            self.currentURL = request.url
        }
    }

    /// A failure on its way out of `fetch`, before the run's context is added.
    private struct FetchFailureWithTime: Error {
        var reason: FetchFailure
        var retryAfter: Date?
        var status: Int?
    }

    private func fetch(_ run: inout FetchRun) async throws(FetchFailureWithTime) -> FetchResult {
        let request = run.request
        var redirects = 0
        while true {
            guard let parts = URLParts(run.currentURL) else {
                throw FetchFailureWithTime(reason: .invalidURL("not an absolute URL: \(run.currentURL.prefix(200))"))
            }
            guard parts.isWeb else {
                throw FetchFailureWithTime(reason: .invalidURL("scheme \(parts.scheme) is not http or https"))
            }
            run.currentURL = parts.url
            run.chain.append(parts.url)
            let checkAddresses = !request.trustedHosts.contains(parts.host) && !settings.allowPrivateAddresses
            if checkAddresses, let literal = IPAddress(parts.host), let why = literal.nonPublicClass {
                throw FetchFailureWithTime(reason: .blockedAddress("\(literal) (\(why))"))
            }

            var delay = settings.perHostDelay
            if settings.obeyRobots && request.kind != .robots {
                let crawlDelay = try await checkRobots(parts, request)
                if let crawlDelay { delay = max(delay, min(crawlDelay, settings.maxCrawlDelay)) }
            }

            let answer = try await attempts(parts, request, checkAddresses: checkAddresses, delay: delay,
                                            attempts: &run.attempts)
            let headers = HTTPHeaders(raw: answer.rawHeaders)
            switch answer.status {
            case 304:
                return .notModified(NotModified(
                    requestedURL: request.url, finalURL: parts.url, headers: headers,
                    etag: headers["ETag"], lastModified: headers["Last-Modified"],
                    attempts: run.attempts, elapsed: .now - run.started))
            case 200..<300:
                return .response(HTTPResponse(
                    requestedURL: request.url, finalURL: parts.url, redirectChain: run.chain,
                    status: answer.status, headers: headers,
                    contentType: headers["Content-Type"].flatMap(ContentType.init),
                    body: answer.body, etag: headers["ETag"],
                    lastModified: headers["Last-Modified"], attempts: run.attempts,
                    elapsed: .now - run.started, wireBytes: answer.wireBytes, httpVersion: answer.httpVersion,
                    remoteAddress: answer.remoteAddress, truncated: answer.truncated))
            case let status where HTTPStatus.isRedirect(status):
                guard let target = answer.redirectURL else {
                    throw FetchFailureWithTime(reason: .http(status), status: status)
                }
                redirects += 1
                guard redirects <= settings.maxRedirects else {
                    throw FetchFailureWithTime(reason: .tooManyRedirects(limit: settings.maxRedirects), status: status)
                }
                guard let next = URLParts(target), next.isWeb else {
                    throw FetchFailureWithTime(reason: .redirectRefused("\(target.prefix(200)) is not an http(s) URL"),
                                               status: status)
                }
                guard request.trustedHosts.contains(next.host) || request.linkPolicy(next.url) else {
                    throw FetchFailureWithTime(reason: .redirectRefused("\(next.url.prefix(200)) is outside the source"),
                                               status: status)
                }
                run.currentURL = next.url
            case let status:
                let retryAfter = RetryAfter.parse(headers["Retry-After"]).map { Date() + $0.timeInterval }
                throw FetchFailureWithTime(reason: .http(status), retryAfter: retryAfter, status: status)
            }
        }
    }

    /// One hop with its retries. Returns any complete answer that is not worth retrying (or the last
    /// one); throws for failures.
    private func attempts(_ parts: URLParts, _ request: HTTPRequest, checkAddresses: Bool, delay: Duration,
                          attempts: inout Int) async throws(FetchFailureWithTime) -> TransferResponse {
        let host = parts.origin
        let robots = request.kind == .robots
        // robots.txt gets one attempt: unreachable means "disallow for a while", which is its retry.
        let maxAttempts = robots ? 1 : settings.maxAttempts
        var headerLines = ["Accept: \(request.kind.acceptHeader)"]
        if let etag = request.etag, !etag.isEmpty { headerLines.append("If-None-Match: \(Self.headerSafe(etag))") }
        if let lm = request.lastModified, !lm.isEmpty { headerLines.append("If-Modified-Since: \(Self.headerSafe(lm))") }
        let spec = TransferSpec(
            url: parts.url, kind: request.kind, headerLines: headerLines, userAgent: settings.userAgent,
            timeout: settings.timeout, connectTimeout: settings.connectTimeout,
            lowSpeedLimit: settings.lowSpeedLimit, lowSpeedTime: settings.lowSpeedTime,
            maxBytes: robots ? settings.maxRobotsBytes : (request.maxBytes ?? settings.maxPageBytes),
            truncateAtLimit: robots, checkAddresses: checkAddresses, http2: settings.http2,
            caBundlePath: settings.caBundlePath)

        for attempt in 1...maxAttempts {
            let admission = breakers.admit(host)
            if case .refused(let until) = admission {
                throw FetchFailureWithTime(reason: .circuitOpen(host: parts.host),
                                           retryAfter: Date() + (until - .now).timeInterval)
            }
            let probe = admission == .probe
            let pacing = settings.paceHosts ? (limit: settings.perHostConcurrency, delay: delay) : nil
            guard let permit = await limiter.acquire(host: host, perHost: pacing) else {
                breakers.record(host, .neutral, probe: probe)
                throw FetchFailureWithTime(reason: .cancelled)
            }
            attempts += 1
            let outcome = await engine.perform(spec)
            limiter.release(permit)

            switch outcome {
            case .completed(let answer) where HTTPStatus.isRetryable(answer.status):
                breakers.record(host, .failure, probe: probe)
                let retryAfter = RetryAfter.parse(HTTPHeaders(raw: answer.rawHeaders)["Retry-After"])
                if let retryAfter, settings.paceHosts {
                    limiter.pushBack(host: host, until: .now + min(retryAfter, settings.maxRetryAfter))
                }
                let tooLong = retryAfter.map { $0 > settings.maxRetryAfter } ?? false
                if attempt == maxAttempts || tooLong {
                    throw FetchFailureWithTime(reason: .http(answer.status),
                                               retryAfter: retryAfter.map { Date() + $0.timeInterval },
                                               status: answer.status)
                }
                try await pause(retryAfter ?? backoff.delay(afterAttempt: attempt))
            case .completed(let answer):
                breakers.record(host, .success, probe: probe)
                return answer
            case .failed(let failure):
                let health: CircuitBreakers.Result
                switch failure {
                case _ where failure.isHostFailure: health = .failure
                case .tooLarge, .contentType: health = .success   // the host answered
                default: health = .neutral
                }
                breakers.record(host, health, probe: probe)
                guard failure.isTransient, attempt < maxAttempts else { throw FetchFailureWithTime(reason: failure) }
                try await pause(backoff.delay(afterAttempt: attempt))
            }
        }
        throw FetchFailureWithTime(reason: .cancelled) // not reached: the last attempt returns or throws
    }

    /// Sleeps, ending the fetch as cancelled if the task is cancelled meanwhile.
    private func pause(_ duration: Duration) async throws(FetchFailureWithTime) {
        if duration > .zero { try? await Task.sleep(for: duration) }
        if Task.isCancelled { throw FetchFailureWithTime(reason: .cancelled) }
    }

    /// Header values come from storage that came from servers: no CR/LF may smuggle a header in.
    private static func headerSafe(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" }.map(Character.init))
    }

    // MARK: robots.txt

    /// Throws `robotsDenied` (or the failure that kept robots.txt from being asked); returns the
    /// `Crawl-delay` when allowed.
    private func checkRobots(_ parts: URLParts, _ request: HTTPRequest) async throws(FetchFailureWithTime) -> Duration? {
        switch await robotsVerdict(parts, trustedHosts: request.trustedHosts) {
        case .rules(let robots):
            let (allowed, rule) = robots.decision(for: parts.pathAndQuery)
            if !allowed {
                throw FetchFailureWithTime(reason: .robotsDenied(.rule(rule?.description ?? "Disallow")))
            }
            return robots.crawlDelay
        case .unreachable(_, let until, let cause?):
            throw FetchFailureWithTime(reason: cause, retryAfter: until)
        case .unreachable(let reason, let until, nil):
            throw FetchFailureWithTime(reason: .robotsDenied(.unreachable(reason)), retryAfter: until)
        case .failed(let failure):
            throw FetchFailureWithTime(reason: failure)
        }
    }

    private func robotsVerdict(_ parts: URLParts, trustedHosts: Set<String>) async -> RobotsVerdict {
        let robotsURL = parts.robotsURL
        let token = settings.effectiveRobotsToken
        let cacheTTL = settings.robotsCacheTTL
        let failureTTL = settings.robotsFailureTTL
        return await robotsCache.verdict(for: parts.origin) { [self] in
            // RFC 9309: follow redirects, even to other hosts; the address check still applies.
            let request = HTTPRequest(url: robotsURL, kind: .robots, trustedHosts: trustedHosts)
            do throws(FetchError) {
                let result = try await fetch(request)
                guard case .response(let response) = result else { return (.rules(.allowAll), cacheTTL) }
                return (.rules(RobotsTxt(parsing: response.body, productToken: token)), cacheTTL)
            } catch {
                switch error.reason {
                case .http(let status) where status == 429 || status >= 500:
                    let until = Date() + failureTTL.timeInterval
                    return (.unreachable(reason: "HTTP \(status)", until: until, cause: nil), failureTTL)
                case .http:
                    // 4xx: "unavailable", everything allowed. Other statuses likewise.
                    return (.rules(.allowAll), cacheTTL)
                case .tooManyRedirects, .redirectRefused, .contentType, .tooLarge:
                    // Not a robots.txt (or none to be had): unavailable, everything allowed.
                    return (.rules(.allowAll), cacheTTL)
                case .dns, .connect, .tls, .timeout, .connectionLost, .badResponse:
                    let until = Date() + failureTTL.timeInterval
                    return (.unreachable(reason: error.reason.description, until: until, cause: error.reason), failureTTL)
                case .circuitOpen:
                    let until = error.retryAfter ?? Date() + failureTTL.timeInterval
                    return (.unreachable(reason: error.reason.description, until: until, cause: error.reason),
                            until.timeIntervalSinceNow > 0 ? .milliseconds(Int64(until.timeIntervalSinceNow * 1000)) : nil)
                case .blockedAddress, .cancelled, .invalidURL, .robotsDenied:
                    return (.failed(error.reason), nil)
                }
            }
        }
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for `Date` arithmetic.
    var timeInterval: TimeInterval {
        let (s, atto) = components
        return TimeInterval(s) + TimeInterval(atto) / 1e18
    }
}
