import Foundation
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// `khabar run` as systemd would run it: the real binary as a child, a real notification socket,
/// real signals, fixture sites on loopback.
@Suite(.serialized) struct DaemonEndToEndTests {
    /// The sites' articles share a seed's body and differ in one paragraph: near-duplicates by
    /// design, so the check is off and each is its own article.
    static func settings(_ extra: [String: String] = [:]) -> [String: String] {
        extra.merging(["near_duplicate_distance": "0"]) { a, _ in a }
    }

    /// A site of `count` seed-made articles, each answering after `delay` (a busy poll).
    static func slowSite(count: Int, delay: Duration, host: String = "127.0.0.1", tag: String = "") throws -> (FixtureSite, [String]) {
        let site = try FixtureSite(host: host)
        let seeds = try SeedArticles.load().filter { $0.lang == "ar" }
        var paths: [String] = []
        for i in 0..<count {
            let seed = seeds[i % seeds.count]
            // Each a distinct text: its own first paragraph.
            let path = "/news/\(400_001 + i)"
            var article = SeedArticles.article(seed, path: path, channels: [.sitemap], hoursAgo: Double(i) / 10,
                                               extraParagraph: "هذا هو الخبر رقم \(i + 1)\(tag) في سلسلة الأخبار التجريبية، وقد نُشر للاختبار فقط ولا يمت إلى أي حدث حقيقي بصلة.")
            article.title = "خبر \(i + 1)\(tag)"
            site.put(article)
            paths.append(path)
        }
        if delay > .zero {
            site.server.route(prefix: "/news/") { [unowned site] request, w in
                try w.pause(delay)
                guard let article = site.article(at: request.path) else {
                    try w.send(.status(404))
                    return
                }
                try Handlers.conditional(.bytes(article.body, contentType: article.contentType), etag: article.etag,
                                         lastModified: article.lastModified)(request, w)
            }
        }
        return (site, paths)
    }

    @Test func notifyProtocolInOrder() async throws {
        let (site, _) = try Self.slowSite(count: 3, delay: .zero)
        let w = try Workspace()
        let socket = try NotifySocket()
        defer { site.stop(); w.remove() }
        try w.configure(daemon: Self.settings(), sources: [Workspace.source("fixture", site: site)])
        let started = ContinuousClock.now
        let daemon = try w.start(["run"], environment: ["NOTIFY_SOCKET": socket.name, "WATCHDOG_USEC": "1000000"])
        defer { daemon.stop() }

        var messages = await socket.gather(until: { $0.hasPrefix("READY=1") }, timeout: .seconds(20))
        let ready = try #require(messages.last)
        #expect(ready.hasPrefix("READY=1\nSTATUS=1 source, "))
        let readyAfter = ContinuousClock.now - started
        print("notify: READY after \(readyAfter)")
        #expect(readyAfter < .seconds(10), "READY after \(readyAfter)")
        // Pings (every half second for a one-second watchdog) and the STATUS once articles are in.
        messages = await socket.gather(until: { $0.contains("3 articles added today") }, timeout: .seconds(30))
        #expect(messages.last?.hasPrefix("STATUS=1 source, 3 articles added today") == true, "\(messages)")
        let more = await socket.gather(until: { _ in false }, timeout: .seconds(2))
        #expect((messages + more).filter { $0 == "WATCHDOG=1" }.count >= 2, "\(messages + more)")

        daemon.signal(SIGHUP)
        let reload = await socket.gather(until: { $0.hasPrefix("READY=1") }, timeout: .seconds(10)).filter { $0 != "WATCHDOG=1" }
        #expect(reload.first?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true, "\(reload)")
        let usec = reload.first?.split(separator: "\n").last?.split(separator: "=").last.flatMap { UInt64($0) }
        #expect(usec != nil)
        #expect(reload.last?.hasPrefix("READY=1") == true)

        let (result, took) = await daemon.stop(with: SIGTERM)
        let stopping = await socket.gather(until: { $0 == "STOPPING=1" }, timeout: .seconds(5))
        #expect(stopping.last == "STOPPING=1")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(took < .seconds(10))
        #expect(result.stderr.contains("msg=stopped"))
        // Nothing after STOPPING.
        #expect(await socket.next(timeout: .milliseconds(300)) == nil)
    }

