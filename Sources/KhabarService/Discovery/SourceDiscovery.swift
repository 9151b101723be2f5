import Foundation
import KhabarDiscover
import KhabarHTML
import KhabarHTTP
import Logging

/// What one discovery channel (homepage, feed, sitemap, listing page) gave in a poll.
public struct ChannelReport: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        /// Fetched and read: this many article URLs listed (after the source's policy).
        case read(urls: Int)
        /// 304: unchanged since the last poll.
        case notModified
        /// Not fetched: its `lastmod` says nothing changed since it was last read.
        case unchanged
        case failed(String)
    }

    public var url: String
    public var kind: ChannelKind
    public var result: Result

    /// The channel answered (read, 304, or known unchanged).
    public var answered: Bool {
        if case .failed = result { return false }
        return true
    }
}

/// One poll of one source's channels.
public struct DiscoveryReport: Sendable {
    public var source: String
    public var channels: [ChannelReport] = []
    /// Article URLs that were new to the frontier.
    public var newURLs = 0
    /// The poll failed: no channel answered.
    public var failed: Bool { !channels.contains(where: \.answered) }
    /// The first failure, for the source's `last_error` and the summary.
    public var firstError: String? {
        for c in channels { if case .failed(let why) = c.result { return "\(c.url): \(why)" } }
        return nil
    }
}

/// Finds a source's article URLs and puts them in the frontier (docs/discovery.md, "For the
/// integrator: one poll of a source"):
///
/// - the **homepage**: its announced feeds (`<link rel="alternate">`) when no feed is configured,
///   and its article links (`ListingPage`, kind `homepage`);
/// - **feeds**: the configured ones, else those the homepage announces, else those found before,
///   else the common paths (`/feed`, `/rss.xml`, …; the first that reads as a feed is kept);
/// - **sitemaps**: the configured ones and robots.txt's `Sitemap:` lines, walked with
///   `SitemapWalk` (indexes followed, news sitemaps first, depth and count bounded; a child whose
///   `lastmod` is older than its last successful read is not fetched again); gzip read with a limit;
/// - **listing pages**: their article links (`article_url_pattern` or the heuristic).
///
/// Channels are independent: one failing does not stop the others, and the poll fails only when
/// none answered. Every URL is canonicalised and must be on the source's site (`SitePolicy`);
/// hosts of configured channels are trusted like the source's own. Feed and news-sitemap titles
/// and dates go into the frontier as hints. Conditional requests use each channel's validators.
public struct SourceDiscovery: Sendable {
    let client: HTTPClient
    let state: StateStore
    let cpu: BlockingPool
    let store: BlockingPool
    let logger: Logger
    /// Dated sitemap entries newer than this are fresh (fetched with feed items, before the backlog).
    var freshWindow: TimeInterval = 48 * 3_600
    /// How long a common feed path that failed is not probed again.
    var probeRetry: TimeInterval = 24 * 3_600
    /// How long a sitemap index's `lastmod` is believed when it says a child has not changed: a
    /// child is read again after this long whatever its index says.
    var childTrust: TimeInterval = 24 * 3_600

    /// Whether a sitemap child whose index states `lastmod` need not be fetched again, having been
    /// read at `lastRead`. A `lastmod` is an instant only to its precision and on the server's
    /// clock: a time names its whole second (fractions are dropped), a day alone any moment of that
    /// day in any zone (UTC−12 … UTC+14), and the server's clock may run behind ours. So the read
    /// must come after the latest moment the change could have been, plus a margin for clock skew —
    /// else a child that changed in the same second (or day) as it was read, after the read, would
    /// be skipped for ever. Some servers never move a child's `lastmod` (they date the index by its
    /// newest entry's date, which a newly listed older entry does not move), so the index is not
    /// believed for longer than `trustFor`.
    static func childUnchanged(lastmod: PublicationDate, lastRead: Date, now: Date, trustFor: TimeInterval,
                               clockSkew: TimeInterval = 300) -> Bool {
        let latestChange = Double(lastmod.secondsSince1970) + (lastmod.hasTime ? 1 : 36 * 3_600)
        return lastRead.timeIntervalSince1970 >= latestChange + clockSkew && now.timeIntervalSince(lastRead) < trustFor
    }

    public init(client: HTTPClient, state: StateStore, cpu: BlockingPool, store: BlockingPool, logger: Logger) {
        self.client = client
        self.state = state
        self.cpu = cpu
        self.store = store
        self.logger = logger
    }

