import KhabarDiscover

/// The ingestor's identity rule with the sources' site policies (DESIGN.md: an article's identity
/// is its canonical URL when that lies on the source's own site, else the URL fetched).
///
/// The rule takes only the two URLs (the corpus index is reconciled from the change log, which
/// has no policy in it), so the source is found by the fetched URL: the first configured source
/// whose site owns the URL's host; a URL no source owns (a `khabar fetch` of any page) is judged
/// by its own registrable domain. `URLCanonicalizer.articleIdentity` then decides — canonical
/// URL only when the policy allows it and it is not the front page stamped on every article.
///
/// The policies can be replaced (SIGHUP reload) while the ingestor runs.
public final class SiteIdentity: Sendable {
    private let policies: Guarded<[SitePolicy]>

    public init(sources: [SourceSettings]) {
        policies = Guarded(SiteIdentity.policies(of: sources))
    }

    /// Takes a new configuration's sources.
    public func update(sources: [SourceSettings]) {
        let fresh = SiteIdentity.policies(of: sources)
        policies.withLock { $0 = fresh }
    }

    static func policies(of sources: [SourceSettings]) -> [SitePolicy] {
        sources.map {
            SitePolicy(homepage: $0.url, feeds: $0.feeds, sitemaps: $0.sitemaps, listingPages: $0.listingPages,
                       allowedHosts: $0.allowedHosts)
        }
    }

    /// The identity of a page fetched from `url` that names `canonicalURL`.
    public func identity(url: String?, canonicalURL: String?) -> String? {
        guard let url, let fetched = HTTPURL(url) else {
            return canonicalURL.flatMap { URLCanonicalizer.canonical($0)?.string } ?? url
        }
        let named = canonicalURL.flatMap { URLCanonicalizer.canonical($0, base: fetched) }
        let policy = policies.withLock { list in list.first { $0.allows(fetched) } } ?? SitePolicy(homepage: fetched.string)
        return URLCanonicalizer.articleIdentity(fetchedURL: fetched, canonicalURL: named, policy: policy).string
    }

    /// The rule to give `IngestPolicy`.
    public var rule: ArticleIdentityRule {
        { [self] url, canonical in self.identity(url: url, canonicalURL: canonical) }
    }
}
