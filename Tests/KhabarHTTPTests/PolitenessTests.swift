import Foundation
import Testing
@testable import KhabarHTTP
import KhabarTestSupport

@Suite("robots.txt over HTTP")
struct RobotsHTTPTests {
    private static let rules = """
    # test site
    User-agent: *
    Disallow: /

    User-agent: KhabarTest
    Disallow: /private/
    Allow: /private/press-*.html$
    Disallow: /*.pdf$
    Disallow: /search?*q=
    Sitemap: /sitemap-news.xml
    Sitemap: https://cdn.example.org/sitemap.xml
    """

    @Test("rules of our group apply: wildcards, $, Allow overriding Disallow; robots.txt asked once")
    func rules() async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", .text(Self.rules))
            s.route(prefix: "/", { _, w in try w.send(.html("page")) })
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(obeyRobots: true))
        defer { Task { await client.shutdown() } }

        let allowed = ["/news/1", "/private/press-2024.html", "/files/a.pdf?v=2", "/search?lang=ar"]
        let denied = [("/private/report", "Disallow: /private/"), ("/files/a.pdf", "Disallow: /*.pdf$"),
                      ("/private/press-2024.html?x", "Disallow: /private/"), ("/search?lang=ar&q=x", "Disallow: /search?*q=")]
        for path in allowed {
            #expect(try await response(client, trusted(server.url(path))).status == 200, "\(path)")
        }
        for (path, rule) in denied {
            let e = try await failure(client, trusted(server.url(path)))
            #expect(e.reason == .robotsDenied(.rule(rule)), "\(path)")
        }
        #expect(server.requests(to: "/robots.txt").count == 1)
        let fetched = Set(server.requests.map(\.target))
        for (path, _) in denied { #expect(!fetched.contains(path), "a denied URL reached the server: \(path)") }
        // robots.txt goes out before the first other request.
        #expect(server.requests.first?.path == "/robots.txt")
    }

    @Test("concurrent first requests to a host share one robots.txt fetch")
    func singleFlight() async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", Handlers.hold(.milliseconds(300), then: .text("User-agent: *\nDisallow: /no\n")))
            s.route(prefix: "/p", { _, w in try w.send(.html("p")) })
        }
        defer { server.stop() }
        var settings = testSettings(obeyRobots: true)
        settings.perHostConcurrency = 8
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<8 {
                group.addTask { _ = try? await client.fetch(trusted(server.url("/p\(i)"))) }
            }
        }
        #expect(server.requests(to: "/robots.txt").count == 1)
        #expect(server.requests.filter { $0.path.hasPrefix("/p") }.count == 8)
    }

    @Test("Crawl-delay spaces the requests to a host")
    func crawlDelay() async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", .text("User-agent: *\nCrawl-delay: 0.5\n"))
            s.route(prefix: "/p", { _, w in try w.send(.html("p")) })
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(obeyRobots: true))
        defer { Task { await client.shutdown() } }
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<3 { group.addTask { _ = try? await client.fetch(trusted(server.url("/p\(i)"))) } }
        }
        let starts = server.requests.map(\.receivedAt)
        #expect(starts.count == 4)
        for (a, b) in zip(starts, starts.dropFirst()) {
            #expect(b - a >= .milliseconds(450), "requests \(b - a) apart")
        }
    }

    @Test("robots.txt answering 5xx means disallow everything for a while", arguments: [500, 503, 429])
    func serverError(status: Int) async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", .status(status))
            s.route("/page", .html("page"))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(obeyRobots: true))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/page")))
        #expect(e.reason == .robotsDenied(.unreachable("HTTP \(status)")))
        #expect(e.retryAfter != nil)
        _ = try await failure(client, trusted(server.url("/page")))
        #expect(server.requests(to: "/page").isEmpty)
        #expect(server.requests(to: "/robots.txt").count == 1, "the failure is cached, not asked per page")
    }

    @Test("robots.txt unreachable after its failure TTL is asked again")
    func failureExpires() async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", Handlers.sequence([.status(503), .status(404)]))
            s.route("/page", .html("page"))
        }
        defer { server.stop() }
        var settings = testSettings(obeyRobots: true)
        settings.robotsFailureTTL = .milliseconds(300)
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        #expect(try await failure(client, trusted(server.url("/page"))).code == "robots_denied")
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await response(client, trusted(server.url("/page"))).status == 200)
    }

    @Test("a robots.txt read before and now unreachable: its last copy's rules apply, not complete disallow")
    func lastCopyWhileUnreachable() async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", Handlers.sequence([.text("User-agent: *\nDisallow: /private\n"), .status(503)]))
            s.route("/page", .html("page"))
            s.route("/private", .html("private"))
        }
        defer { server.stop() }
        var settings = testSettings(obeyRobots: true)
        settings.robotsCacheTTL = .milliseconds(200)
        settings.robotsFailureTTL = .milliseconds(200)
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        #expect(try await response(client, trusted(server.url("/page"))).status == 200)
        try await Task.sleep(for: .milliseconds(300))
        // The copy expired; robots.txt now answers 503: the pages it allowed are still fetched,
        // what it disallowed still is not.
        #expect(try await response(client, trusted(server.url("/page"))).status == 200)
        #expect(server.requests(to: "/robots.txt").count == 2)
        #expect(try await failure(client, trusted(server.url("/private"))).code == "robots_denied")
        #expect(server.requests(to: "/private").isEmpty)
        // The failure is kept for its TTL, then robots.txt is asked again (and still fails).
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await response(client, trusted(server.url("/page"))).status == 200)
        #expect(server.requests(to: "/robots.txt").count == 3)
    }

    @Test("a copy older than the stale limit is not used: complete disallow while unreachable")
    func staleCopyTooOld() async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", Handlers.sequence([.text("User-agent: *\nDisallow: /private\n"), .status(503)]))
            s.route("/page", .html("page"))
        }
        defer { server.stop() }
        var settings = testSettings(obeyRobots: true)
        settings.robotsCacheTTL = .milliseconds(200)
        settings.robotsStaleLimit = .milliseconds(250)
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        #expect(try await response(client, trusted(server.url("/page"))).status == 200)
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await failure(client, trusted(server.url("/page"))).reason == .robotsDenied(.unreachable("HTTP 503")))
    }

    @Test("robots.txt answering 4xx means allow everything", arguments: [401, 403, 404, 410])
    func clientError(status: Int) async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", .status(status))
            s.route("/page", .html("page"))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(obeyRobots: true))
        defer { Task { await client.shutdown() } }
        #expect(try await response(client, trusted(server.url("/page"))).status == 200)
    }

    @Test("a robots.txt redirect is followed")
    func redirected() async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", .redirect(to: "/real-robots.txt", status: 301))
            s.route("/real-robots.txt", .text("User-agent: *\nDisallow: /secret\n"))
            s.route("/secret", .html("secret"))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(obeyRobots: true))
        defer { Task { await client.shutdown() } }
        #expect(try await failure(client, trusted(server.url("/secret"))).code == "robots_denied")
        #expect(server.requests(to: "/secret").isEmpty)
    }

    @Test("Sitemap lines are exposed, relative ones made absolute — also with robots obedience off")
    func sitemaps() async throws {
        let server = try startedServer { $0.route("/robots.txt", .text(Self.rules)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(obeyRobots: false))
        defer { Task { await client.shutdown() } }
        let sitemaps = await client.robotsSitemaps(for: server.url("/any/page"))
        #expect(sitemaps == [server.url("/sitemap-news.xml"), "https://cdn.example.org/sitemap.xml"])
        let robots = try #require(await client.robots(for: server.url("/")))
        #expect(!robots.isAllowed("/private/x"))
    }

    @Test("an oversized robots.txt is read up to the limit, not refused")
    func oversized() async throws {
        let big = "User-agent: *\nDisallow: /early\n" + String(repeating: "# padding line\n", count: 10_000) + "Disallow: /late\n"
        let server = try startedServer { s in
            s.route("/robots.txt", .text(big))
            s.route(prefix: "/", { _, w in try w.send(.html("p")) })
        }
        defer { server.stop() }
        var settings = testSettings(obeyRobots: true)
        settings.maxRobotsBytes = 64 * 1024
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        #expect(try await failure(client, trusted(server.url("/early"))).code == "robots_denied")
        #expect(try await response(client, trusted(server.url("/late"))).status == 200, "beyond the limit: not read")
    }
}

