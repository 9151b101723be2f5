/// The kind of feed a document was.
public enum FeedFormat: String, Sendable, Hashable {
    /// RSS 0.9x and 2.0 (`<rss><channel><item>`).
    case rss
    /// RSS 0.90 and 1.0 (`<rdf:RDF>` with `<item>` beside `<channel>`).
    case rdf
    /// Atom 1.0 (and the older Atom 0.3).
    case atom
}

/// One item of a feed: an article link and what the feed says about it.
public struct FeedEntry: Sendable, Hashable {
    /// Absolute (relative links resolved against `xml:base` and the feed URL) and canonical
    /// (`URLCanonicalizer.canonical`): tracking parameters gone. A FeedBurner `origLink` wins over
    /// the proxy link.
    public var url: HTTPURL
    /// One clean line, HTML removed; nil when the feed gives none.
    public var title: String?
    /// `pubDate`, `dc:date`, Atom `published`; RFC 3339 with the feed's own offset.
    public var published: PublicationDate?
    /// Atom `updated`, `dcterms:modified`.
    public var updated: PublicationDate?
    /// `author`, `dc:creator`, Atom `author/name` (the name, not an e-mail address).
    public var author: String?
    /// RSS `guid` or Atom `id`, as written.
    public var id: String?

    public init(url: HTTPURL, title: String? = nil, published: PublicationDate? = nil, updated: PublicationDate? = nil,
                author: String? = nil, id: String? = nil) {
        self.url = url
        self.title = title
        self.published = published
        self.updated = updated
        self.author = author
        self.id = id
    }

    /// The most recent date the feed gives for the entry (for ordering).
    public var latestDate: PublicationDate? {
        switch (published, updated) {
        case let (p?, u?): return max(p, u)
        case let (p, u): return p ?? u
        }
    }
}

/// A parsed feed.
public struct Feed: Sendable, Hashable {
    public var format: FeedFormat
    public var title: String?
    /// The site the feed belongs to (RSS `channel/link`, Atom `link rel=alternate`).
    public var homepage: HTTPURL?
    /// In document order, one per URL (the first wins).
    public var entries: [FeedEntry]

    public init(format: FeedFormat, title: String? = nil, homepage: HTTPURL? = nil, entries: [FeedEntry] = []) {
        self.format = format
        self.title = title
        self.homepage = homepage
        self.entries = entries
    }
}