    @Test func watchdogPingsStopWhenTheWorkLoopStalls() async throws {
        let (site, _) = try Self.slowSite(count: 1, delay: .zero)
        let w = try Workspace()
        let socket = try NotifySocket(abstract: true)
        defer { site.stop(); w.remove() }
        try w.configure(daemon: Self.settings(), sources: [Workspace.source("fixture", site: site)])
        let env = ["NOTIFY_SOCKET": socket.name, "WATCHDOG_USEC": "600000",
                   "KHABAR_TEST_HOOKS": "1", "KHABAR_TEST_STALL_AFTER": "2", "KHABAR_TEST_STALL_FOR": "60"]
        let daemon = try w.start(["run"], environment: env)
        defer { daemon.stop() }
        _ = await socket.gather(until: { $0.hasPrefix("READY=1") }, timeout: .seconds(20))
        // Pings while the loop runs…
        var pings = 0
        var lastPing = ContinuousClock.now
        let runUntil = ContinuousClock.now + .seconds(6)
        while ContinuousClock.now < runUntil, let m = await socket.next(timeout: .seconds(1)) {
            if m == "WATCHDOG=1" {
                pings += 1
                lastPing = ContinuousClock.now
            }
        }
        #expect(pings >= 2)
        // …then none for well over the watchdog interval: systemd would restart it.
        let quiet = await socket.gather(until: { $0 == "WATCHDOG=1" }, timeout: .seconds(3))
        #expect(!quiet.contains("WATCHDOG=1"), "pings went on: \(quiet)")
        #expect(ContinuousClock.now - lastPing > .seconds(3))
        // The stall is a wait the stop interrupts.
        daemon.signal(SIGTERM)
        let r = await daemon.finish(timeout: .seconds(15))
        #expect(r.status == 0)
        #expect(r.stderr.contains("test hook: the work loop stalls"))
    }

