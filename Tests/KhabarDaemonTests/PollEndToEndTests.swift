import Foundation
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// `khabar poll` against a fixture news site served on loopback: the real binary, a real corpus
/// and state in a temporary folder.
@Suite(.serialized) struct PollEndToEndTests {
    /// A site whose articles are spread over every channel, each listed by at least two, plus one
    /// disallowed by robots.txt.
    struct Fixture {
        let site: FixtureSite
        let workspace: Workspace
        let paths: [String]
        let seeds: [SeedArticles.Seed]

        init(extraSource: String = "") throws {
            site = try FixtureSite()
            workspace = try Workspace()
            seeds = try SeedArticles.load()
            let bench = try BenchPages.load(3)
            let seedChannels: [Set<FixtureSite.Channel>] = [
                [.rss, .newsSitemap, .homepage], [.atom, .gzippedSitemap, .listing], [.rss, .atom, .sitemap, .listing, .homepage],
                [.newsSitemap, .gzippedSitemap], [.listing, .sitemap],
            ]
            var paths: [String] = []
            for (i, seed) in seeds.enumerated() {
                let path = "/news/\(100_001 + i)"
                site.put(SeedArticles.article(seed, path: path, channels: seedChannels[i % seedChannels.count], hoursAgo: Double(i + 1)))
                paths.append(path)
            }
            let benchChannels: [Set<FixtureSite.Channel>] = [[.rss, .sitemap], [.atom, .listing], [.gzippedSitemap, .homepage]]
            for (i, page) in bench.enumerated() {
                let path = "/world/\(200_001 + i)"
                site.put(BenchPages.article(page, path: path, title: "Bench page \(i + 1)", channels: benchChannels[i]))
                paths.append(path)
            }
            // Listed, but robots.txt disallows it: never requested.
            site.put(SeedArticles.article(seeds[2], path: "/private/300001", channels: [.sitemap, .listing, .rss]))
            self.paths = paths
            try workspace.configure(sources: [Workspace.source("fixture", site: site, extra: extraSource)])
        }

        func remove() {
            site.stop()
            workspace.remove()
        }
    }

    @Test func everyArticleIsIngestedExactlyOnceAcrossFeedsSitemapsAndListings() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let poll = try await f.workspace.khabar(["poll"])
        #expect(poll.status == 0, "\(poll.stderr)")

