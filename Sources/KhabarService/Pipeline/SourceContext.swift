import KhabarDiscover
import KhabarHTTP

/// Everything the pipeline needs to know about the source a page belongs to, built once from the
/// configuration: its site policy (which links are its own), its article URL matcher, its filters,
/// and the hosts the operator configured (trusted whatever they resolve to).
public struct SourceContext: Sendable {
    /// The configured source's name; nil for an unattributed `khabar fetch`.
    public let name: String?
    public let settings: SourceSettings?
    /// Which URLs are the source's own (links, redirects, canonical URLs).
    public let policy: SitePolicy
    /// Which URLs are articles: the source's `article_url_pattern`, else the heuristic.
    public let matcher: ArticleURLMatcher
    /// Whether a pattern was configured (it then applies to every channel).
    public let hasPattern: Bool
    public let filter: ArticleFilter
    /// Hosts of the source's configured URLs: homepage, feeds, sitemaps, listing pages.
    public let trustedHosts: Set<String>

    /// The context of a configured source.
    public init(source: SourceSettings, daemon: DaemonSettings) {
        name = source.name
        settings = source
        policy = SitePolicy(homepage: source.url, feeds: source.feeds, sitemaps: source.sitemaps,
                            listingPages: source.listingPages, allowedHosts: source.allowedHosts)
        // The loader compiled the same pattern already; a failure here cannot happen, and the
        // heuristic is the safe reading if it ever did.
        let matcher = (try? ArticleURLMatcher(pattern: source.articleURLPattern)) ?? .heuristic
        self.matcher = matcher
        hasPattern = matcher.pattern != nil
        filter = ArticleFilter(minChars: daemon.minChars, languages: source.languages,
                               includeAny: source.includeAny, excludeAny: source.excludeAny)
        trustedHosts = SourceContext.hosts(of: [source.url] + source.feeds + source.sitemaps + source.listingPages)
    }

    /// The context of `khabar fetch URL` without `--source`: the URL's own site is its policy,
    /// and only `min_chars` and the not-an-article judgement apply (no topic or language filter).
    public static func manual(url: String, daemon: DaemonSettings) -> SourceContext {
        SourceContext(name: nil, settings: nil, policy: SitePolicy(homepage: url), matcher: .heuristic, hasPattern: false,
                      filter: ArticleFilter(minChars: daemon.minChars, languages: [], includeAny: [], excludeAny: []),
                      trustedHosts: [])
    }

    private init(name: String?, settings: SourceSettings?, policy: SitePolicy, matcher: ArticleURLMatcher,
                 hasPattern: Bool, filter: ArticleFilter, trustedHosts: Set<String>) {
        self.name = name
        self.settings = settings
        self.policy = policy
        self.matcher = matcher
        self.hasPattern = hasPattern
        self.filter = filter
        self.trustedHosts = trustedHosts
    }

    /// Lower-cased hosts of `urls` as the HTTP layer names them.
    static func hosts(of urls: [String]) -> Set<String> {
        Set(urls.compactMap { HTTPURL($0)?.host })
    }

    /// A request for `url` on behalf of this source: its configured hosts trusted (plus `extra`,
    /// such as the host of a URL the operator typed), redirects kept on the source's site.
    public func request(_ url: String, kind: RequestKind, etag: String? = nil, lastModified: String? = nil,
                        trusting extra: Set<String> = [], maxBytes: Int64? = nil) -> HTTPRequest {
        let policy = self.policy
        return HTTPRequest(url: url, kind: kind, etag: etag, lastModified: lastModified,
                           trustedHosts: trustedHosts.union(extra), maxBytes: maxBytes,
                           linkPolicy: { policy.allows($0) })
    }

    /// Whether discovery keeps `url` as an article URL of this source from a channel: the site
    /// policy always; the matcher when a pattern is configured or the channel lists pages of
    /// every kind (`trustsEntries` false: ordinary sitemaps, listing pages). Feed and news-sitemap
    /// entries are articles by definition.
    public func keeps(_ url: HTTPURL, trustsEntries: Bool) -> Bool {
        guard policy.allows(url) else { return false }
        if hasPattern || !trustsEntries { return matcher.matches(url) }
        return true
    }
}
