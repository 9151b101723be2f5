import KhabarHTML

/// A feed a homepage announces.
public struct FeedLink: Sendable, Hashable {
    public var url: HTTPURL
    /// The `title` attribute, cleaned; nil when absent.
    public var title: String?
    /// The declared media type, lower case (`application/rss+xml` …).
    public var type: String

    public init(url: HTTPURL, title: String? = nil, type: String) {
        self.url = url
        self.title = title
        self.type = type
    }
}

/// Finding a site's feeds: the `<link rel="alternate">` elements of its homepage, and failing
/// those, the paths where feeds usually live.
public enum FeedAutodiscovery {
    /// Feed types Khabar reads. `application/rdf+xml`, `application/xml` and `text/xml` are
    /// accepted only when the link's address or title says feed, RSS or Atom (the types are used
    /// for other things too).
    static let feedTypes: Set<String> = ["application/rss+xml", "application/atom+xml", "application/rss", "application/atom"]
    static let genericXMLTypes: Set<String> = ["application/rdf+xml", "application/xml", "text/xml", "text/rss+xml"]

    /// The feeds `document` (a homepage fetched from `pageURL`) announces, in document order,
    /// comment feeds left out (WordPress announces one per site and per post).
    public static func feeds(in document: Document, pageURL: HTTPURL) -> [FeedLink] {
        guard let root = document.root else { return [] }
        let base = URLCanonicalizer.baseURL(of: document, documentURL: pageURL)
        var out: [FeedLink] = []
        var seen = Set<HTTPURL>()
        for element in root.descendantElements where element.isElement(named: "link") {
            guard let rel = element.attribute("rel"),
                  rel.lowercased().split(whereSeparator: \.isWhitespace).contains("alternate"),
                  let href = element.attribute("href"),
                  let type = element.attribute("type")?.trimmedSpaces.lowercased() else { continue }
            let title = element.attribute("title").flatMap { FeedText.line($0, markup: false) }
            let hint = (href + " " + (title ?? "")).lowercased()
            guard feedTypes.contains(type)
                    || (genericXMLTypes.contains(type) && (hint.contains("rss") || hint.contains("feed") || hint.contains("atom"))) else { continue }
            guard let url = URLCanonicalizer.canonical(href, base: base) else { continue }
            if isCommentFeed(url: url, title: title) { continue }
            if seen.insert(url).inserted { out.append(FeedLink(url: url, title: title, type: type)) }
        }
        return out
    }

    /// Paths tried, in this order, when a homepage announces no feed: WordPress (`/feed`,
    /// `/?feed=rss2`), generic (`/rss`, `/rss.xml`, `/feed.xml`, `/atom.xml`, `/index.xml` of
    /// Hugo, `/index.rss`), Blogger (`/feeds/posts/default`), and `/rss/all` as Iranian and
    /// Arab agencies' CMSs serve.
    public static let commonPaths = [
        "/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/feeds/posts/default",
        "/?feed=rss2", "/index.rss", "/rss/all",
    ]

    /// `commonPaths` as URLs for `homepage`. A homepage in a sub-directory (`/fa/`, `/ar/`) has
    /// its own feeds there: those come first, then the site root's.
    public static func commonFeedURLs(for homepage: HTTPURL) -> [HTTPURL] {
        var out: [HTTPURL] = []
        var seen = Set<HTTPURL>()
        var directory = homepage.path
        if let slash = directory.lastIndex(of: "/") { directory = String(directory[...slash]) }
        var prefixes: [String] = []
        if directory != "/" { prefixes.append(String(directory.dropLast())) }
        prefixes.append("")
        for prefix in prefixes {
            for path in commonPaths {
                if let url = homepage.resolve(prefix + path), seen.insert(url).inserted { out.append(url) }
            }
        }
        return out
    }

    private static func isCommentFeed(url: HTTPURL, title: String?) -> Bool {
        let path = url.path.lowercased()
        if path.contains("/comments/feed") || path.hasSuffix("/comments") { return true }
        if let t = title?.lowercased(), t.contains("comments feed") || t.contains("comments for") { return true }
        // WordPress in Arabic ("… » خلاصة التعليقات") and Persian ("… » خوراک دیدگاه‌ها").
        if let t = title, t.contains("خلاصة التعليقات") || t.contains("خوراک دیدگاه") || t.contains("خوراک نظرات") { return true }
        return false
    }
}