        // One file per article, whichever channels listed it.
        let expected = Set(f.paths.map { f.site.url($0) })
        let added = f.workspace.addedURLs
        #expect(added.count == expected.count, "\(added)")
        #expect(Set(added) == expected)
        #expect(f.workspace.corpusFiles.count == expected.count)
        // Each article page was requested once.
        for path in f.paths { #expect(f.site.server.requests(to: path).count == 1, "\(path)") }
        // The disallowed page never was, and its outcome says why.
        #expect(f.site.server.requests.filter { $0.path.hasPrefix("/private/") }.isEmpty)
        let denied = try f.workspace.events(.robotsDenied)
        #expect(denied.map(\.url) == [f.site.url("/private/300001")])
        #expect(denied.first?.detail?.contains("Disallow: /private/") == true)
        // Every channel was read: homepage, two announced feeds, the sitemap index and its three
        // sitemaps (one gzipped), the listing page.
        for path in ["/", "/feed.xml", "/atom.xml", "/robots.txt", "/sitemap_index.xml", "/sitemap-news.xml",
                     "/sitemap-archive.xml.gz", "/sitemap-pages.xml", "/section/news"] {
            #expect(!f.site.server.requests(to: path).isEmpty, "\(path) not requested")
        }
        // The summary names the source and its counts.
        let row = try #require(poll.stdout.split(separator: "\n").first { $0.hasPrefix("fixture") })
        #expect(row.split(separator: " ").contains("\(expected.count)"))
        #expect(poll.stdout.contains("robots_denied"))

        // Feed and news-sitemap titles and dates are kept as frontier hints.
        let state = try f.workspace.state()
        let seedURL = try #require(try state.frontierURL(f.site.url(f.paths[0])))
        #expect(seedURL.titleHint == f.seeds[0].headline)
        #expect(seedURL.publishedHint != nil)
        #expect(seedURL.corpusFile != nil && seedURL.lastOutcome == .added)

        try await f.workspace.expectCorpusChecksPass()

        // A second poll right away fetches no article again (none is due).
        f.site.server.resetRecords()
        let again = try await f.workspace.khabar(["poll"])
        #expect(again.status == 0)
        for path in f.paths { #expect(f.site.server.requests(to: path).isEmpty, "\(path) fetched again") }
        #expect(f.workspace.corpusFiles.count == expected.count)
    }

    @Test func statusShowsWhatAPollDid() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let before = try await f.workspace.khabar(["status"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.hasPrefix("daemon: not running on this state\n\nfixture  \(f.site.url("/"))\n  never polled\n"))
        #expect(before.stdout.contains("(no state at "))

        let poll = try await f.workspace.khabar(["poll"])
        #expect(poll.status == 0, "\(poll.stderr)")
        let status = try await f.workspace.khabar(["status"])
        #expect(status.status == 0, "\(status.stderr)")
        let lines = status.stdout.split(separator: "\n").map(String.init)
        let n = f.paths.count
        #expect(lines.first == "daemon: not running on this state")
        #expect(lines.contains("  added         today \(n) · 7 days \(n) · total \(n)"), "\(status.stdout)")
        #expect(lines.contains("  last error    —"))
        #expect(lines.contains { $0.hasPrefix("  last poll     ") && $0.contains("next due ") })
        #expect(lines.contains { $0.hasPrefix("  last success  ") && $0.hasSuffix("failures in a row 0") })
        #expect(lines.contains { $0.hasPrefix("  extraction    0% of \(n) pages not an article or too short (24 h) · avg ") })
        #expect(!status.stdout.contains("WARNING"))
    }

    @Test func aNewArticleIsIngestedOnTheNextPoll() async throws {
        let f = try Fixture()
        defer { f.remove() }
        #expect(try await f.workspace.khabar(["poll"]).status == 0)
        let before = f.workspace.corpusFiles.count
        let fresh = SeedArticles.Seed(name: "new", headline: "خبر جديد عن التعاون",
                                      paragraphs: arabicArticle(topic: "التعاون التجاري", mention: "روسيا"), lang: "ar")
        f.site.put(SeedArticles.article(fresh, path: "/news/100099", channels: [.rss, .listing], hoursAgo: 0.1))
        let poll = try await f.workspace.khabar(["poll"])
        #expect(poll.status == 0)
        #expect(f.workspace.corpusFiles.count == before + 1)
        #expect(f.workspace.addedURLs.last == f.site.url("/news/100099"))
        #expect(f.site.server.requests(to: "/news/100099").count == 1)
    }

    @Test func anEditedArticleBecomesARevisionAtItsRevisitWithConditionalRequests() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try f.workspace.configure(daemon: ["revisit": "[\"1s\", \"1h\"]"], sources: [Workspace.source("fixture", site: f.site)])

        #expect(try await f.workspace.khabar(["poll"]).status == 0)
        let edited = f.paths[3], unchanged = f.paths[4]
        let firstEtag = try #require(f.site.article(at: unchanged)?.etag)
        var article = try #require(f.site.article(at: edited))
        let seed = f.seeds[3]
        article = SeedArticles.article(seed, path: edited, channels: article.channels, hoursAgo: 4,
                                       extraParagraph: "وأضاف المتحدث في تصريح لاحق أن الزيارة ستتبعها زيارات أخرى خلال الأشهر المقبلة لبحث تفاصيل الاتفاق.")
        f.site.put(article)
        try await Task.sleep(for: .seconds(2))
        f.site.server.resetRecords()
        let poll = try await f.workspace.khabar(["poll"])
        #expect(poll.status == 0)

        // Both revisits were conditional requests with the validators the first fetch stored.
        let revisit = try #require(f.site.server.requests(to: unchanged).first)
        #expect(revisit.header("If-None-Match") == firstEtag)
        #expect(revisit.header("If-Modified-Since") != nil)
        #expect(try #require(f.site.server.requests(to: edited).first).header("If-None-Match") != nil)
        // The unchanged one: 304, not modified. The edited one: a revision superseding the first file.
        let notModified = try f.workspace.events(.notModified)
        #expect(notModified.map(\.url) .contains(f.site.url(unchanged)))
        let revised = f.workspace.changes.filter { $0["action"] as? String == "revised" }
        #expect(revised.count == 1)
        let first = f.workspace.changes.first { $0["url"] as? String == f.site.url(edited) && $0["action"] as? String == "added" }
        #expect(revised.first?["url"] as? String == f.site.url(edited))
        #expect(revised.first?["supersedes"] as? String == first?["file"] as? String)
        // Every other article was revisited and found unchanged: no other new file.
        #expect(f.workspace.corpusFiles.count == f.paths.count + 1)
        try await f.workspace.expectCorpusChecksPass()
    }

