/// A text ready for the corpus and what is known about it: the input of an append.
///
/// Plain data of the corpus's own (not the extractor's type), so the corpus knows nothing of
/// HTML: the service layer fills it from whatever produced the text.
public struct CorpusArticle: Sendable, Equatable {
    /// The rendered corpus text (`CorpusText.render`): headline line, paragraphs, final newline.
    public var text: String
    /// The URL fetched, after redirects, tracking parameters removed.
    public var url: String?
    /// The page's `rel=canonical` / `og:url`, when it names one.
    public var canonicalURL: String?
    /// The configured source's name.
    public var source: String?
    public var title: String?
    /// RFC 3339 with the page's offset, or a bare date.
    public var published: String?
    public var modified: String?
    public var author: String?
    /// ISO 639 code.
    public var lang: String?

    public init(text: String, url: String? = nil, canonicalURL: String? = nil, source: String? = nil,
                title: String? = nil, published: String? = nil, modified: String? = nil,
                author: String? = nil, lang: String? = nil) {
        self.text = text
        self.url = url
        self.canonicalURL = canonicalURL
        self.source = source
        self.title = title
        self.published = published
        self.modified = modified
        self.author = author
        self.lang = lang
    }
}
