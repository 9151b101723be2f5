import Foundation

/// A complete little news site on a `TestServer`, for end-to-end tests of discovery and the
/// daemon, and for the end-to-end benchmark: a homepage (feed links and article links), an RSS 2.0
/// feed, an Atom feed, a sitemap index pointing at a Google News sitemap, a gzipped sitemap and a
/// plain one, a listing page, robots.txt (with a `Disallow` and a `Sitemap:` line), and the
/// articles themselves with `ETag`/`Last-Modified` (304 on a matching conditional request).
///
/// Every document is built on each request from the current set of articles, so a test can add
/// an article (it appears in the channels that list it), edit one (new ETag and Last-Modified),
/// or remove one, while a daemon polls. Each article says which channels list it.
///
/// ```swift
/// let site = try FixtureSite()
/// site.put(FixtureSite.Article(path: "/news/1", html: page, title: "…", channels: [.rss, .sitemap]))
/// // http://127.0.0.1:PORT/ — the homepage; site.url("/feed.xml") …
/// ```
public final class FixtureSite: Sendable {
    /// Where an article is listed.
    public enum Channel: String, Sendable, Hashable, CaseIterable {
        /// `/feed.xml`, announced by the homepage.
        case rss
        /// `/atom.xml`, announced by the homepage.
        case atom
        /// `/sitemap-news.xml` (Google News), in the sitemap index.
        case newsSitemap
        /// `/sitemap-archive.xml.gz` (gzip body, `application/x-gzip`), in the sitemap index.
        case gzippedSitemap
        /// `/sitemap-pages.xml`, in the sitemap index.
        case sitemap
        /// `/section/news`, the listing page.
        case listing
        /// A link in the homepage's `<main>`.
        case homepage
    }

    public struct Article: Sendable {
        public var path: String
        public var body: [UInt8]
        public var contentType: String
        public var title: String
        public var published: Date
        public var channels: Set<Channel>
        /// Bumped by `put` when the body changes.
        public var version = 1
        public var lastModified: Date

        public init(path: String, html: String, title: String, published: Date = Date(),
                    channels: Set<Channel> = Set(Channel.allCases)) {
            self.init(path: path, body: Array(html.utf8), contentType: "text/html; charset=utf-8", title: title,
                      published: published, channels: channels)
        }

        public init(path: String, body: [UInt8], contentType: String, title: String, published: Date = Date(),
                    channels: Set<Channel> = Set(Channel.allCases)) {
            self.path = path
            self.body = body
            self.contentType = contentType
            self.title = title
            self.published = published
            self.channels = channels
            self.lastModified = published
        }

        public var etag: String { "\"v\(version)-\(body.count)\"" }
    }

    public let server: TestServer
    public let name: String
    private let articles = Locked<[String: Article]>([:])
    private let order = Locked<[String]>([])
    /// When each channel's list last changed (an article listed, unlisted, edited or removed): the
    /// sitemap index dates its children by it, as a server dates a file it rewrote. The newest
    /// entry's own date is not enough: listing an older article changes the file but not that date.
    private let channelChanged = Locked<[Channel: Date]>([:])
    /// robots.txt `Disallow` lines.
    public let disallow: [String]
    /// How many entries each sitemap urlset holds at most (more are split into numbered files).
    public let sitemapPageSize: Int

    /// Starts a server on `host` and serves the site from it.
    public init(host: String = "127.0.0.1", name: String = "Fixture News", disallow: [String] = ["/private/"],
                sitemapPageSize: Int = 1_000) throws {
        server = TestServer(host: host)
        self.name = name
        self.disallow = disallow
        self.sitemapPageSize = max(1, sitemapPageSize)
        try server.start()
        install()
    }

    public func stop() { server.stop() }

    public var baseURL: String { server.baseURL }
    public func url(_ path: String) -> String { server.url(path) }

    /// Adds an article or replaces the one at its path. A replacement with a different body gets a
    /// new version (ETag) and `Last-Modified` now.
    public func put(_ article: Article) {
        let changed: Set<Channel> = articles.withLock { all in
            var a = article
            var changed = a.channels
            if let old = all[a.path] {
                a.version = old.body == a.body ? old.version : old.version + 1
                a.lastModified = old.body == a.body ? old.lastModified : max(Date(), old.lastModified.addingTimeInterval(1))
                changed = old.body == a.body ? a.channels.symmetricDifference(old.channels) : a.channels.union(old.channels)
            }
            all[a.path] = a
            return changed
        }
        order.withLock { if !$0.contains(article.path) { $0.append(article.path) } }
        markChanged(changed)
    }

    public func remove(path: String) {
        let old = articles.withLock { $0.removeValue(forKey: path) }
        order.withLock { $0.removeAll { $0 == path } }
        markChanged(old?.channels ?? [])
    }