    public func poll(_ context: SourceContext) async -> DiscoveryReport {
        guard let source = context.settings, let name = context.name else { return DiscoveryReport(source: "") }
        var report = DiscoveryReport(source: name)
        let known = await store.run { (try? self.state.channels(source: name)) ?? [] }
        let channelRows = Dictionary(known.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })

        // The homepage, the listing pages and robots.txt's sitemaps are independent of one another.
        async let home = readHomepage(source.url, context: context, row: channelRows[source.url])
        async let listings = readListings(source.listingPages, context: context, rows: channelRows)
        async let robotsSitemaps = client.robotsSitemaps(for: source.url, trustedHosts: context.trustedHosts)

        let homepage = await home
        report.channels.append(homepage.report)
        report.newURLs += homepage.newURLs

        // Feeds: configured, else announced, else known from earlier polls, else common paths
        // (not on a host that did not answer at all: guessing paths would only repeat that).
        var sitemapRoots: [HTTPURL] = source.sitemaps.compactMap { HTTPURL($0) }
        let remembered = known.filter { $0.kind == .feed && $0.consecutiveFailures == 0 && $0.lastStatus != nil }
            .compactMap { HTTPURL($0.url) }
        var feeds: [HTTPURL] = []
        var probing = false
        if !source.feeds.isEmpty {
            feeds = source.feeds.compactMap { HTTPURL($0) }
        } else if !homepage.feeds.isEmpty {
            feeds = homepage.feeds
        } else if !remembered.isEmpty {
            feeds = remembered
        } else if homepage.answered, let home = HTTPURL(source.url) {
            let now = Date()
            feeds = FeedAutodiscovery.commonFeedURLs(for: home).filter { url in
                guard let row = channelRows[url.string], row.consecutiveFailures > 0, let last = row.lastFetched else { return true }
                return now.timeIntervalSince(last) > probeRetry
            }
            probing = true
        }
        if probing {
            // Guesses: the first that reads as a feed is the site's feed; failures are not the
            // source's fault and are not reported.
            for url in feeds {
                let read = await readFeed(url, context: context, row: channelRows[url.string], probe: true)
                if read.report.answered {
                    report.channels.append(read.report)
                    report.newURLs += read.newURLs
                    sitemapRoots += read.sitemapRoots
                    break
                }
            }
        } else {
            await withTaskGroup(of: FeedRead.self) { group in
                for url in feeds {
                    group.addTask { await self.readFeed(url, context: context, row: channelRows[url.string], probe: false) }
                }
                for await read in group {
                    report.channels.append(read.report)
                    report.newURLs += read.newURLs
                    sitemapRoots += read.sitemapRoots
                }
            }
        }

        for found in await robotsSitemaps {
            if let url = HTTPURL(found), context.policy.allows(url) { sitemapRoots.append(url) }
        }
        let walked = await walkSitemaps(sitemapRoots, context: context, rows: channelRows)
        report.channels += walked.reports
        report.newURLs += walked.newURLs

