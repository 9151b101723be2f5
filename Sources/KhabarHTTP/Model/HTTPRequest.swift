/// What a fetched document is for. It decides the media types accepted, so a feed URL that
/// answers with an image or an HTML error page stops at the headers instead of being parsed.
public enum RequestKind: String, Sendable, Equatable, CaseIterable {
    /// An article or listing page: HTML or XHTML.
    case page
    /// RSS, Atom or RDF.
    case feed
    /// A sitemap or sitemap index, XML, text or gzip.
    case sitemap
    /// `/robots.txt`, plain text.
    case robots

    /// The media types (lower case, no parameters) this kind accepts. A response without a
    /// `Content-Type` is accepted too: the parser sniffs, and refusing would lose real sites.
    public var acceptedMediaTypes: Set<String> {
        switch self {
        case .page: return Self.pageTypes
        case .feed: return Self.feedTypes
        case .sitemap: return Self.sitemapTypes
        case .robots: return Self.robotsTypes
        }
    }

    private static let xmlTypes: Set<String> = [
        "application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    ]
    private static let pageTypes: Set<String> = ["text/html", "application/xhtml+xml"]
    private static let feedTypes = xmlTypes.union(["text/plain", "application/gzip", "application/x-gzip"])
    /// `.xml.gz` sitemaps are very often served as `application/octet-stream`; the sitemap reader
    /// checks the gzip magic number itself.
    private static let sitemapTypes = xmlTypes.union(["text/plain", "application/gzip", "application/x-gzip",
                                                      "application/octet-stream"])
    /// The RFC's type is text/plain, but misconfigured servers send their robots.txt as text/html or
    /// octet-stream; ignoring rules for that would be impolite (the parser finds no rules in a real
    /// HTML page, so a soft 404 still means "allow all").
    private static let robotsTypes: Set<String> = ["text/plain", "text/html", "application/octet-stream"]

    /// Whether a media type (lower case, no parameters) is acceptable. Feeds and sitemaps also
    /// take any `+xml` type (`application/rss+xml`, `application/atom+xml`, …).
    public func accepts(mediaType: String) -> Bool {
        if acceptedMediaTypes.contains(mediaType) { return true }
        switch self {
        case .feed, .sitemap: return mediaType.hasSuffix("+xml")
        case .page, .robots: return false
        }
    }

    /// The `Accept` header sent for this kind.
    var acceptHeader: String {
        switch self {
        case .page: return "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
        case .feed: return "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
        case .sitemap: return "application/xml,text/xml;q=0.9,text/plain;q=0.5,*/*;q=0.1"
        case .robots: return "text/plain,*/*;q=0.1"
        }
    }
}

/// One document to fetch, with what the caller knows about it.
public struct HTTPRequest: Sendable {
    /// An absolute `http` or `https` URL.
    public var url: String
    public var kind: RequestKind
    /// The stored `ETag`, sent as `If-None-Match`.
    public var etag: String?
    /// The stored `Last-Modified`, sent verbatim as `If-Modified-Since`.
    public var lastModified: String?
    /// Host names (lower case) the operator configured — a source's own host, its feed and sitemap
    /// hosts, the host of a URL given to `khabar fetch`. They are used whatever they resolve to, so an
    /// intranet source works; every other host (a redirect target, a sibling host) has the address
    /// libcurl connects to checked, unless `allowPrivateAddresses` is set.
    public var trustedHosts: Set<String>
    /// Decides whether a redirect may go to a URL. The service supplies the source's policy
    /// (registrable domain, listed hosts); the default admits any http/https URL. Redirects to a
    /// trusted host are always admitted. The address check applies either way.
    public var linkPolicy: @Sendable (String) -> Bool
    /// Overrides the body limit of the settings for this request.
    public var maxBytes: Int64?

    public init(url: String, kind: RequestKind = .page, etag: String? = nil, lastModified: String? = nil,
                trustedHosts: Set<String> = [], maxBytes: Int64? = nil,
                linkPolicy: @escaping @Sendable (String) -> Bool = HTTPRequest.anyWebURL) {
        self.url = url
        self.kind = kind
        self.etag = etag
        self.lastModified = lastModified
        self.trustedHosts = Set(trustedHosts.map { $0.lowercased() })
        self.maxBytes = maxBytes
        self.linkPolicy = linkPolicy
    }

    /// The default link policy: any http or https URL (the scheme is checked again by the client).
    public static let anyWebURL: @Sendable (String) -> Bool = { url in
        let lower = url.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// A request whose URL's own host is trusted: what `khabar fetch URL` and a configured source use.
    public static func trusting(_ url: String, kind: RequestKind = .page) -> HTTPRequest {
        var request = HTTPRequest(url: url, kind: kind)
        if let parts = URLParts(url) { request.trustedHosts = [parts.host] }
        return request
    }
}
