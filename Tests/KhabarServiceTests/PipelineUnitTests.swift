import Foundation
import KhabarDiscover
import KhabarExtract
import KhabarHTTP
import Testing
@testable import KhabarService

@Suite struct URLScheduleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let schedule = URLSchedule(revisits: RevisitPlan(offsets: [.seconds(3_600), .seconds(21_600)]))

    func result(_ outcome: EventOutcome?, failure: FetchFailure? = nil, transient: Bool = false, retryAfter: Date? = nil) -> PageResult {
        var r = PageResult(url: "https://a.test/1", outcome: outcome, line: "")
        r.failure = failure
        r.transient = transient
        r.retryAfter = retryAfter
        return r
    }

    @Test func anAddedTextIsRevisitedAtEachOffsetThenNever() {
        let added = schedule.next(after: result(.added), previousAttempts: 2, addedAt: nil, now: now)
        #expect(added == .init(nextDue: now.addingTimeInterval(3_600), attempts: 0, revisitStep: 0))
        let first = schedule.next(after: result(.notModified), previousAttempts: 0, addedAt: now, now: now.addingTimeInterval(3_601))
        #expect(first == .init(nextDue: now.addingTimeInterval(21_600), attempts: 0, revisitStep: 1))
        let last = schedule.next(after: result(.duplicate), previousAttempts: 0, addedAt: now, now: now.addingTimeInterval(21_700))
        #expect(last.nextDue == nil && last.revisitStep == 2)
        // A revision starts the plan again from its own time.
        let revised = schedule.next(after: result(.revised), previousAttempts: 0, addedAt: now, now: now.addingTimeInterval(21_700))
        #expect(revised.nextDue == now.addingTimeInterval(21_700 + 3_600))
    }

    @Test(arguments: [EventOutcome.notArticle, .tooShort, .filtered, .nearDuplicate, .duplicate])
    func refusedTextsAreNotFetchedAgain(outcome: EventOutcome) {
        #expect(schedule.next(after: result(outcome), previousAttempts: 0, addedAt: nil, now: now).nextDue == nil)
        // …unless the URL's text is in the corpus: then its revisits go on.
        #expect(schedule.next(after: result(outcome), previousAttempts: 0, addedAt: now, now: now).nextDue != nil)
    }

    @Test func transientFailuresBackOffUpToTheLimitAndHonourRetryAfter() {
        let timeout = result(.failed, failure: .timeout(.total(.seconds(30))), transient: true)
        let one = schedule.next(after: timeout, previousAttempts: 0, addedAt: nil, now: now)
        #expect(one == .init(nextDue: now.addingTimeInterval(900), attempts: 1, revisitStep: 0))
        let three = schedule.next(after: timeout, previousAttempts: 2, addedAt: nil, now: now)
        #expect(three.nextDue == now.addingTimeInterval(3_600) && three.attempts == 3)
        let late = result(.failed, failure: .http(429), transient: true, retryAfter: now.addingTimeInterval(7_200))
        #expect(schedule.next(after: late, previousAttempts: 0, addedAt: nil, now: now).nextDue == now.addingTimeInterval(7_200))
        let exhausted = schedule.next(after: timeout, previousAttempts: 4, addedAt: nil, now: now)
        #expect(exhausted.nextDue == nil && exhausted.attempts == 5)
    }

    @Test func permanentFailuresAreNotRetried() {
        for failure: FetchFailure in [.http(404), .robotsDenied(.rule("Disallow: /x")), .contentType("image/png", .page),
                                      .tooLarge(limit: 10), .redirectRefused("x")] {
            let r = result(.failed, failure: failure, transient: URLSchedule.isTransient(failure))
            #expect(schedule.next(after: r, previousAttempts: 0, addedAt: nil, now: now).nextDue == nil, "\(failure)")
        }
        for failure: FetchFailure in [.http(503), .http(429), .http(408), .dns("x"), .connect("x"), .robotsDenied(.unreachable("HTTP 503")),
                                      .circuitOpen(host: "a.test")] {
            #expect(URLSchedule.isTransient(failure), "\(failure)")
        }
    }

    /// Regression (disk-fault test of issue 8): a URL whose append met a read-only corpus was
    /// given up after five attempts, so a disk fault longer than the backoff lost the article.
    @Test func aLocalFaultIsRetriedEveryBaseIntervalWithoutUsingUpAttempts() {
        var fault = result(.failed, transient: true)
        fault.localFault = true
        for previous in [0, 4, 5, 40] {
            let next = schedule.next(after: fault, previousAttempts: previous, addedAt: nil, now: now)
            #expect(next == .init(nextDue: now.addingTimeInterval(900), attempts: previous, revisitStep: 0), "after \(previous)")
        }
        // A network failure afterwards still counts from where the URL's own attempts were.
        let timeout = result(.failed, failure: .timeout(.total(.seconds(30))), transient: true)
        #expect(schedule.next(after: timeout, previousAttempts: 1, addedAt: nil, now: now).attempts == 2)
    }

    @Test func aCancelledPageStaysDue() {
        let r = schedule.next(after: result(nil), previousAttempts: 1, addedAt: nil, now: now)
        #expect(r.nextDue == now && r.attempts == 1)
    }
}

