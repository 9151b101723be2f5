import KhabarHTML

/// Discovery of article URLs: feeds, sitemaps, listing pages, URL canonicalisation and policy.
///
/// Every part is a pure function from bytes or a parsed document to values: no network, no
/// files, no clock (a `now` is passed where time matters). The service fetches; this module
/// reads what was fetched. See docs/discovery.md.
public enum KhabarDiscover {}

/// Why a fetched document yielded nothing. Each case names the URL, so the description is a
/// complete log line.
public enum DiscoveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a document libxml2 can read (or were refused: entity declarations).
    case unreadable(url: String, DocumentError)
    /// An XML document, but not RSS, RDF or Atom (its root element is named).
    case notAFeed(url: String, root: String)
    /// An XML document, but neither a sitemap index nor a urlset (its root element is named).
    case notASitemap(url: String, root: String)
    /// `article_url_pattern` does not compile (the configuration loader checks this first).
    case badPattern(String)

    public var description: String {
        switch self {
        case .unreadable(let url, let error): return "cannot read \(url): \(error)"
        case .notAFeed(let url, let root): return "\(url) is not an RSS or Atom feed (root element <\(root)>)"
        case .notASitemap(let url, let root): return "\(url) is not a sitemap (root element <\(root)>)"
        case .badPattern(let p): return "the article URL pattern \"\(p)\" is not a valid regular expression"
        }
    }
}