    @Test func theStallHookIsIgnoredWithoutTheTestFlag() async throws {
        let (site, _) = try Self.slowSite(count: 1, delay: .zero)
        let w = try Workspace()
        let socket = try NotifySocket()
        defer { site.stop(); w.remove() }
        try w.configure(daemon: Self.settings(), sources: [Workspace.source("fixture", site: site)])
        let daemon = try w.start(["run"], environment: ["NOTIFY_SOCKET": socket.name, "WATCHDOG_USEC": "600000",
                                                        "KHABAR_TEST_STALL_AFTER": "0", "KHABAR_TEST_STALL_FOR": "60"])
        defer { daemon.stop() }
        _ = await socket.gather(until: { $0.hasPrefix("READY=1") }, timeout: .seconds(20))
        try await Task.sleep(for: .seconds(2))
        let later = await socket.gather(until: { $0 == "WATCHDOG=1" }, timeout: .seconds(3))
        #expect(later.last == "WATCHDOG=1")
        daemon.signal(SIGTERM)
        let r = await daemon.finish(timeout: .seconds(15))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("test hook"), "\(r.stderr)")
    }

    @Test func sigtermDuringABusyPollLeavesAVerifiableCorpusAndARestartContinuesWithoutDuplicates() async throws {
        let (site, paths) = try Self.slowSite(count: 60, delay: .milliseconds(200))
        let w = try Workspace()
        defer { site.stop(); w.remove() }
        try w.configure(daemon: Self.settings(["per_host_concurrency": "2"]), sources: [Workspace.source("fixture", site: site)])

        let first = try w.start(["run"])
        #expect(await waitUntil(.seconds(60)) { w.corpusFiles.count >= 8 })
        let (r1, stopTime) = await first.stop(with: SIGTERM)
        #expect(r1.status == 0, "\(r1.stderr)")
        #expect(stopTime < .seconds(10), "stopped after \(stopTime)")
        let afterFirst = Set(w.addedURLs)
        #expect(afterFirst.count >= 8 && afterFirst.count < paths.count, "\(afterFirst.count) of \(paths.count) before the stop")
        try await w.expectCorpusChecksPass()

        // The restart goes on with the rest; what was added is not fetched again.
        site.server.resetRecords()
        let second = try w.start(["run"])
        #expect(await waitUntil(.seconds(90)) { w.corpusFiles.count >= paths.count })
        second.signal(SIGTERM)
        let r2 = await second.finish(timeout: .seconds(20))
        #expect(r2.status == 0)
        let added = w.addedURLs
        #expect(added.count == paths.count)
        #expect(Set(added) == Set(paths.map { site.url($0) }))
        for url in afterFirst {
            let path = String(url.dropFirst(site.baseURL.count))
            #expect(site.server.requests(to: path).isEmpty, "\(path) fetched again after the restart")
        }
        #expect(try w.events(.duplicate).isEmpty)
        try await w.expectCorpusChecksPass()
    }

    @Test func sigtermStopsABusyPollCleanly() async throws {
        let (site, paths) = try Self.slowSite(count: 60, delay: .milliseconds(200))
        let w = try Workspace()
        defer { site.stop(); w.remove() }
        try w.configure(daemon: Self.settings(["per_host_concurrency": "2"]), sources: [Workspace.source("fixture", site: site)])
        let poll = try w.start(["poll"])
        #expect(await waitUntil(.seconds(60)) { w.corpusFiles.count >= 5 })
        let (r, took) = await poll.stop(with: SIGTERM)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(took < .seconds(10))
        #expect(r.stderr.contains("stopped by a signal"))
        // The summary covers what was done; the corpus is whole.
        #expect(r.stdout.hasPrefix("source"))
        #expect(w.corpusFiles.count < paths.count)
        try await w.expectCorpusChecksPass()
        // The next poll finishes the job without fetching anything twice.
        let again = try await w.khabar(["poll"])
        #expect(again.status == 0)
        #expect(Set(w.addedURLs) == Set(paths.map { site.url($0) }))
        #expect(w.addedURLs.count == paths.count)
    }

    @Test func aHostThatNeverAnswersDoesNotDelayTheOthers() async throws {
        let (good, paths) = try Self.slowSite(count: 6, delay: .zero)
        // The other source's host accepts connections and never answers.
        let release = Locked(false)
        let dead = TestServer(host: "127.0.0.2")
        dead.fallback { _, w in
            while !release.current { try w.pause(.milliseconds(100)) }
            try w.send(.status(503))
        }
        try dead.start()
        let w = try Workspace()
        defer {
            release.withLock { $0 = true }
            dead.stop()
            good.stop()
            w.remove()
        }
        try w.configure(daemon: Self.settings(["timeout": "\"60s\""]),
                        sources: ["name = \"dead\"\nurl = \"\(dead.url("/"))\"\nsitemaps = [\"\(dead.url("/sitemap.xml"))\"]",
                                  Workspace.source("good", site: good)])
        let daemon = try w.start(["run"])
        defer { daemon.stop() }
        // The change-log line follows the file's link into the folder: wait for the lines.
        let wanted = Set(paths.map { good.url($0) })
        #expect(await waitUntil(.seconds(45)) { Set(w.addedURLs) == wanted })
        // All of the good source is in while the dead host still holds its first requests.
        #expect(dead.inFlight.current >= 1)
        #expect(w.corpusFiles.count == paths.count)
        // Stopping abandons the hanging transfers.
        let (r, took) = await daemon.stop(with: SIGTERM)
        #expect(r.status == 0)
        #expect(took < .seconds(10))
    }

    @Test func sighupWithAValidAndAnInvalidConfiguration() async throws {
        let (first, firstPaths) = try Self.slowSite(count: 2, delay: .zero)
        let (second, secondPaths) = try Self.slowSite(count: 3, delay: .zero, host: "127.0.0.3", tag: " (ب)")
        let w = try Workspace()
        let socket = try NotifySocket()
        defer { first.stop(); second.stop(); w.remove() }
        try w.configure(daemon: Self.settings(), sources: [Workspace.source("first", site: first)])
        let daemon = try w.start(["run"], environment: ["NOTIFY_SOCKET": socket.name])
        defer { daemon.stop() }
        #expect(await waitUntil(.seconds(30)) { w.corpusFiles.count == firstPaths.count })

        // A valid file with a second source: polled after the reload.
        try w.configure(daemon: Self.settings(), sources: [Workspace.source("first", site: first), Workspace.source("second", site: second)])
        _ = await socket.gather(until: { _ in false }, timeout: .milliseconds(300))
        daemon.signal(SIGHUP)
        let reloaded = await socket.gather(until: { $0.hasPrefix("READY=1") }, timeout: .seconds(10)).filter { !$0.hasPrefix("STATUS=") }
        #expect(reloaded.first?.hasPrefix("RELOADING=1") == true)
        #expect(reloaded.last?.hasPrefix("READY=1\nSTATUS=2 sources") == true, "\(reloaded)")
        #expect(await waitUntil(.seconds(30)) { w.corpusFiles.count == firstPaths.count + secondPaths.count })

        // A broken file: the running configuration stays, the daemon says why in one line.
        try "[daemon]\ntimeout = \"soon\"\n".write(toFile: w.config, atomically: true, encoding: .utf8)
        _ = await socket.gather(until: { _ in false }, timeout: .milliseconds(300))
        daemon.signal(SIGHUP)
        let refused = await socket.gather(until: { $0.hasPrefix("READY=1") }, timeout: .seconds(10)).filter { !$0.hasPrefix("STATUS=") }
        #expect(refused.first?.hasPrefix("RELOADING=1") == true)
        #expect(refused.last?.hasPrefix("READY=1\nSTATUS=2 sources") == true, "\(refused)")
        // Still running.
        #expect(kill(daemon.pid, 0) == 0)

        daemon.signal(SIGTERM)
        let end = await daemon.finish(timeout: .seconds(15))
        #expect(end.status == 0)
        let lines = end.stderr.split(separator: "\n").filter { $0.contains("configuration reload failed") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("keeping the running configuration") == true)
        #expect(lines.first?.contains("timeout: expected a duration") == true, "\(lines)")
        #expect(lines.first?.contains("no [[source]] is configured") == true)
        #expect(end.stderr.contains("configuration reloaded"))
    }

    @Test func oneDaemonPerState() async throws {
        let (site, _) = try Self.slowSite(count: 1, delay: .zero)
        let w = try Workspace()
        let socket = try NotifySocket()
        defer { site.stop(); w.remove() }
        try w.configure(daemon: Self.settings(), sources: [Workspace.source("fixture", site: site)])
        let daemon = try w.start(["run"], environment: ["NOTIFY_SOCKET": socket.name])
        defer { daemon.stop() }
        _ = await socket.gather(until: { $0.hasPrefix("READY=1") }, timeout: .seconds(20))
        let second = try await w.khabar(["run"], timeout: .seconds(20))
        #expect(second.status == 1)
        #expect(second.stderr.contains("another khabar daemon already runs on this state (pid \(daemon.pid)"))
        // The daemon registered itself in the state, and `status` sees it run.
        #expect(try w.state().daemon()?.pid == daemon.pid)
        let running = try await w.khabar(["status"])
        #expect(running.status == 0)
        #expect(running.stdout.hasPrefix("daemon: running, pid \(daemon.pid), since "), "\(running.stdout)")
        daemon.signal(SIGTERM)
        #expect(await daemon.finish(timeout: .seconds(15)).status == 0)
        #expect(try w.state().daemon() == nil)
        let stopped = try await w.khabar(["status"])
        #expect(stopped.stdout.hasPrefix("daemon: not running on this state\n"))
    }
}