@Suite struct JudgeStageTests {
    let filter = ArticleFilter(minChars: 50, languages: ["ar"], includeAny: ["روسيا"], excludeAny: [])

    func article(_ paragraphs: [String], lang: String? = "ar", isArticle: Bool = true) -> Article {
        Article(headline: "عنوان", paragraphs: paragraphs, language: lang, isArticle: isArticle,
                notArticleReason: isArticle ? nil : "a listing page (42 links)")
    }

    @Test func theExtractorsVerdictComesFirstThenLengthThenTheFilters() {
        let long = String(repeating: "زيارة إلى روسيا لبحث التعاون. ", count: 4)
        #expect(JudgeStage.judge(article([long], isArticle: false), filter: filter) == .notArticle("a listing page (42 links)"))
        #expect(JudgeStage.judge(article(["روسيا"]), filter: filter) == .tooShort(characters: 12, minimum: 50))
        #expect(JudgeStage.judge(article([long], lang: "fa"), filter: filter) == .filtered("language fa not in ar"))
        #expect(JudgeStage.judge(article([long.replacingOccurrences(of: "روسيا", with: "الهند")]), filter: filter)
                == .filtered("contains none of include_any"))
        #expect(JudgeStage.judge(article([long]), filter: filter) == .keep)
    }

    @Test func linesAndDetails() {
        #expect(Judgement.tooShort(characters: 1_234, minimum: 3_000).line == "too short: 1,234 chars, min_chars is 3,000")
        #expect(Judgement.tooShort(characters: 12, minimum: 50).outcome == .tooShort)
        #expect(Judgement.notArticle("no article text found").line == "not an article: no article text found")
        #expect(Judgement.filtered("language en not in ar").line == "filtered: language en not in ar")
        #expect(Judgement.keep.outcome == nil)
    }
}

@Suite struct SiteIdentityTests {
    let identity = SiteIdentity(sources: [
        { var s = SourceSettings(name: "a", url: "https://www.example.com/"); s.allowedHosts = ["cdn.other.net"]; return s }(),
    ])

    @Test func theCanonicalURLCountsOnlyOnTheSourcesOwnSite() {
        // AMP and tracking variants naming the canonical page are one article.
        #expect(identity.identity(url: "https://amp.example.com/n/1?utm_source=x", canonicalURL: "https://www.example.com/n/1")
                == "https://www.example.com/n/1")
        // A host the source lists counts too.
        #expect(identity.identity(url: "https://www.example.com/n/2", canonicalURL: "https://cdn.other.net/n/2")
                == "https://cdn.other.net/n/2")
        // Another site's canonical URL (a syndicated copy) does not: the fetched URL is the identity.
        #expect(identity.identity(url: "https://www.example.com/n/3", canonicalURL: "https://news.example.org/n/3")
                == "https://www.example.com/n/3")
        // A template stamping the front page into every article is ignored.
        #expect(identity.identity(url: "https://www.example.com/n/4", canonicalURL: "https://www.example.com/")
                == "https://www.example.com/n/4")
        // A relative canonical resolves against the page.
        #expect(identity.identity(url: "https://www.example.com/n/5", canonicalURL: "/n/5-title") == "https://www.example.com/n/5-title")
    }

    @Test func aURLNoSourceOwnsIsJudgedByItsOwnDomainAndReloadsApply() {
        #expect(identity.identity(url: "https://m.blog.test/p/9", canonicalURL: "https://www.blog.test/p/9") == "https://www.blog.test/p/9")
        #expect(identity.identity(url: "https://www.example.com/n/2", canonicalURL: "https://cdn.other.net/n/2") == "https://cdn.other.net/n/2")
        identity.update(sources: [SourceSettings(name: "a", url: "https://www.example.com/")])
        #expect(identity.identity(url: "https://www.example.com/n/2", canonicalURL: "https://cdn.other.net/n/2") == "https://www.example.com/n/2")
        #expect(identity.identity(url: nil, canonicalURL: "https://x.test/a?utm_medium=y") == "https://x.test/a")
    }
}

