import Foundation
import Glibc
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// The real `khabar run` daemon through thousands of poll cycles against the fixture site, its
/// resident memory and open descriptors sampled from /proc: both flat after warm-up.
/// `SOAK_CYCLES` sets the number of cycles (`make test`: 400; `make soak`: 10,000).
/// docs/reliability-faults.md has the numbers of the full run.
@Suite("soak", .serialized)
struct SoakTests {
    @Test("thousands of poll cycles: RSS within 10 % and descriptors flat after warm-up, every article once")
    func pollCycles() async throws {
        let cycles = max(50, Int(environmentNumber("SOAK_CYCLES", 400)))
        let samples = 20
        let warmUp = max(50, cycles / 10)
        let w = try Workspace("khabar-soak")
        defer { w.remove() }
        let site = try FixtureSite()
        defer { site.stop() }
        let factory = try ArticleFactory()
        var rng = SeededRandom(seed: 0x50AC)
        for n in 1...5 { site.put(faultArticle(n, factory: factory, rng: &rng)) }

        // A feed of our own with an ETag: 304 on every poll that finds nothing new, 200 when an
        // article was added. One request to it per poll cycle: that is the cycle counter.
        let feedRequests = Locked(0)
        let notModified = Locked(0)
        site.server.route("/soak-feed.xml") { request, writer in
            feedRequests.withLock { $0 += 1 }
            let articles = site.all
            let etag = "\"soak-\(articles.count)\""
            if request.header("If-None-Match") == etag {
                notModified.withLock { $0 += 1 }
                try writer.send(TestResponse(status: 304, headers: [("ETag", etag)]))
                return
            }
            var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>soak</title>"
            x += "<link>\(site.url("/"))</link><description>soak</description>"
            for a in articles {
                x += "<item><title>\(FixtureSite.escape(a.title))</title><link>\(site.url(a.path))</link></item>"
            }
            try writer.send(TestResponse.xml(x + "</channel></rss>\n", contentType: "application/rss+xml; charset=utf-8").header("ETag", etag))
        }
        try w.configure(sources: [Workspace.source("soak", site: site, extra: "feeds = [\"\(site.url("/soak-feed.xml"))\"]")])

        let started = ContinuousClock.now
        let daemon = try w.start(["run"], environment: fastHooks(pollEvery: 0.01, retryBase: 1))
        defer { daemon.stop() }

        var sampled: [(cycle: Int, sample: ProcessSample)] = []
        var nextSample = warmUp
        var nextArticle = 50
        var added = 5
        let deadline = ContinuousClock.now + .seconds(Double(cycles) * 0.25 + 120)
        while ContinuousClock.now < deadline {
            let done = feedRequests.current
            if done >= nextArticle {
                // An article now and then: a 200 for the feed and one fetch, then 304s again.
                added += 1
                site.put(faultArticle(added, factory: factory, rng: &rng))
                nextArticle += 50
            }
            if done >= nextSample {
                guard let sample = ProcessSample.of(daemon.pid) else { break }
                sampled.append((done, sample))
                nextSample += max(1, (cycles - warmUp) / samples)
            }
            if done >= cycles { break }
            if !daemon.isAlive { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let duration = ContinuousClock.now - started
        let done = feedRequests.current
        #expect(done >= cycles, "only \(done) of \(cycles) poll cycles in \(duration)")
        #expect(daemon.isAlive)
        if let last = ProcessSample.of(daemon.pid) { sampled.append((feedRequests.current, last)) }
        // Every article added along the way is in (fetched by the end), once.
        #expect(await waitUntil(.seconds(30)) { w.corpusFiles.count == added }, "\(w.corpusFiles.count) files for \(added) articles")
        let stopped = await daemon.stop(with: SIGTERM).result
        #expect(stopped.status == 0, "\(stopped.stderr.suffix(2_000))")

        let first = try #require(sampled.first).sample
        let last = try #require(sampled.last).sample
        let maxRSS = sampled.map(\.sample.rssKB).max() ?? 0
        let fds = sampled.map(\.sample.fds)
        print("soak: \(done) poll cycles in \(duration) (\(notModified.current) feed 304s, \(added) articles); "
              + "RSS after warm-up \(first.rssKB) kB, max \(maxRSS) kB, last \(last.rssKB) kB; "
              + "fds after warm-up \(first.fds), min \(fds.min() ?? 0), max \(fds.max() ?? 0), last \(last.fds); "
              + "samples (cycle:rss kB/fds) \(sampled.map { "\($0.cycle):\($0.sample.rssKB)/\($0.sample.fds)" }.joined(separator: " "))")
        #expect(Double(last.rssKB) <= Double(first.rssKB) * 1.10, "RSS grew from \(first.rssKB) kB to \(last.rssKB) kB")
        #expect(abs(last.fds - first.fds) <= 2, "descriptors \(first.fds) → \(last.fds)")
        #expect((fds.max() ?? 0) - (fds.min() ?? 0) <= 2, "descriptors ranged \(fds)")
        #expect(notModified.current > done / 2, "the feed answered 304 only \(notModified.current) times")
        #expect(Set(w.addedURLs).count == w.addedURLs.count)
        try await w.expectCorpusChecksPass()
    }
}
