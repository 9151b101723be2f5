import KhabarText

/// What the extractor found on one page: the article text as clean paragraphs, its metadata, and
/// whether the page is an article at all (a homepage, a listing or a tag page is not).
public struct Article: Sendable, Equatable {
    /// The headline, cleaned to corpus rules; nil when none was found.
    public var headline: String?
    /// The body, one paragraph each, every one already clean per `CorpusText.cleanParagraph` and
    /// never empty.
    public var paragraphs: [String]
    /// RFC 3339 keeping the page's own offset (`2022-07-19T11:30:00+04:30`), `Z` when the page
    /// gives UTC or no offset, or the date alone (`2022-07-19`) when the page gives only a day.
    public var published: String?
    /// Same format as `published`.
    public var modified: String?
    public var author: String?
    /// Absolute URL from `rel=canonical` or `og:url`.
    public var canonicalURL: String?
    public var siteName: String?
    /// ISO 639-1 code (`ar`, `fa`, `en` …).
    public var language: String?
    public var description: String?
    /// False for homepages, listings, tag pages and pages with too little text.
    public var isArticle: Bool
    /// One line saying why the page is not an article; nil when it is.
    public var notArticleReason: String?

    public init(headline: String? = nil, paragraphs: [String] = [], published: String? = nil,
                modified: String? = nil, author: String? = nil, canonicalURL: String? = nil,
                siteName: String? = nil, language: String? = nil, description: String? = nil,
                isArticle: Bool = true, notArticleReason: String? = nil) {
        self.headline = headline
        self.paragraphs = paragraphs
        self.published = published
        self.modified = modified
        self.author = author
        self.canonicalURL = canonicalURL
        self.siteName = siteName
        self.language = language
        self.description = description
        self.isArticle = isArticle
        self.notArticleReason = notArticleReason
    }

    /// The text in the corpus file format: headline (when any) on line 1, then one paragraph per line.
    public var text: String { CorpusText.render(headline: headline, paragraphs: paragraphs) }

    /// The body alone, paragraphs joined by newlines (the benchmark's `articleBody`).
    public var body: String { paragraphs.joined(separator: "\n") }

    /// Unicode characters of the body.
    public var bodyCharacters: Int { paragraphs.reduce(0) { $0 + $1.unicodeScalars.count } }
}

/// Knobs of the extractor. The defaults are what Khabar ingests with.
public struct ExtractionOptions: Sendable, Equatable {
    /// A body shorter than this (Unicode characters) makes the page "not an article".
    public var minArticleCharacters: Int
    /// Use a JSON-LD `articleBody` when the page's markup yields clearly less of it.
    public var useJSONLDBody: Bool

    public init(minArticleCharacters: Int = 250, useJSONLDBody: Bool = true) {
        self.minArticleCharacters = minArticleCharacters
        self.useJSONLDBody = useJSONLDBody
    }
}

/// Why a page could not be extracted at all (a page that is merely not an article is not an error:
/// see `Article.isArticle`).
public enum ExtractionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No bytes.
    case empty
    /// The page is larger than the extractor accepts.
    case tooLarge(bytes: Int, limit: Int)
    /// libxml2 could not make a document of the bytes.
    case unparsable(String)
    /// The document has no `<html>`/`<body>` element to read.
    case noContent

    public var description: String {
        switch self {
        case .empty: return "empty page"
        case .tooLarge(let bytes, let limit): return "page too large (\(bytes) bytes, limit \(limit))"
        case .unparsable(let why): return "cannot parse the page: \(why)"
        case .noContent: return "the page has no document body"
        }
    }
}