@Suite struct SourceContextTests {
    @Test func configuredHostsAreTrustedAndEntriesPassThePolicyAndMatcher() throws {
        var s = SourceSettings(name: "a", url: "https://www.example.com/fa/")
        s.feeds = ["https://feeds.feedhost.net/example"]
        s.sitemaps = ["https://static.example.com/sitemap.xml"]
        let c = SourceContext(source: s, daemon: DaemonSettings())
        #expect(c.trustedHosts == ["www.example.com", "feeds.feedhost.net", "static.example.com"])
        let article = try #require(HTTPURL("https://www.example.com/news/2026/07/19/a-long-slug-about-the-visit"))
        let tag = try #require(HTTPURL("https://www.example.com/tag/iran"))
        let offSite = try #require(HTTPURL("https://www.elsewhere.com/news/2026/07/19/a-long-slug-about-the-visit"))
        #expect(c.keeps(article, trustsEntries: false))
        #expect(!c.keeps(tag, trustsEntries: false))
        #expect(c.keeps(tag, trustsEntries: true))       // a feed's entries are articles by definition
        #expect(!c.keeps(offSite, trustsEntries: true))  // but never another site's
        var p = s
        p.articleURLPattern = "/news/\\d{4}/"
        let patterned = SourceContext(source: p, daemon: DaemonSettings())
        #expect(!patterned.keeps(tag, trustsEntries: true))  // a pattern applies to every channel
        #expect(patterned.keeps(article, trustsEntries: true))
        let request = c.request("https://www.example.com/n/1", kind: .page, trusting: ["x.test"])
        #expect(request.trustedHosts.contains("x.test") && request.trustedHosts.contains("www.example.com"))
        #expect(request.linkPolicy("https://news.example.com/n/2") && !request.linkPolicy("https://evil.test/"))
    }

    @Test func aManualFetchAppliesOnlyMinChars() {
        let c = SourceContext.manual(url: "https://x.test/a", daemon: DaemonSettings())
        #expect(c.name == nil)
        #expect(c.filter.evaluate(language: "en", headline: nil, body: "", characters: 400) == .keep)
        #expect(c.filter.evaluate(language: "en", headline: nil, body: "", characters: 100) == .tooShort(characters: 100, minimum: 300))
    }
}

@Suite struct ListingLinksTests {
    @Test(arguments: [
        ("https://a.test/news/42", true), ("https://a.test/a/1.html", true), ("https://a.test/posts/hello-world", true),
        ("https://a.test/2026/07/19/a-visit", true), ("https://a.test/news/100042", true),
        ("https://a.test/politics", false), ("https://a.test/tag/iran", false), ("https://a.test/news/tag/iran", false),
        ("https://a.test/category/world/europe", false), ("https://a.test/news/page/2", false),
        ("https://a.test/news/list?page=2", false), ("https://a.test/search/results?q=x", false),
        ("https://a.test/author/someone", false), ("https://a.test/", false),
    ])
    func linksOnListingPagesAreKeptUnlessSomethingRulesThemOut(url: String, kept: Bool) throws {
        #expect(ListingLinks.keeps(try #require(HTTPURL(url))) == kept)
    }
}

@Suite struct DaemonTextTests {
    @Test func statusLine() {
        let t = Date()
        #expect(StatusLine.text(sources: 5, added: 1_234, revised: 0, lastError: nil) == "5 sources, 1,234 articles added today, no errors")
        let line = StatusLine.text(sources: 1, added: 1, revised: 2, lastError: (t, "roayah: timeout after 30 s\nmore"))
        #expect(line.hasPrefix("1 source, 1 article added today (2 revised), last error "))
        #expect(line.hasSuffix("Z: roayah: timeout after 30 s more"))
        #expect(!StatusLine.text(sources: 1, added: 0, revised: 0, lastError: (t, String(repeating: "x", count: 500))).contains(String(repeating: "x", count: 161)))
    }

    @Test func progressLineAndSummaryTable() {
        #expect(PollSummary.progressLine(sources: 2, totals: [:]) == "polling 2 sources: 0 fetched")
        #expect(PollSummary.progressLine(sources: 1, totals: [.added: 1_200, .failed: 2, .duplicate: 3])
                == "polling 1 source: 1,205 fetched — added 1,200, duplicate 3, failed 2")
        let ok = SourcePollResult(source: "roayah", discovery: DiscoveryReport(source: "roayah", channels: [
            ChannelReport(url: "u1", kind: .feed, result: .read(urls: 3)), ChannelReport(url: "u2", kind: .homepage, result: .notModified),
        ], newURLs: 3), counts: [.added: 2, .filtered: 1])
        let bad = SourcePollResult(source: "x", discovery: DiscoveryReport(source: "x", channels: [
            ChannelReport(url: "https://x.test/", kind: .homepage, result: .failed("DNS lookup failed")),
        ]), counts: [:])
        #expect(PollSummary.table([ok, bad]) == """
            source  channels  new urls  fetched  added  filtered  failed
            roayah       2/2         3        3      2         1       0
            x            0/1         0        0      0         0       0
            total        2/3         3        3      2         1       0
            x: failed: https://x.test/: DNS lookup failed