    @Test func topicAndLanguageFiltersDecideBeforeTheCorpus() async throws {
        let site = try FixtureSite()
        let w = try Workspace()
        defer { site.stop(); w.remove() }
        let seeds = try SeedArticles.load()
        // Arabic seeds that name Russia (روسيا) are kept; the Persian seed (fa) is not.
        for i in [0, 2, 3, 4] {
            site.put(SeedArticles.article(seeds[i], path: "/news/\(100_001 + i)", channels: [.rss]))
        }
        // An English page of about 5,900 characters: only its language refuses it.
        let english = try BenchPages.load(1, offset: 1)[0]
        site.put(BenchPages.article(english, path: "/news/100010", title: "English", channels: [.rss]))
        let offTopic = SeedArticles.Seed(name: "x", headline: "اجتماع لبحث خطط التعليم", paragraphs: arabicArticle(topic: "خطط التعليم", mention: nil), lang: "ar")
        site.put(SeedArticles.article(offTopic, path: "/news/100011", channels: [.rss]))
        let excluded = SeedArticles.Seed(name: "y", headline: "اجتماع رياضي", paragraphs: arabicArticle(topic: "كرة القدم", mention: "روسيا"), lang: "ar")
        site.put(SeedArticles.article(excluded, path: "/news/100012", channels: [.rss]))
        // Long enough to be an article (the extractor wants 250 characters of body), shorter than min_chars.
        let short = SeedArticles.Seed(name: "z", headline: "خبر قصير", paragraphs: Array(arabicArticle(topic: "الزراعة", mention: "روسيا").prefix(3)), lang: "ar")
        site.put(SeedArticles.article(short, path: "/news/100013", channels: [.rss]))
        try w.configure(daemon: ["min_chars": "480"], sources: [Workspace.source("ar", site: site, extra: """
            languages = ["ar"]
            include_any = ["روسيا"]
            exclude_any = ["كرة القدم"]
            """)])
        let poll = try await w.khabar(["poll"])
        #expect(poll.status == 0, "\(poll.stderr)")

        #expect(Set(w.addedURLs) == Set([2, 3, 4].map { site.url("/news/\(100_001 + $0)") }))
        let filtered = try w.events(.filtered)
        func detail(_ path: String) -> String? { filtered.first { $0.url == site.url(path) }?.detail }
        #expect(detail("/news/100001") == "language fa not in ar")
        #expect(detail("/news/100010") == "language en not in ar")
        #expect(detail("/news/100011") == "contains none of include_any")
        #expect(detail("/news/100012") == "contains excluded \"كرة القدم\"")
        let tooShort = try w.events(.tooShort)
        #expect(tooShort.map(\.url) == [site.url("/news/100013")])
        #expect(tooShort.first?.detail?.hasSuffix("chars, min_chars is 480") == true)
        #expect(poll.stdout.contains("filtered"))
    }

    @Test func unknownSourceNameIsAUsageError() async throws {
        let site = try FixtureSite()
        let w = try Workspace()
        defer { site.stop(); w.remove() }
        try w.configure(sources: [Workspace.source("fixture", site: site)])
        let r = try await w.khabar(["poll", "nosuch"])
        #expect(r.status == 2)
        #expect(r.stderr == "khabar: unknown source \"nosuch\" (configured: fixture)\n")
        #expect(site.server.requests.isEmpty)
    }

    @Test func pollFailsOnlyWhenEverySourceFailed() async throws {
        let site = try FixtureSite()
        let w = try Workspace()
        defer { site.stop(); w.remove() }
        let seeds = try SeedArticles.load()
        site.put(SeedArticles.article(seeds[2], path: "/news/100001", channels: [.rss]))
        // A port nothing listens on: every channel of "gone" fails at connect.
        let closed = TestServer(host: "127.0.0.1")
        try closed.start()
        let deadURL = closed.url("/")
        closed.stop()
        try w.configure(sources: [Workspace.source("fixture", site: site), "name = \"gone\"\nurl = \"\(deadURL)\""])
        let both = try await w.khabar(["poll"])
        #expect(both.status == 0, "\(both.stdout)")
        #expect(both.stdout.contains("gone: failed: "))
        #expect(both.stdout.split(separator: "\n").contains { $0.hasPrefix("total") })
        let one = try await w.khabar(["poll", "gone"])
        #expect(one.status == 1)
        #expect(one.stdout.contains("gone: failed: \(deadURL)"))
        let source = try #require(try w.state().source(named: "gone"))
        #expect(source.consecutiveFailures == 2 && source.lastError != nil)
        // The failing source backs off: its next poll is later than the interval from now.
        #expect((source.nextDue ?? .distantPast) > Date().addingTimeInterval(14 * 60))
    }
}