@Suite("per-host pacing and concurrency limits")
struct LimitTests {
    @Test("per-host and global limits are never exceeded, and are reached")
    func limits() async throws {
        let allInFlight = ConcurrencyGauge()
        let allConnections = ConcurrencyGauge()
        let servers = try ["127.0.0.1", "127.0.0.2", "127.0.0.3"].map { host in
            let s = TestServer(host: host, sharedConnections: allConnections, sharedInFlight: allInFlight)
            s.route(prefix: "/slow", Handlers.hold(.milliseconds(150), then: .html("<p>slow</p>")))
            return try s.start()
        }
        defer { for s in servers { s.stop() } }
        var settings = testSettings()
        settings.maxConcurrency = 3
        settings.perHostConcurrency = 2
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let trust: Set<String> = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
        let results = await withTaskGroup(of: Bool.self) { group -> [Bool] in
            for server in servers {
                for i in 0..<8 {
                    group.addTask {
                        (try? await client.fetch(HTTPRequest(url: server.url("/slow\(i)"), trustedHosts: trust))) != nil
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 24 && results.allSatisfy { $0 })
        for s in servers {
            #expect(s.inFlight.peak <= 2, "\(s.host): \(s.inFlight.peak) requests at once")
            #expect(s.connections.peak <= 2, "\(s.host): \(s.connections.peak) connections at once")
        }
        #expect(allInFlight.peak <= 3)
        #expect(allConnections.peak <= 3 + 3, "idle keep-alive connections aside")
        // The global limit was reached, so the test could have seen it broken.
        #expect(allInFlight.peak == 3)

        // One host alone, with room globally: its limit is reached and holds.
        let single = servers[0]
        single.resetRecords()
        let alone = await withTaskGroup(of: Bool.self) { group -> Int in
            for i in 0..<8 {
                group.addTask { (try? await client.fetch(HTTPRequest(url: single.url("/slow-alone\(i)"), trustedHosts: trust))) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(alone == 8)
        #expect(single.inFlight.peak == 2)
        #expect(single.connections.peak <= 2)
    }

    @Test("one busy host never holds the global slots another host could use")
    func noHeadOfLine() async throws {
        let slow = try startedServer { $0.route(prefix: "/", Handlers.hold(.seconds(1), then: .html("slow"))) }
        let fast = try startedServer(host: "127.0.0.2") { $0.route(prefix: "/", { _, w in try w.send(.html("fast")) }) }
        defer { slow.stop(); fast.stop() }
        var settings = testSettings()
        settings.maxConcurrency = 4
        settings.perHostConcurrency = 1
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let trust: Set<String> = ["127.0.0.1", "127.0.0.2"]
        let slowTasks = (0..<4).map { i in
            Task { _ = try? await client.fetch(HTTPRequest(url: slow.url("/s\(i)"), trustedHosts: trust)) }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while slow.requests.isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        _ = try await response(client, HTTPRequest(url: fast.url("/f"), trustedHosts: trust))
        for t in slowTasks { await t.value }
        // Three slow requests were queued behind the first; the fast host's went out before the second.
        let fastAt = try #require(fast.requests.first?.receivedAt)
        let slowStarts = slow.requests.map(\.receivedAt).sorted()
        #expect(slowStarts.count == 4)
        #expect(fastAt < slowStarts[1], "the fast host waited behind the slow one")
        #expect(slow.inFlight.peak == 1)
    }

    @Test("the per-host delay spaces request starts; other hosts are not delayed")
    func perHostDelay() async throws {
        let a = try startedServer { $0.route(prefix: "/", { _, w in try w.send(.html("a")) }) }
        let b = try startedServer(host: "127.0.0.2") { $0.route(prefix: "/", { _, w in try w.send(.html("b")) }) }
        defer { a.stop(); b.stop() }
        var settings = testSettings()
        settings.perHostDelay = .milliseconds(500)
        settings.perHostConcurrency = 4
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let trust: Set<String> = ["127.0.0.1", "127.0.0.2"]
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<4 { group.addTask { _ = try? await client.fetch(HTTPRequest(url: a.url("/\(i)"), trustedHosts: trust)) } }
            group.addTask { _ = try? await client.fetch(HTTPRequest(url: b.url("/only"), trustedHosts: trust)) }
        }
        let starts = a.requests.map(\.receivedAt).sorted()
        #expect(starts.count == 4)
        for (x, y) in zip(starts, starts.dropFirst()) { #expect(y - x >= .milliseconds(480), "\(y - x) apart") }
        let bStart = try #require(b.requests.first?.receivedAt)
        #expect(bStart < starts[1], "host b waited for host a's pacing")
    }

    @Test("Retry-After from one request holds back the host's other requests")
    func retryAfterPacesHost() async throws {
        let server = try startedServer { s in
            s.route("/limited", Handlers.sequence([.status(429, headers: [("Retry-After", "1")]), .html("ok")]))
            s.route("/other", .html("other"))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let limited = Task { try? await client.fetch(trusted(server.url("/limited"))) }
        let deadline = ContinuousClock.now + .seconds(5)
        while server.requests(to: "/limited").isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(100))
        _ = try await response(client, trusted(server.url("/other")))
        _ = await limited.value
        let first = try #require(server.requests(to: "/limited").first?.receivedAt)
        let other = try #require(server.requests(to: "/other").first?.receivedAt)
        #expect(other - first >= .milliseconds(950))
    }

    @Test("a request waiting for a host slot can be cancelled; the one holding it is untouched")
    func cancelWhileQueued() async throws {
        let server = try startedServer { s in
            s.route("/hold", Handlers.hold(.milliseconds(800), then: .html("held")))
            s.route("/queued", .html("queued"))
        }
        defer { server.stop() }
        var settings = testSettings()
        settings.perHostConcurrency = 1
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let holder = Task { try? await client.fetch(trusted(server.url("/hold"))) }
        let deadline = ContinuousClock.now + .seconds(5)
        while server.inFlight.current == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let queued = Task { () -> FetchError? in
            do throws(FetchError) {
                _ = try await client.fetch(trusted(server.url("/queued")))
                return nil
            } catch {
                return error
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        let cancelledAt = ContinuousClock.now
        queued.cancel()
        let e = await queued.value
        #expect(e?.reason == .cancelled)
        // At once: well before the 800 ms hold would have freed the slot, plus the load grace.
        #expect(ContinuousClock.now - cancelledAt < .milliseconds(500) + loadGrace / 2)
        #expect((await holder.value)?.response?.body == Array("held".utf8))
        #expect(server.requests(to: "/queued").isEmpty)
        // The slot it waited for is not lost: the host still serves.
        #expect(try await response(client, trusted(server.url("/queued"))).status == 200)
    }
}