        let listed = await listings
        report.channels += listed.reports
        report.newURLs += listed.newURLs
        return report
    }

    // MARK: Homepage and listing pages

    struct PageLinks: Sendable {
        var links: [ArticleLink]
        var feeds: [HTTPURL]
    }

    struct PageRead: Sendable {
        var report: ChannelReport
        var newURLs = 0
        var feeds: [HTTPURL] = []
        /// The server answered (even with an error status).
        var answered = true
    }

    private func readHomepage(_ url: String, context: SourceContext, row: ChannelRow?) async -> PageRead {
        await readPage(url, kind: .homepage, context: context, row: row)
    }

    private func readListings(_ urls: [String], context: SourceContext, rows: [String: ChannelRow]) async
        -> (reports: [ChannelReport], newURLs: Int) {
        await withTaskGroup(of: PageRead.self) { group in
            for url in urls {
                group.addTask { await self.readPage(url, kind: .listing, context: context, row: rows[url]) }
            }
            var reports: [ChannelReport] = []
            var new = 0
            for await read in group {
                reports.append(read.report)
                new += read.newURLs
            }
            return (reports, new)
        }
    }

    /// A homepage or listing page: its article links, and (homepage) the feeds it announces.
    private func readPage(_ url: String, kind: ChannelKind, context: SourceContext, row: ChannelRow?) async -> PageRead {
        guard let pageURL = HTTPURL(url) else {
            return PageRead(report: ChannelReport(url: url, kind: kind, result: .failed("not an http(s) URL")))
        }
        let request = context.request(pageURL.string, kind: .page, etag: row?.etag, lastModified: row?.lastModified)
        let fetched = await fetchChannel(request, kind: kind, context: context)
        guard case .body(let response) = fetched else {
            var read = PageRead(report: ChannelReport(url: url, kind: kind, result: fetched.channelResult))
            if case .failed(_, let answered) = fetched { read.answered = answered }
            return read
        }
        let policy = context.policy
        // A configured pattern decides; without one, the lenient rule for pages that list articles.
        let matcher = context.hasPattern ? context.matcher : ListingLinks.everything
        let lenient = !context.hasPattern
        let wantsFeeds = kind == .homepage
        let parsed: PageLinks? = await cpu.run {
            guard let document = try? HTMLParser.parse(response.body, contentType: response.headers["Content-Type"],
                                                       url: response.finalURL) else { return nil }
            let base = HTTPURL(response.finalURL) ?? pageURL
            var links = ListingPage.articleLinks(in: document, pageURL: base, policy: policy, matcher: matcher)
            if lenient { links = links.filter { ListingLinks.keeps($0.url) } }
            let feeds = wantsFeeds ? FeedAutodiscovery.feeds(in: document, pageURL: base).map(\.url).filter { policy.allows($0) } : []
            return PageLinks(links: links, feeds: feeds)
        }
        guard let parsed else {
            await recordChannel(url, kind: kind, context: context, response: response, error: "cannot parse the page")
            return PageRead(report: ChannelReport(url: url, kind: kind, result: .failed("cannot parse the page")))
        }
        let urlKind: URLKind = kind == .homepage ? .homepage : .listing
        let discovered = parsed.links.map {
            DiscoveredURL(url: $0.url.string, source: context.name ?? "", kind: urlKind, titleHint: $0.text)
        }
        let new = await add(discovered)
        await recordChannel(url, kind: kind, context: context, response: response, error: nil)
        return PageRead(report: ChannelReport(url: url, kind: kind, result: .read(urls: discovered.count)), newURLs: new,
                        feeds: parsed.feeds)
    }

    // MARK: Feeds

    struct FeedRead: Sendable {
        var report: ChannelReport
        var newURLs = 0
        /// A "feed" that turned out to be a sitemap index: its children join the walk.
        var sitemapRoots: [HTTPURL] = []
    }

    private func readFeed(_ url: HTTPURL, context: SourceContext, row: ChannelRow?, probe: Bool) async -> FeedRead {
        let request = context.request(url.string, kind: .feed, etag: row?.etag, lastModified: row?.lastModified,
                                      maxBytes: SitemapLimits.maxBytes.asInt64)
        let fetched = await fetchChannel(request, kind: .feed, context: context, quiet: probe)
        guard case .body(let response) = fetched else {
            if probe, case .failed(let why, answered: true) = fetched {
                // The site says there is no feed here: not probed again for a while. A network
                // failure says nothing about the path and is not remembered.
                await recordChannel(url.string, kind: .feed, context: context, response: nil, error: why)
            }
            return FeedRead(report: ChannelReport(url: url.string, kind: .feed, result: fetched.channelResult))
        }
        switch await parseDiscoveryDocument(response, url: url) {
        case .failure(let why):
            await recordChannel(url.string, kind: .feed, context: context, response: response, error: why.description)
            return FeedRead(report: ChannelReport(url: url.string, kind: .feed, result: .failed(why.description)))
        case .success(.feed(let feed)):
            let discovered = feed.entries.filter { context.keeps($0.url, trustsEntries: true) }.map { entry in
                DiscoveredURL(url: entry.url.string, source: context.name ?? "", kind: .feed, titleHint: entry.title,
                              publishedHint: (entry.published ?? entry.updated)?.rfc3339,
                              modifiedHint: entry.updated?.rfc3339)
            }
            let new = await add(discovered)
            await recordChannel(url.string, kind: .feed, context: context, response: response, error: nil)
            return FeedRead(report: ChannelReport(url: url.string, kind: .feed, result: .read(urls: discovered.count)),
                            newURLs: new)
        case .success(.sitemap(let sitemap)):
            // A sitemap configured as a feed still works.
            switch sitemap {
            case .index(let children):
                await recordChannel(url.string, kind: .sitemapIndex, context: context, response: response, error: nil)
                return FeedRead(report: ChannelReport(url: url.string, kind: .sitemapIndex, result: .read(urls: 0)),
                                sitemapRoots: children.map(\.url).filter { context.policy.allows($0) })
            case .urlset(let entries):
                let discovered = sitemapURLs(entries, news: sitemap.isNews, context: context)
                let new = await add(discovered)
                await recordChannel(url.string, kind: sitemap.isNews ? .newsSitemap : .sitemap, context: context,
                                    response: response, error: nil)
                return FeedRead(report: ChannelReport(url: url.string, kind: .sitemap, result: .read(urls: discovered.count)),
                                newURLs: new)
            }
        }
    }

    // MARK: Sitemaps

    private func walkSitemaps(_ roots: [HTTPURL], context: SourceContext, rows: [String: ChannelRow]) async
        -> (reports: [ChannelReport], newURLs: Int) {
        var walk = SitemapWalk(roots: roots)
        var childLastModified: [HTTPURL: PublicationDate] = [:]
        var reports: [ChannelReport] = []
        var new = 0
        while let url = walk.next() {
            if Task.isCancelled { break }
            let row = rows[url.string]
            // An index says when each child last changed: one read since then is enough.
            if let lastmod = childLastModified[url], let row, row.consecutiveFailures == 0, let read = row.lastFetched,
               Self.childUnchanged(lastmod: lastmod, lastRead: read, now: Date(), trustFor: childTrust) {
                reports.append(ChannelReport(url: url.string, kind: row.kind, result: .unchanged))
                continue
            }
            let request = context.request(url.string, kind: .sitemap, etag: row?.etag, lastModified: row?.lastModified,
                                          maxBytes: SitemapLimits.maxBytes.asInt64)
            let fetched = await fetchChannel(request, kind: row?.kind ?? .sitemap, context: context)
            guard case .body(let response) = fetched else {
                reports.append(ChannelReport(url: url.string, kind: row?.kind ?? .sitemap, result: fetched.channelResult))
                continue
            }
            switch await parseDiscoveryDocument(response, url: url) {
            case .failure(let why):
                await recordChannel(url.string, kind: row?.kind ?? .sitemap, context: context, response: response,
                                    error: why.description)
                reports.append(ChannelReport(url: url.string, kind: row?.kind ?? .sitemap, result: .failed(why.description)))
            case .success(.sitemap(let sitemap)):
                if case .index(let children) = sitemap {
                    let allowed = children.filter { context.policy.allows($0.url) }
                    for child in allowed { if let lastmod = child.lastModified { childLastModified[child.url] = lastmod } }
                    walk.record(.index(allowed), from: url)
                    await recordChannel(url.string, kind: .sitemapIndex, context: context, response: response, error: nil)
                    reports.append(ChannelReport(url: url.string, kind: .sitemapIndex, result: .read(urls: 0)))
                } else {
                    let entries = walk.record(sitemap, from: url)
                    let discovered = sitemapURLs(entries, news: sitemap.isNews, context: context)
                    new += await add(discovered)
                    let kind: ChannelKind = sitemap.isNews ? .newsSitemap : .sitemap
                    await recordChannel(url.string, kind: kind, context: context, response: response, error: nil)
                    reports.append(ChannelReport(url: url.string, kind: kind, result: .read(urls: discovered.count)))
                }
            case .success(.feed(let feed)):
                let discovered = feed.entries.filter { context.keeps($0.url, trustsEntries: true) }.map { entry in
                    DiscoveredURL(url: entry.url.string, source: context.name ?? "", kind: .feed, titleHint: entry.title,
                                  publishedHint: (entry.published ?? entry.updated)?.rfc3339, modifiedHint: entry.updated?.rfc3339)
                }
                new += await add(discovered)
                await recordChannel(url.string, kind: .feed, context: context, response: response, error: nil)
                reports.append(ChannelReport(url: url.string, kind: .feed, result: .read(urls: discovered.count)))
            }
        }
        if walk.skipped > 0 {
            logger.debug("sitemap walk bounded", metadata: ["source": "\(context.name ?? "")", "skipped": "\(walk.skipped)"])
        }
        return (reports, new)
    }

    /// Sitemap entries as frontier URLs: news entries are articles by definition; ordinary
    /// entries (a sitemap lists every page of a site) pass the article matcher. An entry dated
    /// within the fresh window is fetched with the fresh items, the rest is backlog.
    func sitemapURLs(_ entries: [SitemapEntry], news: Bool, context: SourceContext, now: Date = Date()) -> [DiscoveredURL] {
        entries.compactMap { entry in
            let isNews = news || entry.news != nil
            guard context.keeps(entry.url, trustsEntries: isNews) else { return nil }
            if isNews {
                return DiscoveredURL(url: entry.url.string, source: context.name ?? "", kind: .newsSitemap,
                                     titleHint: entry.news?.title,
                                     publishedHint: (entry.news?.published ?? entry.lastModified)?.rfc3339,
                                     modifiedHint: entry.lastModified?.rfc3339)
            }
            let fresh = entry.lastModified.map { now.timeIntervalSince($0.date) <= freshWindow } ?? false
            return DiscoveredURL(url: entry.url.string, source: context.name ?? "", kind: .sitemap,
                                 priority: fresh ? URLKind.listing.defaultPriority : URLKind.sitemap.defaultPriority,
                                 publishedHint: entry.lastModified?.rfc3339, modifiedHint: entry.lastModified?.rfc3339)
        }
    }

    // MARK: Fetching and reading channels

    enum ChannelFetch: Sendable {
        case body(HTTPResponse)
        case notModified
        /// `answered`: the server sent a status (a 404, a wrong type), as opposed to a network
        /// failure that says nothing about the URL.
        case failed(String, answered: Bool)

        var channelResult: ChannelReport.Result {
            switch self {
            case .body: return .read(urls: 0)
            case .notModified: return .notModified
            case .failed(let why, _): return .failed(why)
            }
        }
    }

    private func fetchChannel(_ request: HTTPRequest, kind: ChannelKind, context: SourceContext, quiet: Bool = false) async -> ChannelFetch {
        do {
            switch try await client.fetch(request) {
            case .response(let response):
                return .body(response)
            case .notModified(let notModified):
                await recordChannel(request.url, kind: kind, context: context, status: 304, etag: notModified.etag,
                                    lastModified: notModified.lastModified, error: nil)
                return .notModified
            }
        } catch {
            if case .cancelled = error.reason { return .failed("cancelled", answered: false) }
            if !quiet {
                logger.notice("channel failed", metadata: ["source": "\(context.name ?? "")", "url": "\(request.url)",
                                                          "kind": "\(kind.rawValue)", "error": "\(error.description)"])
                await recordChannel(request.url, kind: kind, context: context, status: error.status, etag: nil,
                                    lastModified: nil, error: error.description)
            }
            var answered = error.status != nil
            switch error.reason {
            case .contentType, .tooLarge, .tooManyRedirects, .redirectRefused: answered = true
            default: break
            }
            return .failed(error.description, answered: answered)
        }
    }

    /// Reads a fetched feed or sitemap (gzip decompressed with the sitemap size limit) on the CPU pool.
    private func parseDiscoveryDocument(_ response: HTTPResponse, url: HTTPURL) async -> Result<DiscoveryDocument, ChannelError> {
        await cpu.run {
            var bytes = response.body
            if Gzip.isGzip(bytes) {
                do { bytes = try Gzip.decompress(bytes, limit: SitemapLimits.maxBytes) } catch {
                    return .failure(ChannelError("\(error)"))
                }
            }
            let base = HTTPURL(response.finalURL) ?? url
            do { return .success(try DiscoveryDocument.parse(bytes, url: base)) } catch {
                return .failure(ChannelError("\(error)"))
            }
        }
    }

    struct ChannelError: Error, Sendable, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    private func recordChannel(_ url: String, kind: ChannelKind, context: SourceContext, response: HTTPResponse?,
                               error: String?) async {
        await recordChannel(url, kind: kind, context: context, status: response?.status, etag: response?.etag,
                            lastModified: response?.lastModified, error: error)
    }

    private func recordChannel(_ url: String, kind: ChannelKind, context: SourceContext, status: Int?, etag: String?,
                               lastModified: String?, error: String?) async {
        let state = self.state, logger = self.logger
        let source = context.name ?? ""
        await store.run {
            do {
                try state.upsertChannel(url: url, source: source, kind: kind)
                try state.recordChannelFetch(url: url, at: Date(), status: status, etag: etag, lastModified: lastModified,
                                             nextDue: nil, error: error)
            } catch {
                logger.error("cannot record a channel", metadata: ["url": "\(url)", "error": "\(error)"])
            }
        }
    }

    /// Adds URLs to the frontier; returns how many were new.
    private func add(_ urls: [DiscoveredURL]) async -> Int {
        guard !urls.isEmpty else { return 0 }
        let state = self.state, logger = self.logger
        return await store.run {
            do { return try state.addURLs(urls) } catch {
                logger.error("cannot add URLs to the frontier", metadata: ["count": "\(urls.count)", "error": "\(error)"])
                return 0
            }
        }
    }
}

extension Int {
    var asInt64: Int64 { Int64(self) }
}