    private func markChanged(_ channels: Set<Channel>) {
        guard !channels.isEmpty else { return }
        let now = Date()
        channelChanged.withLock { for c in channels { $0[c] = now } }
    }

    public func article(at path: String) -> Article? { articles.withLock { $0[path] } }

    /// The articles in the order they were first added.
    public var all: [Article] {
        let paths = order.current
        return articles.withLock { a in paths.compactMap { a[$0] } }
    }

    /// Articles listed in `channel`, newest first.
    func listed(in channel: Channel) -> [Article] {
        all.filter { $0.channels.contains(channel) }.sorted { $0.published > $1.published }
    }

    // MARK: Routes

    private func install() {
        server.route("/") { [unowned self] _, w in try w.send(.html(self.homepage())) }
        server.route("/robots.txt") { [unowned self] _, w in try w.send(.text(self.robots())) }
        server.route("/feed.xml") { [unowned self] _, w in
            try w.send(.xml(self.rss(), contentType: "application/rss+xml; charset=utf-8"))
        }
        server.route("/atom.xml") { [unowned self] _, w in
            try w.send(.xml(self.atom(), contentType: "application/atom+xml; charset=utf-8"))
        }
        server.route("/sitemap_index.xml") { [unowned self] _, w in try w.send(.xml(self.sitemapIndex())) }
        server.route("/sitemap-news.xml") { [unowned self] _, w in try w.send(.xml(self.newsSitemap())) }
        server.route(prefix: "/sitemap-pages") { [unowned self] request, w in
            guard let page = Self.pageNumber(request.path, prefix: "/sitemap-pages", suffix: ".xml") else {
                try w.send(.status(404))
                return
            }
            try w.send(.xml(self.urlset(self.listed(in: .sitemap), page: page)))
        }
        server.route(prefix: "/sitemap-archive") { [unowned self] request, w in
            guard let page = Self.pageNumber(request.path, prefix: "/sitemap-archive", suffix: ".xml.gz") else {
                try w.send(.status(404))
                return
            }
            let xml = self.urlset(self.listed(in: .gzippedSitemap), page: page)
            try w.send(.bytes(ContentCoding.gzip.encode(Array(xml.utf8)), contentType: "application/x-gzip"))
        }
        server.route("/section/news") { [unowned self] _, w in try w.send(.html(self.listingPage())) }
        server.fallback { [unowned self] request, w in
            guard let article = self.article(at: request.path) else {
                try w.send(.html("<html><body><h1>Not found</h1></body></html>", status: 404))
                return
            }
            let response = TestResponse.bytes(article.body, contentType: article.contentType)
            try Handlers.conditional(response, etag: article.etag, lastModified: article.lastModified)(request, w)
        }
    }

    /// `/sitemap-pages.xml` → 1, `/sitemap-pages-3.xml` → 3.
    static func pageNumber(_ path: String, prefix: String, suffix: String) -> Int? {
        guard path.hasPrefix(prefix), path.hasSuffix(suffix) else { return nil }
        let middle = path.dropFirst(prefix.count).dropLast(suffix.count)
        if middle.isEmpty { return 1 }
        guard middle.hasPrefix("-"), let n = Int(middle.dropFirst()), n >= 1 else { return nil }
        return n
    }

    // MARK: Documents

    func homepage() -> String {
        var h = "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>\(Self.escape(name))</title>"
        h += "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"RSS\" href=\"/feed.xml\">"
        h += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Atom\" href=\"/atom.xml\">"
        h += "</head><body><header><nav><a href=\"/\">الرئيسية</a> <a href=\"/section/news\">أخبار</a> <a href=\"/tag/iran\">إيران</a></nav></header><main>"
        for a in listed(in: .homepage) {
            h += "<article class=\"card\"><h2><a href=\"\(a.path)?utm_source=home\">\(Self.escape(a.title))</a></h2></article>"
        }
        h += "</main><footer><a href=\"/about-us\">من نحن</a></footer></body></html>"
        return h
    }

    func listingPage() -> String {
        var h = "<!DOCTYPE html><html lang=\"ar\"><head><meta charset=\"utf-8\"><title>أخبار</title></head><body>"
        h += "<nav class=\"menu\"><a href=\"/\">الرئيسية</a><a href=\"/category/world\">العالم</a></nav><main><h1>أخبار</h1><ul>"
        for a in listed(in: .listing) {
            h += "<li><a href=\"\(a.path)\">\(Self.escape(a.title))</a></li>"
        }
        h += "</ul><div class=\"pagination\"><a href=\"/section/news?page=2\">2</a></div></main></body></html>"
        return h
    }

    func robots() -> String {
        var r = "User-agent: *\n"
        for d in disallow { r += "Disallow: \(d)\n" }
        r += "\nSitemap: \(url("/sitemap_index.xml"))\n"
        return r
    }

