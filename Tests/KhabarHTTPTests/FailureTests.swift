import Foundation
import Testing
@testable import KhabarHTTP
import KhabarTestSupport

@Suite("timeouts, limits and broken connections")
struct FailureTests {
    @Test("a slow drip ends in a timeout within the configured limit")
    func slowDrip() async throws {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
        let server = try startedServer { $0.route("/drip", Handlers.slowDrip(body, chunkSize: 100, every: .milliseconds(200))) }
        defer { server.stop() }
        var settings = testSettings(timeout: .seconds(2), maxAttempts: 1)
        settings.lowSpeedLimit = 0
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let (result, elapsed) = await outcome(client, trusted(server.url("/drip")))
        guard case .failure(let e) = result else { Issue.record("expected a timeout"); return }
        #expect(e.reason == .timeout(.total(.seconds(2))))
        #expect(e.description == "timeout after 2 s")
        #expect(elapsed >= .milliseconds(1900))
    }

    @Test("a drip below the low-speed limit ends long before the total timeout")
    func lowSpeed() async throws {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
        let server = try startedServer { $0.route("/drip", Handlers.slowDrip(body, chunkSize: 10, every: .milliseconds(200))) }
        defer { server.stop() }
        var settings = testSettings(timeout: .seconds(20), maxAttempts: 1)
        settings.lowSpeedLimit = 1000
        settings.lowSpeedTime = .seconds(1)
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let (result, elapsed) = await outcome(client, trusted(server.url("/drip")))
        guard case .failure(let e) = result else { Issue.record("expected a timeout"); return }
        #expect(e.reason == .timeout(.lowSpeed(bytesPerSecond: 1000, for: .seconds(1))))
        // Well before the 20 s total timeout (low-speed fires after ~1 s; room for a loaded machine).
        #expect(elapsed < .seconds(15))
    }

    @Test("a server that never answers: timeout, retried, each attempt bounded")
    func silence() async throws {
        let server = try startedServer { $0.route("/s", Handlers.silence()) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(timeout: .seconds(1), maxAttempts: 2))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/s")))
        #expect(e.reason == .timeout(.total(.seconds(1))))
        #expect(e.attempts == 2)
        #expect(server.requests(to: "/s").count == 2)
    }

