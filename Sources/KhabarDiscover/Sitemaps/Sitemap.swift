import KhabarHTML

/// What the Google News sitemap extension says about a URL.
public struct NewsInfo: Sendable, Hashable {
    /// `news:title`, one clean line.
    public var title: String?
    /// `news:publication_date`, with its offset.
    public var published: PublicationDate?
    /// `news:publication/news:name`.
    public var publicationName: String?
    /// `news:publication/news:language` (ISO 639, as the sitemap writes it: `ar`, `fa`, `zh-cn`).
    public var language: String?

    public init(title: String? = nil, published: PublicationDate? = nil, publicationName: String? = nil, language: String? = nil) {
        self.title = title
        self.published = published
        self.publicationName = publicationName
        self.language = language
    }
}

/// One `<url>` of a urlset.
public struct SitemapEntry: Sendable, Hashable {
    /// Absolute and canonical (tracking parameters removed).
    public var url: HTTPURL
    /// `<lastmod>`.
    public var lastModified: PublicationDate?
    /// Present in Google News sitemaps.
    public var news: NewsInfo?

    public init(url: HTTPURL, lastModified: PublicationDate? = nil, news: NewsInfo? = nil) {
        self.url = url
        self.lastModified = lastModified
        self.news = news
    }

    /// The publication date when the sitemap gives one, else the last modification.
    public var latestDate: PublicationDate? { news?.published ?? lastModified }
}

/// One `<sitemap>` of a sitemap index: a child sitemap to fetch.
public struct SitemapReference: Sendable, Hashable {
    public var url: HTTPURL
    public var lastModified: PublicationDate?

    public init(url: HTTPURL, lastModified: PublicationDate? = nil) {
        self.url = url
        self.lastModified = lastModified
    }

    /// True when the URL's name suggests a news sitemap (`news-sitemap.xml`, `sitemap_news.xml`,
    /// `/sitemaps/news/…`), which is worth fetching first.
    public var looksLikeNews: Bool {
        url.path.lowercased().contains("news")
    }
}

/// A parsed sitemap: an index of sitemaps or a set of page URLs.
public enum Sitemap: Sendable, Hashable {
    case index([SitemapReference])
    case urlset([SitemapEntry])

    /// True for a urlset any of whose entries carries Google News data.
    public var isNews: Bool {
        if case .urlset(let entries) = self { return entries.contains { $0.news != nil } }
        return false
    }

    public var isIndex: Bool {
        if case .index = self { return true }
        return false
    }

    /// How many references or entries it holds.
    public var count: Int {
        switch self {
        case .index(let refs): return refs.count
        case .urlset(let entries): return entries.count
        }
    }
}

/// Bounds on following sitemaps, so a hostile or enormous site cannot make a poll endless.
/// The caller's loop (or `SitemapWalk`) applies them.
public enum SitemapLimits {
    /// Index → index → urlset: the protocol allows one level of index; real sites use two.
    public static let maxDepth = 3
    /// Sitemaps fetched per source per poll (indexes included).
    public static let maxSitemapsPerPoll = 100
    /// URLs read from one sitemap; the protocol's own limit.
    public static let maxEntriesPerSitemap = 50_000
    /// The protocol's size limit for one sitemap, after decompression.
    public static let maxBytes = 50 * 1_024 * 1_024
}