    func rss() -> String {
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>\(Self.escape(name))</title>"
        x += "<link>\(url("/"))</link><description>news</description>"
        for a in listed(in: .rss) {
            x += "<item><title>\(Self.escape(a.title))</title><link>\(url(a.path))?utm_source=rss&amp;utm_medium=feed</link>"
            x += "<guid isPermaLink=\"false\">\(a.path)</guid><pubDate>\(HTTPDateFormat.format(a.published))</pubDate></item>"
        }
        return x + "</channel></rss>\n"
    }

    func atom() -> String {
        var x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>\(Self.escape(name))</title>"
        x += "<id>\(url("/"))</id><updated>\(Self.iso(Date()))</updated><link rel=\"self\" href=\"/atom.xml\"/>"
        for a in listed(in: .atom) {
            x += "<entry><title>\(Self.escape(a.title))</title><link rel=\"alternate\" type=\"text/html\" href=\"\(a.path)\"/>"
            x += "<id>tag:fixture,\(a.path)</id><published>\(Self.iso(a.published))</published><updated>\(Self.iso(a.published))</updated></entry>"
        }
        return x + "</feed>\n"
    }

    func sitemapIndex() -> String {
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        x += "<sitemap><loc>\(url("/sitemap-news.xml"))</loc></sitemap>"
        for (prefix, suffix, channel) in [("/sitemap-archive", ".xml.gz", Channel.gzippedSitemap), ("/sitemap-pages", ".xml", .sitemap)] {
            let entries = listed(in: channel)
            let pages = max(1, (entries.count + sitemapPageSize - 1) / sitemapPageSize)
            for page in 1...pages {
                let path = page == 1 ? prefix + suffix : "\(prefix)-\(page)\(suffix)"
                let chunk = entries.dropFirst((page - 1) * sitemapPageSize).prefix(sitemapPageSize)
                let dates = chunk.map(\.lastModified) + [channelChanged.current[channel]].compactMap { $0 }
                let lastmod = dates.max().map { "<lastmod>\(Self.iso($0))</lastmod>" } ?? ""
                x += "<sitemap><loc>\(url(path))</loc>\(lastmod)</sitemap>"
            }
        }
        return x + "</sitemapindex>\n"
    }

    func newsSitemap() -> String {
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
        x += "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
        for a in listed(in: .newsSitemap) {
            x += "<url><loc>\(url(a.path))</loc><news:news><news:publication><news:name>\(Self.escape(name))</news:name>"
            x += "<news:language>ar</news:language></news:publication><news:publication_date>\(Self.iso(a.published))</news:publication_date>"
            x += "<news:title>\(Self.escape(a.title))</news:title></news:news></url>"
        }
        return x + "</urlset>\n"
    }

    func urlset(_ entries: [Article], page: Int) -> String {
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        for a in entries.dropFirst((page - 1) * sitemapPageSize).prefix(sitemapPageSize) {
            x += "<url><loc>\(url(a.path))</loc><lastmod>\(Self.iso(a.lastModified))</lastmod></url>"
        }
        return x + "</urlset>\n"
    }

    // MARK: Helpers

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// RFC 3339 in UTC, seconds precision.
    public static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// A news article page around a headline and paragraphs, with the menus, share buttons,
    /// related links and footer real pages carry.
    public static func newsPage(headline: String, paragraphs: [String], lang: String = "ar", published: Date? = nil,
                                canonical: String? = nil) -> String {
        let rtl = lang == "ar" || lang == "fa"
        var h = "<!DOCTYPE html><html lang=\"\(lang)\"\(rtl ? " dir=\"rtl\"" : "")><head><meta charset=\"utf-8\">"
        h += "<title>\(escape(headline)) | Fixture News</title>"
        if let canonical { h += "<link rel=\"canonical\" href=\"\(escape(canonical))\">" }
        if let published { h += "<meta property=\"article:published_time\" content=\"\(iso(published))\">" }
        h += "</head><body><header><nav class=\"main-menu\"><a href=\"/\">Home</a> <a href=\"/section/news\">News</a>"
        h += " <a href=\"/tag/world\">World</a></nav></header><main><article><h1>\(escape(headline))</h1>"
        h += "<div class=\"share-buttons\"><a href=\"https://facebook.com/sharer\">Facebook</a><a href=\"https://t.me/share\">Telegram</a></div>"
        h += "<div class=\"entry-content\">"
        for p in paragraphs { h += "<p>\(escape(p))</p>" }
        h += "</div></article><section class=\"related-posts\"><h3>Related</h3><ul><li><a href=\"/news/related-1\">One</a></li>"
        h += "<li><a href=\"/news/related-2\">Two</a></li></ul></section></main>"
        h += "<footer class=\"site-footer\"><p>© 2026 Fixture News</p></footer></body></html>"
        return h
    }
}