    @Test("a refused connection is a connect error")
    func refused() async throws {
        let server = try startedServer { _ in }
        let port = server.port
        server.stop()
        let client = HTTPClient(settings: testSettings(maxAttempts: 2))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted("http://127.0.0.1:\(port)/"))
        #expect(e.code == "connect")
        #expect(e.attempts == 2)
    }

    @Test("an announced oversized body is refused at the headers")
    func oversizedAnnounced() async throws {
        let server = try startedServer { $0.route("/big", .bytes([UInt8](repeating: 0x61, count: 3_000_000), contentType: "text/html")) }
        defer { server.stop() }
        var settings = testSettings(maxAttempts: 3)
        settings.maxPageBytes = 1_000_000
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/big")))
        #expect(e.reason == .tooLarge(limit: 1_000_000))
        #expect(e.attempts == 1, "a size limit is not retried")
    }

    @Test("a body at the limit passes; one byte more fails while streaming (chunked, no length)")
    func limitBoundary() async throws {
        let limit = 100_000
        let server = try startedServer { server in
            for (path, size) in [("/exact", limit), ("/over", limit + 1)] {
                server.route(path) { _, w in
                    try w.writeHead(status: 200, headers: [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
                    try w.writeChunk([UInt8](repeating: 0x62, count: size))
                    try w.finishChunks()
                }
            }
        }
        defer { server.stop() }
        var settings = testSettings()
        settings.maxPageBytes = Int64(limit)
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        #expect(try await response(client, trusted(server.url("/exact"))).byteCount == limit)
        let e = try await failure(client, trusted(server.url("/over")))
        #expect(e.reason == .tooLarge(limit: Int64(limit)))
    }

    @Test("an endless body is cut at the limit")
    func endless() async throws {
        let server = try startedServer { $0.route("/inf", Handlers.endless()) }
        defer { server.stop() }
        var settings = testSettings()
        settings.maxPageBytes = 2_000_000
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/inf")))
        #expect(e.reason == .tooLarge(limit: 2_000_000))
    }

    @Test("compression bombs stop at the decoded limit", arguments: ["gzip", "zstd"])
    func bombs(coding: String) async throws {
        let expanded: Int64 = 512 << 20
        let server = try startedServer {
            $0.route("/bomb", coding == "gzip" ? Handlers.gzipBomb(expandedSize: expanded) : Handlers.zstdBomb(expandedSize: expanded))
        }
        defer { server.stop() }
        var settings = testSettings()
        settings.maxPageBytes = 5_000_000
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/bomb")))
        #expect(e.reason == .tooLarge(limit: 5_000_000))
    }

    @Test("a gzip bomb below the limit is a valid stream that decodes in full")
    func bombIsValidGzip() async throws {
        let expanded: Int64 = 3 * (1 << 20) + 12_345
        let server = try startedServer { $0.route("/b", Handlers.gzipBomb(expandedSize: expanded)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let r = try await response(client, trusted(server.url("/b")))
        #expect(r.byteCount == Int(expanded))
        #expect(r.body.allSatisfy { $0 == 0 })
        #expect(r.wireBytes == Int64(GzipBomb(expandedSize: expanded).compressedSize))
    }

    @Test("a connection reset mid-body is a lost connection, retried")
    func resetMidBody() async throws {
        let server = try startedServer { $0.route("/reset", Handlers.resetMidBody(announced: 100_000, sent: 30_000)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(maxAttempts: 2))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/reset")))
        #expect(e.code == "connection_lost")
        #expect(e.attempts == 2)
        #expect(server.requests(to: "/reset").count == 2)
    }

    @Test("a body shorter than its Content-Length is a lost connection")
    func truncated() async throws {
        let server = try startedServer { $0.route("/t", Handlers.truncatedBody(announced: 50_000, sent: 10_000)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(maxAttempts: 1))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/t")))
        #expect(e.code == "connection_lost")
    }

    @Test("garbage instead of HTTP is a bad response")
    func garbage() async throws {
        let server = try startedServer { $0.route("/g") { _, w in
            try w.write("SSH-2.0-OpenSSH_9.2\r\n\r\n")
            w.close()
        } }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(maxAttempts: 1))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/g")))
        #expect(["bad_response", "connection_lost"].contains(e.code))
    }
}

@Suite("retries and backoff")
struct RetryBehaviourTests {
    @Test("503 then 200: retried, succeeds on the second attempt")
    func serviceUnavailableThenOK() async throws {
        let server = try startedServer { $0.route("/f", Handlers.sequence([.status(503), .html("<p>ok</p>")])) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let r = try await response(client, trusted(server.url("/f")))
        #expect(r.body == Array("<p>ok</p>".utf8))
        #expect(r.attempts == 2)
        #expect(server.requests(to: "/f").count == 2)
    }

    @Test("429 with Retry-After in seconds: waits that long, then succeeds")
    func tooManyRequestsSeconds() async throws {
        let server = try startedServer {
            $0.route("/f", Handlers.sequence([.status(429, headers: [("Retry-After", "1")]), .html("ok")]))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let r = try await response(client, trusted(server.url("/f")))
        #expect(r.attempts == 2)
        let times = server.requests(to: "/f").map(\.receivedAt)
        #expect(times.count == 2)
        #expect(times[1] - times[0] >= .milliseconds(950))
    }

    @Test("429 with Retry-After as an HTTP-date")
    func tooManyRequestsDate() async throws {
        let server = try startedServer { server in
            let calls = Locked(0)
            server.route("/f") { _, w in
                let n = calls.withLock { c -> Int in c += 1; return c }
                if n == 1 {
                    let when = HTTPDateFormat.format(Date().addingTimeInterval(2))
                    try w.send(.status(429, headers: [("Retry-After", when)]))
                } else {
                    try w.send(.html("ok"))
                }
            }
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let r = try await response(client, trusted(server.url("/f")))
        #expect(r.attempts == 2)
        let times = server.requests(to: "/f").map(\.receivedAt)
        // The date has one-second resolution: at least ~1 s, at most ~2 s later.
        #expect(times[1] - times[0] >= .milliseconds(900))
    }

    @Test("a Retry-After past the cap ends the fetch with the time, for the scheduler")
    func retryAfterBeyondCap() async throws {
        let server = try startedServer { $0.route("/f", .status(429, headers: [("Retry-After", "3600")])) }
        defer { server.stop() }
        var settings = testSettings()
        settings.maxRetryAfter = .seconds(60)
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let (result, elapsed) = await outcome(client, trusted(server.url("/f")))
        guard case .failure(let e) = result else { Issue.record("expected HTTP 429"); return }
        #expect(e.reason == .http(429))
        #expect(e.attempts == 1)
        // Waiting would take the 60 s cap at least; 30 s leaves room for a loaded machine.
        #expect(elapsed < .seconds(30))
        let retryAfter = try #require(e.retryAfter)
        #expect(abs(retryAfter.timeIntervalSinceNow - 3600) < 30)
        #expect(e.description.hasPrefix("HTTP 429, retry after "))
    }

    @Test("503 every time: max_attempts attempts, then the typed error")
    func attemptsExhausted() async throws {
        let server = try startedServer { $0.route("/f", .status(503)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(maxAttempts: 3))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/f")))
        #expect(e.reason == .http(503))
        #expect(e.attempts == 3)
        #expect(server.requests(to: "/f").count == 3)
    }

    @Test("retryable statuses are retried, others are not", arguments: [(408, 2), (500, 2), (502, 2), (504, 2), (501, 1), (400, 1)])
    func retryableStatuses(status: Int, attempts: Int) async throws {
        let server = try startedServer { $0.route("/f", .status(status)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(maxAttempts: 2))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/f")))
        #expect(e.attempts == attempts)
    }
}

@Suite("circuit breaker")
struct CircuitBreakerTests {
    @Test("a failing host is refused at once after the threshold; other hosts are untouched")
    func opens() async throws {
        let bad = try startedServer { $0.route("/x", .status(503)) }
        let good = try startedServer(host: "127.0.0.2") { $0.route("/x", .html("fine")) }
        defer { bad.stop(); good.stop() }
        var settings = testSettings(maxAttempts: 1)
        settings.breakerThreshold = 3
        settings.breakerCooldown = .seconds(60)
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        for _ in 0..<3 {
            #expect(try await failure(client, trusted(bad.url("/x"))).reason == .http(503))
        }
        let (result, elapsed) = await outcome(client, trusted(bad.url("/x")))
        guard case .failure(let e) = result else { Issue.record("expected circuit_open"); return }
        #expect(e.code == "circuit_open")
        // Refused without a request: the server saw only the three that opened the circuit.
        #expect(bad.requests(to: "/x").count == 3)
        #expect(elapsed < .milliseconds(500) + loadGrace / 2)
        let until = try #require(e.retryAfter)
        #expect(until.timeIntervalSinceNow > 50)
        #expect(bad.requests(to: "/x").count == 3, "the refused request never reached the host")
        #expect(try await response(client, trusted(good.url("/x"))).body == Array("fine".utf8))
    }

    @Test("after the cooldown one trial request goes through; success closes the circuit")
    func halfOpen() async throws {
        let server = try startedServer {
            $0.route("/x", Handlers.sequence([.status(500), .status(500), .html("back")]))
        }
        defer { server.stop() }
        var settings = testSettings(maxAttempts: 1)
        settings.breakerThreshold = 2
        settings.breakerCooldown = .milliseconds(300)
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        _ = try await failure(client, trusted(server.url("/x")))
        _ = try await failure(client, trusted(server.url("/x")))
        #expect(try await failure(client, trusted(server.url("/x"))).code == "circuit_open")
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await response(client, trusted(server.url("/x"))).body == Array("back".utf8))
        #expect(try await response(client, trusted(server.url("/x"))).status == 200)
    }
}
