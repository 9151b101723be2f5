/// The order and bounds of following a source's sitemaps during one poll — pure, so the caller's
/// fetch loop stays trivial and the policy is tested on its own:
///
/// ```swift
/// var walk = SitemapWalk(roots: configuredAndRobotsSitemaps)
/// while let url = walk.next() {
///     guard let bytes = try? await fetch(url) else { continue }
///     let sitemap = try SitemapParser.parse(bytes, url: url)
///     let entries = walk.record(sitemap, from: url)   // enqueues an index's children
///     frontier.add(entries)
/// }
/// ```
///
/// Children of an index are visited news sitemaps first (by name), then most recently modified
/// first, then in document order. Depth, the number of sitemaps and cycles (an index listing
/// itself) are bounded by `SitemapLimits`. Whether a child is unchanged since it was last read is
/// the caller's question (`SourceDiscovery.childUnchanged` in KhabarService: it knows when each
/// child was read, and a `lastmod` is only precise to its second or day).
public struct SitemapWalk: Sendable {
    private struct Pending: Sendable {
        var url: HTTPURL
        var depth: Int
        var lastModified: PublicationDate?
        var news: Bool
        var order: Int
    }

    private var pending: [Pending] = []
    private var seen = Set<HTTPURL>()
    private var depthOf: [HTTPURL: Int] = [:]
    private var order = 0
    private let maxDepth: Int
    private let maxSitemaps: Int

    /// Sitemaps handed out by `next()`.
    public private(set) var visited = 0
    /// Children not followed: too deep or over the count limit.
    public private(set) var skipped = 0

    public init(roots: [HTTPURL], maxDepth: Int = SitemapLimits.maxDepth, maxSitemaps: Int = SitemapLimits.maxSitemapsPerPoll) {
        self.maxDepth = maxDepth
        self.maxSitemaps = maxSitemaps
        for url in roots { enqueue(url, depth: 1, lastModified: nil, news: url.path.lowercased().contains("news")) }
    }

    /// The next sitemap to fetch; nil when the walk is over.
    public mutating func next() -> HTTPURL? {
        guard visited < maxSitemaps, !pending.isEmpty else {
            skipped += pending.count
            pending.removeAll()
            return nil
        }
        var best = 0
        for i in pending.indices.dropFirst() where Self.before(pending[i], pending[best]) { best = i }
        let chosen = pending.remove(at: best)
        visited += 1
        return chosen.url
    }

    /// Takes in a fetched sitemap. An index's children are queued; a urlset's entries are
    /// returned (an index returns none).
    @discardableResult
    public mutating func record(_ sitemap: Sitemap, from url: HTTPURL) -> [SitemapEntry] {
        switch sitemap {
        case .urlset(let entries):
            return entries
        case .index(let children):
            let depth = (depthOf[url] ?? 1) + 1
            for child in children {
                if depth > maxDepth {
                    skipped += 1
                } else {
                    enqueue(child.url, depth: depth, lastModified: child.lastModified, news: child.looksLikeNews)
                }
            }
            return []
        }
    }

    private mutating func enqueue(_ url: HTTPURL, depth: Int, lastModified: PublicationDate?, news: Bool) {
        guard seen.insert(url).inserted else { return }
        depthOf[url] = depth
        pending.append(Pending(url: url, depth: depth, lastModified: lastModified, news: news, order: order))
        order += 1
    }

    /// News first; then the most recent `lastmod` (known before unknown); then document order.
    private static func before(_ a: Pending, _ b: Pending) -> Bool {
        if a.news != b.news { return a.news }
        switch (a.lastModified, b.lastModified) {
        case let (x?, y?) where x != y: return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.order < b.order
        }
    }
}

/// Reads an XML document fetched for discovery as whatever it turns out to be, so that a feed
/// configured under `sitemaps` (or the reverse) still works.
public enum DiscoveryDocument: Sendable {
    case feed(Feed)
    case sitemap(Sitemap)

    public static func parse(_ bytes: [UInt8], url: HTTPURL) throws(DiscoveryError) -> DiscoveryDocument {
        do {
            return .sitemap(try SitemapParser.parse(bytes, url: url))
        } catch {
            guard case .notASitemap(_, let root) = error else { throw error }
            switch root {
            case "rss", "channel", "RDF", "feed": return .feed(try FeedParser.parse(bytes, url: url))
            default: throw .notAFeed(url: url.string, root: root)
            }
        }
    }
}
