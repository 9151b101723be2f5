import Foundation

/// Why robots.txt kept a URL from being fetched.
public enum RobotsDenial: Sendable, Equatable {
    /// A `Disallow` rule matched (the rule as written, e.g. `Disallow: /private/`).
    case rule(String)
    /// robots.txt could not be read (5xx, 429, network error): RFC 9309 says assume complete
    /// disallow. The detail says what went wrong.
    case unreachable(String)
}

/// Why a fetch failed. Every case has a one-line `description` for logs and the CLI and a short,
/// stable `code` for the event log.
public enum FetchFailure: Sendable, Equatable {
    /// Not an absolute http/https URL with a host.
    case invalidURL(String)
    /// The host name did not resolve.
    case dns(String)
    /// No TCP connection (refused, unreachable).
    case connect(String)
    /// TLS handshake or certificate verification failed.
    case tls(String)
    /// The attempt took longer than the limit, or crawled below the low-speed limit.
    case timeout(TimeoutKind)
    /// The connection broke after it was set up: a reset, a truncated body, an HTTP/2 stream error.
    case connectionLost(String)
    /// The server's answer was not valid HTTP, or its content encoding did not decode.
    case badResponse(String)
    /// The decoded body passed the limit (bytes); the transfer was aborted there.
    case tooLarge(limit: Int64)
    /// The media type is not one the request kind accepts (nil: none at all).
    case contentType(String, RequestKind)
    /// More redirects than allowed.
    case tooManyRedirects(limit: Int)
    /// A redirect went somewhere the link policy does not admit, or to a non-web scheme.
    case redirectRefused(String)
    /// The host is not trusted and resolved to a non-public address (the address and its class).
    case blockedAddress(String)
    case robotsDenied(RobotsDenial)
    /// A final status that is neither success, redirect nor not-modified.
    case http(Int)
    /// The host failed too often in a row; requests to it are refused until the cooldown ends.
    case circuitOpen(host: String)
    /// The calling task was cancelled, or the client shut down.
    case cancelled

    public enum TimeoutKind: Sendable, Equatable {
        /// Connection set-up took longer than this.
        case connect(Duration)
        /// The whole attempt took longer than this.
        case total(Duration)
        /// Fewer than `bytesPerSecond` for this long.
        case lowSpeed(bytesPerSecond: Int, for: Duration)
    }

    /// A short stable identifier for the event log.
    public var code: String {
        switch self {
        case .invalidURL: return "invalid_url"
        case .dns: return "dns"
        case .connect: return "connect"
        case .tls: return "tls"
        case .timeout: return "timeout"
        case .connectionLost: return "connection_lost"
        case .badResponse: return "bad_response"
        case .tooLarge: return "too_large"
        case .contentType: return "content_type"
        case .tooManyRedirects: return "too_many_redirects"
        case .redirectRefused: return "redirect_refused"
        case .blockedAddress: return "blocked_address"
        case .robotsDenied: return "robots_denied"
        case .http: return "http"
        case .circuitOpen: return "circuit_open"
        case .cancelled: return "cancelled"
        }
    }

    /// One line, no URL (the caller logs that beside it).
    public var description: String {
        switch self {
        case .invalidURL(let why): return "invalid URL: \(why)"
        case .dns(let detail): return "DNS lookup failed: \(detail)"
        case .connect(let detail): return "connection failed: \(detail)"
        case .tls(let detail): return "TLS failed: \(detail)"
        case .timeout(.connect(let d)): return "connect timeout after \(formatDuration(d))"
        case .timeout(.total(let d)): return "timeout after \(formatDuration(d))"
        case .timeout(.lowSpeed(let rate, let d)):
            return "timeout: slower than \(rate) bytes/s for \(formatDuration(d))"
        case .connectionLost(let detail): return "connection lost: \(detail)"
        case .badResponse(let detail): return "bad response: \(detail)"
        case .tooLarge(let limit): return "body larger than \(limit) bytes"
        case .contentType(let type, let kind):
            return type.isEmpty ? "no content type for a \(kind.rawValue)" : "content type \(type) not accepted for a \(kind.rawValue)"
        case .tooManyRedirects(let limit): return "more than \(limit) redirects"
        case .redirectRefused(let target): return "redirect refused: \(target)"
        case .blockedAddress(let detail): return "blocked address \(detail)"
        case .robotsDenied(.rule(let rule)): return "disallowed by robots.txt (\(rule))"
        case .robotsDenied(.unreachable(let why)): return "robots.txt unreachable (\(why)): host treated as disallowed"
        case .http(let status): return "HTTP \(status)"
        case .circuitOpen(let host): return "circuit open for \(host) after repeated failures"
        case .cancelled: return "cancelled"
        }
    }

    /// Worth another attempt after a pause: the failure says nothing about the URL itself.
    var isTransient: Bool {
        switch self {
        case .dns, .connect, .timeout, .connectionLost: return true
        case .http(let status): return HTTPStatus.isRetryable(status)
        default: return false
        }
    }

    /// Counts against the host's circuit breaker: the host (not the URL, not us) misbehaved.
    var isHostFailure: Bool {
        switch self {
        case .dns, .connect, .tls, .timeout, .connectionLost, .badResponse: return true
        case .http(let status): return HTTPStatus.isRetryable(status)
        default: return false
        }
    }
}

/// A failed fetch: the reason plus where and when, so a log line or an event row needs nothing else.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    public var reason: FetchFailure
    /// The URL asked for.
    public var requestedURL: String
    /// The URL of the hop that failed (differs after redirects).
    public var url: String
    /// Attempts made over all hops.
    public var attempts: Int
    /// From the call to `fetch` to the failure.
    public var elapsed: Duration
    /// The earliest time another try makes sense, when the failure says so: a `Retry-After` longer
    /// than `maxRetryAfter`, the end of an open circuit, the next robots.txt check.
    public var retryAfter: Date?
    /// The HTTP status when one was received (also for `.http`).
    public var status: Int?

    public init(reason: FetchFailure, requestedURL: String, url: String? = nil, attempts: Int = 0,
                elapsed: Duration = .zero, retryAfter: Date? = nil, status: Int? = nil) {
        self.reason = reason
        self.requestedURL = requestedURL
        self.url = url ?? requestedURL
        self.attempts = attempts
        self.elapsed = elapsed
        self.retryAfter = retryAfter
        self.status = status
    }

    public var code: String { reason.code }

    /// `HTTP 429, retry after 2026-11-23T10:04:05Z` when a time is known, otherwise the reason alone.
    public var description: String {
        guard let retryAfter else { return reason.description }
        return "\(reason.description), retry after \(ISO8601DateFormatter().string(from: retryAfter))"
    }
}

enum HTTPStatus {
    /// 408, 429, 500, 502, 503, 504: the server may answer differently later.
    static func isRetryable(_ status: Int) -> Bool {
        status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }

    static func isRedirect(_ status: Int) -> Bool {
        status == 301 || status == 302 || status == 303 || status == 307 || status == 308
    }
}

/// `30 s`, `2.5 s`, `250 ms`.
func formatDuration(_ d: Duration) -> String {
    let (seconds, attoseconds) = d.components
    let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
    if ms < 1000 && ms != 0 { return "\(ms) ms" }
    if ms % 1000 == 0 { return "\(ms / 1000) s" }
    let tenths = Double(ms) / 1000
    return "\((tenths * 10).rounded() / 10) s"
}