            """)
    }

    @Test func testHooksNeedTheTestFlag() {
        #expect(TestHooks(environment: ["KHABAR_TEST_STALL_AFTER": "1"]) == .none)
        let on = TestHooks(environment: ["KHABAR_TEST_HOOKS": "1", "KHABAR_TEST_STALL_AFTER": "1.5", "KHABAR_TEST_STALL_FOR": "2"])
        #expect(on.stallAfter == .milliseconds(1_500) && on.stallFor == .seconds(2))
    }

    @Test func robotsCanOnlyBeSwitchedOffByTheUnsafeVariable() {
        var d = DaemonSettings()
        d.perHostDelay = .zero
        #expect(ServiceRuntime.httpSettings(d, environment: [:]).obeyRobots)
        #expect(ServiceRuntime.httpSettings(d, environment: ["KHABAR_UNSAFE_IGNORE_ROBOTS": "yes"]).obeyRobots)
        #expect(!ServiceRuntime.httpSettings(d, environment: ["KHABAR_UNSAFE_IGNORE_ROBOTS": "1"]).obeyRobots)
        #expect(ServiceRuntime.httpSettings(d, environment: [:]).perHostDelay == .zero)
    }

    @Test func frontierRowsAsDueURLs() {
        func row(_ kind: URLKind, priority: Int? = nil, corpusFile: String? = nil, fetched: Bool = false) -> FrontierURL {
            FrontierURL(id: 1, url: "https://a.test/1", source: "a", kind: kind, priority: priority ?? kind.defaultPriority,
                        titleHint: nil, publishedHint: "2026-07-19T10:00:00+04:30", modifiedHint: nil, firstSeen: Date(),
                        lastFetched: fetched ? Date() : nil, nextDue: Date(), attempts: 0, etag: nil, lastModified: nil,
                        lastStatus: nil, lastOutcome: nil, corpusFile: corpusFile, canonicalURL: nil, revisitStep: 0)
        }
        #expect(Harvester.dueURL(row(.feed)).origin == .feed)
        #expect(Harvester.dueURL(row(.newsSitemap)).origin == .newsSitemap)
        #expect(Harvester.dueURL(row(.homepage)).origin == .listingPage)
        #expect(Harvester.dueURL(row(.sitemap)).origin == .sitemap)
        #expect(Harvester.dueURL(row(.sitemap, priority: 2)).origin == .listingPage)   // a fresh sitemap entry
        #expect(Harvester.dueURL(row(.feed, corpusFile: "001_x.txt", fetched: true)).origin == .revisit)
        #expect(Harvester.dueURL(row(.feed)).published == Date(timeIntervalSince1970: 1_784_439_000))   // 05:30Z
    }
}

@Suite struct BlockingPoolTests {
    @Test func runsJobsOnItsThreadsAndReturnsTheirResults() async {
        let pool = BlockingPool(threads: 2, name: "test-pool")
        defer { pool.shutdown() }
        let threads = await withTaskGroup(of: UInt.self) { group in
            for _ in 0..<16 {
                group.addTask { await pool.run { usleep(1_000); return UInt(pthread_self()) } }
            }
            var out: [UInt] = []
            for await n in group { out.append(n) }
            return out
        }
        #expect(threads.count == 16)
        // Two threads did all the work.
        #expect(Set(threads).count <= 2)
        #expect(await pool.run { 6 * 7 } == 42)
    }

    @Test func tasksAwaitingBlockedJobsHoldNoCooperativeThread() async {
        // More tasks than the cooperative pool has threads, each awaiting a job that blocks until
        // another task releases it. If awaiting held a thread, the releasing task could never run
        // and the jobs would time out instead.
        let pool = BlockingPool(threads: 1, name: "held")
        defer { pool.shutdown() }
        let gate = DispatchSemaphore(value: 0)
        let waiters = ProcessInfo.processInfo.activeProcessorCount * 2
        async let released: [Bool] = withTaskGroup(of: Bool.self) { group in
            for _ in 0..<waiters {
                group.addTask {
                    await pool.run {
                        let ok = gate.wait(timeout: .now() + 20) == .success
                        if ok { gate.signal() }   // pass it on to the next job
                        return ok
                    }
                }
            }
            var out: [Bool] = []
            for await r in group { out.append(r) }
            return out
        }
        await Task { _ = gate.signal() }.value
        #expect(await released == Array(repeating: true, count: waiters))
    }

    @Test func afterShutdownJobsRunInline() async {
        let pool = BlockingPool(threads: 1, name: "closed")
        pool.shutdown()
        #expect(await pool.run { 1 } == 1)
    }
}
