import Foundation
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// Discovery and the pipeline in process, against loopback servers: the rules that are easier to
/// see one channel at a time.
@Suite(.serialized) struct DiscoveryTests {
    /// A runtime on a temporary corpus and state, with fast test settings.
    final class Runtime {
        let folder: URL
        let runtime: ServiceRuntime

        init(sources: [SourceSettings], configure: (inout DaemonSettings) -> Void = { _ in }) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-discovery-\(UUID().uuidString)")
            var daemon = DaemonSettings()
            daemon.corpusDir = folder.appendingPathComponent("corpus").path
            daemon.stateDB = folder.appendingPathComponent("state/khabar.sqlite").path
            daemon.perHostDelay = .zero
            daemon.perHostConcurrency = 4
            daemon.timeout = .seconds(10)
            daemon.maxAttempts = 1
            configure(&daemon)
            runtime = try ServiceRuntime(configuration: Configuration(path: "test.toml", daemon: daemon, sources: sources))
            try runtime.registerSources()
        }

        func close() async {
            await runtime.close()
            try? FileManager.default.removeItem(at: folder)
        }

        func context(_ name: String) throws -> SourceContext {
            try #require(runtime.contexts.first { $0.name == name })
        }

        var frontier: [String] {
            ((try? runtime.state.dueURLs(now: Date().addingTimeInterval(1), limit: 10_000)) ?? []).map(\.url).sorted()
        }
    }

    static func rss(_ links: [String]) -> String {
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>"
            + links.map { "<item><title>Item \($0.count)</title><link>\($0)</link></item>" }.joined() + "</channel></rss>"
    }

    static func urlset(_ locs: [String], lastmod: String = "2026-01-01T00:00:00Z") -> String {
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
            + locs.map { "<url><loc>\($0)</loc><lastmod>\(lastmod)</lastmod></url>" }.joined() + "</urlset>"
    }

    @Test func channelsAreIndependentAndEveryURLPassesThePolicy() async throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.route("/", .html("oops", status: 500))
        server.route("/robots.txt", .status(404))
        server.route("/feeds/main.xml", .xml(Self.rss([
            server.url("/news/100001?utm_source=rss"), "https://elsewhere.example/news/100002", server.url("/tag/iran"),
        ])))
        server.route("/maps/one.xml", .xml(Self.urlset([server.url("/news/100003"), server.url("/tag/iran-2"), server.url("/about")])))
        server.route("/section/gone", .status(404))
        var s = SourceSettings(name: "a", url: server.url("/"))
        s.feeds = [server.url("/feeds/main.xml")]
        s.sitemaps = [server.url("/maps/one.xml")]
        s.listingPages = [server.url("/section/gone")]
        let r = try Runtime(sources: [s])
        let report = await r.runtime.discovery.poll(try r.context("a"))
        await r.close()

        #expect(!report.failed)
        let byURL = Dictionary(uniqueKeysWithValues: report.channels.map { ($0.url, $0.result) })
        #expect(byURL[server.url("/")] == .failed("HTTP 500"))
        #expect(byURL[server.url("/feeds/main.xml")] == .read(urls: 2))
        #expect(byURL[server.url("/maps/one.xml")] == .read(urls: 1))
        #expect(byURL[server.url("/section/gone")] == .failed("HTTP 404"))
        // Canonical (tracking gone), on the source's site; a feed's entries are articles by
        // definition, a sitemap's must look like articles.
        #expect(report.newURLs == 3)
    }

    @Test func listingPagesKeepShortArticleURLsButNotSectionsTagsOrPages() async throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.route("/robots.txt", .status(404))
        server.route("/", .html("<html><body><main><a href=\"/story/7\">Seven</a></main></body></html>"))
        server.route("/latest", .html("""
            <html><body><nav><a href="/news/1">menu link</a></nav><main>
            <a href="/news/42">A story</a> <a href="/news/43?utm_source=list">Another</a> <a href="/politics">Politics</a>
            <a href="/tag/iran">Iran</a> <a href="/news/page/2">Older</a> <a href="/latest?page=2">2</a>
            <a href="https://elsewhere.example/news/44">Off site</a></main></body></html>
            """))
        var s = SourceSettings(name: "a", url: server.url("/"))
        s.listingPages = [server.url("/latest")]
        let r = try Runtime(sources: [s])
        let report = await r.runtime.discovery.poll(try r.context("a"))
        let frontier = r.frontier
        await r.close()
        #expect(report.channels.first { $0.url == server.url("/latest") }?.result == .read(urls: 2))
        #expect(frontier == [server.url("/news/42"), server.url("/news/43"), server.url("/story/7")])
    }

    @Test func aPollFailsWhenNoChannelAnswers() async throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.fallback { _, w in try w.send(.status(503)) }
        var s = SourceSettings(name: "a", url: server.url("/"))
        s.feeds = [server.url("/feed")]
        let r = try Runtime(sources: [s])
        let report = await r.runtime.harvester.poll(try r.context("a"))
        let row = try r.runtime.state.source(named: "a")
        await r.close()
        #expect(report.failed)
        // robots.txt answers 503 too: the whole host counts as disallowed for a while.
        #expect(report.firstError?.hasPrefix("\(server.url("/")): robots.txt unreachable (HTTP 503): host treated as disallowed, retry after ") == true)
        #expect(row?.consecutiveFailures == 1)
        #expect(row?.lastError == report.firstError)
    }

    @Test func withoutAnnouncedFeedsTheCommonPathsAreTriedAndTheFindRemembered() async throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.route("/", .html("<html><head><title>Home</title></head><body><main>no links</main></body></html>"))
        server.route("/robots.txt", .status(404))
        server.route("/rss.xml", .xml(Self.rss([server.url("/news/100001")]), contentType: "application/rss+xml"))
        let r = try Runtime(sources: [SourceSettings(name: "a", url: server.url("/"))])
        let first = await r.runtime.discovery.poll(try r.context("a"))
        #expect(first.channels.map(\.url).contains(server.url("/rss.xml")))
        #expect(first.newURLs == 1)
        // The paths before it were probed; after it, none.
        #expect(server.requests(to: "/feed").count == 1 && server.requests(to: "/rss").count == 1)
        #expect(server.requests(to: "/atom.xml").isEmpty)
        // Probe misses are not the source's failures, but the site's 404s are remembered.
        #expect(!first.channels.contains { $0.url == server.url("/feed") })
        let misses = try r.runtime.state.channels(source: "a").filter { $0.consecutiveFailures > 0 }.map(\.url)
        #expect(misses.sorted() == [server.url("/feed"), server.url("/rss")].sorted())

        server.resetRecords()
        let second = await r.runtime.discovery.poll(try r.context("a"))
        await r.close()
        #expect(second.channels.map(\.url).contains(server.url("/rss.xml")))
        #expect(server.requests(to: "/feed").isEmpty, "the remembered feed is used without probing again")
    }

    @Test func aHostThatDoesNotAnswerIsNotProbedForFeedsAndNoMissIsRemembered() async throws {
        let closed = try TestServer().start()
        let deadURL = closed.url("/")
        closed.stop()
        let r = try Runtime(sources: [SourceSettings(name: "a", url: deadURL)])
        let report = await r.runtime.discovery.poll(try r.context("a"))
        let channels = try r.runtime.state.channels(source: "a")
        await r.close()
        #expect(report.failed)
        #expect(report.channels.map(\.url) == [deadURL])
        // Only the homepage is on record: no common feed path was guessed, so none is "missing".
        #expect(channels.map(\.url) == [deadURL])
    }

    @Test func conditionalChannelsAndUnchangedSitemapsAreNotReadAgain() async throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.route("/", .html("<html><body></body></html>"))
        server.route("/robots.txt", .text("User-agent: *\nAllow: /\nSitemap: \(server.url("/index.xml"))\n"))
        server.route("/feed.xml", Handlers.conditional(.xml(Self.rss([server.url("/news/100001")])), etag: "\"f1\""))
        server.route("/index.xml", .xml("""
            <?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>\(server.url("/child.xml.gz"))</loc><lastmod>2026-01-01T00:00:00Z</lastmod></sitemap></sitemapindex>
            """))
        server.route("/child.xml.gz", .bytes(ContentCoding.gzip.encode(Array(Self.urlset([server.url("/news/100002")]).utf8)),
                                             contentType: "application/octet-stream"))
        var s = SourceSettings(name: "a", url: server.url("/"))
        s.feeds = [server.url("/feed.xml")]
        let r = try Runtime(sources: [s])
        let first = await r.runtime.discovery.poll(try r.context("a"))
        #expect(first.newURLs == 2)
        #expect(first.channels.first { $0.url == server.url("/child.xml.gz") }?.result == .read(urls: 1))

        let second = await r.runtime.discovery.poll(try r.context("a"))
        await r.close()
        #expect(server.requests(to: "/feed.xml").last?.header("If-None-Match") == "\"f1\"")
        #expect(second.channels.first { $0.url == server.url("/feed.xml") }?.result == .notModified)
        // The index says the child has not changed since it was read: not fetched again.
        #expect(server.requests(to: "/child.xml.gz").count == 1)
        #expect(second.channels.first { $0.url == server.url("/child.xml.gz") }?.result == .unchanged)
        #expect(!second.failed)
    }

    /// A site whose sitemap index dates its child `lastmod` (as given), and whose child lists
    /// `children` — both changeable between polls.
    struct ChangingSitemap {
        let server: TestServer
        let lastmod: Locked<String>
        let entries: Locked<[String]>

        init(lastmod: String) throws {
            server = try TestServer().start()
            self.lastmod = Locked(lastmod)
            entries = Locked([])
            let server = self.server, lastmod = self.lastmod, entries = self.entries
            server.route("/", .html("<html><body></body></html>"))
            server.route("/robots.txt", .text("User-agent: *\nAllow: /\nSitemap: \(server.url("/sitemap_index.xml"))\n"))
            server.route("/sitemap_index.xml") { _, w in
                try w.send(.xml("""
                    <?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                    <sitemap><loc>\(server.url("/child.xml"))</loc><lastmod>\(lastmod.current)</lastmod></sitemap></sitemapindex>
                    """))
            }
            server.route("/child.xml") { _, w in
                try w.send(.xml(DiscoveryTests.urlset(entries.current.map { server.url($0) }, lastmod: "2026-01-01")))
            }
        }
    }

    /// Chaos test, seed 9029230576128661242: a child sitemap that changed in the same second as it
    /// was read (after the read) kept a `lastmod` older than the read's time, and was never read
    /// again — its new articles were never found. A `lastmod` names its whole second.
    @Test func aChildChangedInTheSecondItWasReadIsReadAgain() async throws {
        let f = try ChangingSitemap(lastmod: FixtureSite.iso(Date()))
        defer { f.server.stop() }
        f.entries.withLock { $0 = ["/news/100001"] }
        let r = try Runtime(sources: [SourceSettings(name: "a", url: f.server.url("/"))])
        let first = await r.runtime.discovery.poll(try r.context("a"))
        #expect(first.channels.first { $0.url == f.server.url("/child.xml") }?.result == .read(urls: 1))
        // The child changes; the index still names the same second (the server stamps seconds).
        f.entries.withLock { $0.append("/news/100002") }
        let second = await r.runtime.discovery.poll(try r.context("a"))
        await r.close()
        #expect(f.server.requests(to: "/child.xml").count == 2)
        #expect(second.channels.first { $0.url == f.server.url("/child.xml") }?.result == .read(urls: 2))
        #expect(second.newURLs == 1)
    }

    /// A `lastmod` of a day alone (W3C-DTF allows it) covers the whole day in any zone: a child
    /// read today is read again while today's date is all the index says.
    @Test func aChildDatedTodayByDayAloneIsReadAgain() async throws {
        let today = String(FixtureSite.iso(Date()).prefix(10))
        let f = try ChangingSitemap(lastmod: today)
        defer { f.server.stop() }
        f.entries.withLock { $0 = ["/news/100001"] }
        let r = try Runtime(sources: [SourceSettings(name: "a", url: f.server.url("/"))])
        _ = await r.runtime.discovery.poll(try r.context("a"))
        f.entries.withLock { $0.append("/news/100002") }
        let second = await r.runtime.discovery.poll(try r.context("a"))
        await r.close()
        #expect(f.server.requests(to: "/child.xml").count == 2)
        #expect(second.newURLs == 1)
    }

    /// An index whose `lastmod` never moves (some sites date it by the newest entry's own date,
    /// which a newly listed older entry does not move) is believed for a day, not for ever.
    @Test func anIndexIsBelievedForADayAtMost() async throws {
        let f = try ChangingSitemap(lastmod: "2026-01-01T00:00:00Z")
        defer { f.server.stop() }
        f.entries.withLock { $0 = ["/news/100001"] }
        let r = try Runtime(sources: [SourceSettings(name: "a", url: f.server.url("/"))])
        _ = await r.runtime.discovery.poll(try r.context("a"))
        f.entries.withLock { $0.append("/news/100002") }
        let fresh = await r.runtime.discovery.poll(try r.context("a"))
        #expect(fresh.channels.first { $0.url == f.server.url("/child.xml") }?.result == .unchanged)
        // The last read was 25 hours ago: read again, whatever the index says.
        try r.runtime.state.recordChannelFetch(url: f.server.url("/child.xml"), at: Date().addingTimeInterval(-25 * 3_600),
                                               status: 200, etag: nil, lastModified: nil, nextDue: nil, error: nil)
        let stale = await r.runtime.discovery.poll(try r.context("a"))
        await r.close()
        #expect(f.server.requests(to: "/child.xml").count == 2)
        #expect(stale.channels.first { $0.url == f.server.url("/child.xml") }?.result == .read(urls: 2))
        #expect(stale.newURLs == 1)
    }

    @Test func aGzipBombSitemapStopsAtTheLimit() async throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.route("/", .html("<html><body></body></html>"))
        server.route("/robots.txt", .status(404))
        let bomb = GzipBomb(expandedSize: 60 * 1_024 * 1_024).bytes
        server.route("/sitemap.xml.gz", .bytes(bomb, contentType: "application/x-gzip"))
        var s = SourceSettings(name: "a", url: server.url("/"))
        s.sitemaps = [server.url("/sitemap.xml.gz")]
        let r = try Runtime(sources: [s])
        let report = await r.runtime.discovery.poll(try r.context("a"))
        await r.close()
        #expect(report.channels.first { $0.url == server.url("/sitemap.xml.gz") }?.result
                == .failed("decompressed size exceeds the limit of 52428800 bytes"))
    }

    @Test func aPageThatCannotBeParsedIsAnEventNotACrash() async throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.route("/robots.txt", .status(404))
        server.route("/empty", .bytes([], contentType: "text/html"))
        server.route("/noise", .bytes((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }, contentType: "text/html"))
        server.route("/away", .redirect(to: "https://elsewhere.example/x"))
        let r = try Runtime(sources: [SourceSettings(name: "a", url: server.url("/"))])
        let context = try r.context("a")
        let empty = await r.runtime.pipeline.process(PageJob(url: server.url("/empty"), context: context, origin: .manual))
        let noise = await r.runtime.pipeline.process(PageJob(url: server.url("/noise"), context: context, origin: .manual))
        let away = await r.runtime.pipeline.process(PageJob(url: server.url("/away"), context: context, origin: .manual))
        let events = try r.runtime.state.events(matching: EventQuery())
        await r.close()
        #expect(empty.outcome == .failed && empty.detail == "parse: empty page" && empty.line == "failed: empty page")
        #expect(noise.outcome != nil && noise.outcome != .added)
        #expect(away.outcome == .failed && away.failure == .redirectRefused("https://elsewhere.example/x is outside the source"))
        #expect(away.line == "failed: redirect refused: https://elsewhere.example/x is outside the source")
        #expect(events.count == 3)
        #expect(events.first { $0.url == server.url("/empty") }?.httpStatus == 200)
    }
}
