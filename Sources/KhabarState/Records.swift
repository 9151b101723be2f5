import Foundation

/// An ingestion outcome (DESIGN.md, "State"): every fetched URL ends in exactly one.
public enum EventOutcome: String, Sendable, CaseIterable, Comparable {
    case added
    case revised
    case duplicate
    case nearDuplicate = "near_duplicate"
    case notModified = "not_modified"
    case filtered
    case tooShort = "too_short"
    case notArticle = "not_article"
    case robotsDenied = "robots_denied"
    case failed

    /// True when the URL's text is (already) in the corpus.
    public var endedInCorpus: Bool {
        switch self {
        case .added, .revised, .duplicate, .notModified: return true
        default: return false
        }
    }

    public static func < (a: EventOutcome, b: EventOutcome) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One row of the ingestion event log.
public struct IngestEvent: Sendable, Equatable {
    /// Assigned by the store; nil before recording.
    public var id: Int64?
    public var time: Date
    public var source: String?
    public var url: String?
    public var outcome: EventOutcome
    public var httpStatus: Int?
    public var bytes: Int?
    /// Time the fetch took, in milliseconds.
    public var milliseconds: Int?
    /// The corpus file written (added, revised).
    public var file: String?
    /// The corpus file this outcome refers to: the existing text of a duplicate or
    /// near-duplicate, the version a revision supersedes.
    public var relatedFile: String?
    public var title: String?
    /// Characters of the extracted text, when there was one (added, revised, too_short…).
    public var chars: Int?
    /// Why: the filter that dropped it, the failure (`timeout after 30 s`, `HTTP 404`…).
    public var detail: String?

    public init(id: Int64? = nil, time: Date = Date(), source: String? = nil, url: String? = nil, outcome: EventOutcome,
                httpStatus: Int? = nil, bytes: Int? = nil, milliseconds: Int? = nil, file: String? = nil,
                relatedFile: String? = nil, title: String? = nil, chars: Int? = nil, detail: String? = nil) {
        self.id = id
        self.time = time
        self.source = source
        self.url = url
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.bytes = bytes
        self.milliseconds = milliseconds
        self.file = file
        self.relatedFile = relatedFile
        self.title = title
        self.chars = chars
        self.detail = detail
    }
}

/// Which events to read. Empty lists mean "any".
public struct EventQuery: Sendable, Equatable {
    /// Inclusive lower bound.
    public var since: Date?
    /// Exclusive upper bound.
    public var until: Date?
    public var sources: [String] = []
    public var outcomes: [EventOutcome] = []
    /// Exact URLs (an article's URLs: fetched and canonical, across its versions).
    public var urls: [String] = []
    /// Corpus files the events wrote or refer to (an article's versions).
    public var files: [String] = []
    /// Substring of the URL, title, detail or file (ASCII case-insensitive).
    public var grep: String?
    /// Only events with a larger id (for `--follow`).
    public var afterID: Int64?
    public var limit: Int?

    public init(since: Date? = nil, until: Date? = nil, sources: [String] = [], outcomes: [EventOutcome] = [],
                urls: [String] = [], files: [String] = [], grep: String? = nil, afterID: Int64? = nil, limit: Int? = nil) {
        self.since = since
        self.until = until
        self.sources = sources
        self.outcomes = outcomes
        self.urls = urls
        self.files = files
        self.grep = grep
        self.afterID = afterID
        self.limit = limit
    }
}

/// Counts of outcomes for one source over a window (for `status`).
public struct SourceOutcomeCount: Sendable, Equatable {
    public var source: String
    public var outcome: EventOutcome
    public var count: Int
    /// Sum of `chars` over these events (average text length = chars / count).
    public var chars: Int
}

/// One corpus file as the index knows it.
public struct IndexEntry: Sendable, Equatable {
    public var name: String
    public var number: Int
    /// `hash16` of the content (for an adopted file, possibly not the hash in its name).
    public var hash: String
    /// Hash of the folded text: two versions whose folded forms are equal are not a revision.
    public var foldHash: String
    /// The near-duplicate fingerprint; nil for texts too short to have one.
    public var fingerprint: UInt64?
    public var chars: Int
    public var size: Int
    /// Adopted from before the change log (no line of its own).
    public var adopted: Bool
    /// `added` or `revised` (nil for adopted files).
    public var action: String?
    /// The change log's `ts`.
    public var time: Date?
    public var url: String?
    public var canonicalURL: String?
    /// The article's identity: what a revision is a revision of.
    public var identity: String?
    public var source: String?
    public var title: String?
    public var published: String?
    public var lang: String?
    public var supersedes: String?
    public var nearDuplicateOf: String?

    public init(name: String, number: Int, hash: String, foldHash: String, fingerprint: UInt64?, chars: Int, size: Int,
                adopted: Bool = false, action: String? = nil, time: Date? = nil, url: String? = nil,
                canonicalURL: String? = nil, identity: String? = nil, source: String? = nil, title: String? = nil,
                published: String? = nil, lang: String? = nil, supersedes: String? = nil, nearDuplicateOf: String? = nil) {
        self.name = name
        self.number = number
        self.hash = hash
        self.foldHash = foldHash
        self.fingerprint = fingerprint
        self.chars = chars
        self.size = size
        self.adopted = adopted
        self.action = action
        self.time = time
        self.url = url
        self.canonicalURL = canonicalURL
        self.identity = identity
        self.source = source
        self.title = title
        self.published = published
        self.lang = lang
        self.supersedes = supersedes
        self.nearDuplicateOf = nearDuplicateOf
    }
}

/// The closest indexed fingerprint to a query.
public struct NearMatch: Sendable, Equatable {
    public var name: String
    public var number: Int
    public var distance: Int
}

/// A configured source as the state remembers it.
public struct SourceRow: Sendable, Equatable {
    public var name: String
    public var url: String
    public var firstSeen: Date
    public var lastPoll: Date?
    public var nextDue: Date?
    public var lastSuccess: Date?
    public var consecutiveFailures: Int
    public var lastError: String?
    public var lastErrorAt: Date?
    /// The adaptive poll interval the scheduler reached; nil until a poll recorded one.
    public var pollInterval: Duration?
}

/// How a discovery channel is read.
public enum ChannelKind: String, Sendable, CaseIterable {
    case homepage, feed
    case newsSitemap = "news_sitemap"
    case sitemap
    case sitemapIndex = "sitemap_index"
    case listing
}

/// A discovery channel (homepage, feed, sitemap, listing page) with its validators.
public struct ChannelRow: Sendable, Equatable {
    public var url: String
    public var source: String
    public var kind: ChannelKind
    public var firstSeen: Date
    public var lastFetched: Date?
    public var nextDue: Date?
    public var etag: String?
    public var lastModified: String?
    public var lastStatus: Int?
    public var consecutiveFailures: Int
    public var lastError: String?
}

/// Where an article URL was found; decides its default priority.
public enum URLKind: String, Sendable, CaseIterable {
    case feed
    case newsSitemap = "news_sitemap"
    case listing
    case sitemap
    case homepage
    case manual

    /// Lower is fetched first: what a feed or news sitemap announces is fresh news; a plain
    /// sitemap is a backlog.
    public var defaultPriority: Int {
        switch self {
        case .manual: return 0
        case .feed, .newsSitemap: return 1
        case .homepage, .listing: return 2
        case .sitemap: return 3
        }
    }
}

/// An article URL discovery found, with the hints its channel gave.
public struct DiscoveredURL: Sendable, Equatable {
    public var url: String
    public var source: String
    public var kind: URLKind
    public var priority: Int
    public var titleHint: String?
    public var publishedHint: String?
    /// A sitemap's `lastmod`: when it changes, the URL is due again.
    public var modifiedHint: String?

    public init(url: String, source: String, kind: URLKind, priority: Int? = nil, titleHint: String? = nil,
                publishedHint: String? = nil, modifiedHint: String? = nil) {
        self.url = url
        self.source = source
        self.kind = kind
        self.priority = priority ?? kind.defaultPriority
        self.titleHint = titleHint
        self.publishedHint = publishedHint
        self.modifiedHint = modifiedHint
    }
}

/// A frontier row.
public struct FrontierURL: Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var source: String
    public var kind: URLKind
    public var priority: Int
    public var titleHint: String?
    public var publishedHint: String?
    public var modifiedHint: String?
    public var firstSeen: Date
    public var lastFetched: Date?
    public var nextDue: Date?
    /// Consecutive failed attempts (reset by a success).
    public var attempts: Int
    public var etag: String?
    public var lastModified: String?
    public var lastStatus: Int?
    public var lastOutcome: EventOutcome?
    public var corpusFile: String?
    public var canonicalURL: String?
    /// Index into the configured `revisit` offsets of the next re-fetch.
    public var revisitStep: Int

    public init(id: Int64, url: String, source: String, kind: URLKind, priority: Int, titleHint: String?, publishedHint: String?,
                modifiedHint: String?, firstSeen: Date, lastFetched: Date?, nextDue: Date?, attempts: Int, etag: String?,
                lastModified: String?, lastStatus: Int?, lastOutcome: EventOutcome?, corpusFile: String?, canonicalURL: String?,
                revisitStep: Int) {
        self.id = id
        self.url = url
        self.source = source
        self.kind = kind
        self.priority = priority
        self.titleHint = titleHint
        self.publishedHint = publishedHint
        self.modifiedHint = modifiedHint
        self.firstSeen = firstSeen
        self.lastFetched = lastFetched
        self.nextDue = nextDue
        self.attempts = attempts
        self.etag = etag
        self.lastModified = lastModified
        self.lastStatus = lastStatus
        self.lastOutcome = lastOutcome
        self.corpusFile = corpusFile
        self.canonicalURL = canonicalURL
        self.revisitStep = revisitStep
    }
}

/// What one fetch of a frontier URL taught us.
public struct URLFetchUpdate: Sendable, Equatable {
    public var url: String
    public var fetchedAt: Date
    public var httpStatus: Int?
    public var outcome: EventOutcome
    public var etag: String?
    public var lastModified: String?
    /// nil: never again.
    public var nextDue: Date?
    public var attempts: Int
    public var revisitStep: Int
    public var corpusFile: String?
    public var canonicalURL: String?

    public init(url: String, fetchedAt: Date, httpStatus: Int?, outcome: EventOutcome, etag: String? = nil,
                lastModified: String? = nil, nextDue: Date?, attempts: Int = 0, revisitStep: Int = 0,
                corpusFile: String? = nil, canonicalURL: String? = nil) {
        self.url = url
        self.fetchedAt = fetchedAt
        self.httpStatus = httpStatus
        self.outcome = outcome
        self.etag = etag
        self.lastModified = lastModified
        self.nextDue = nextDue
        self.attempts = attempts
        self.revisitStep = revisitStep
        self.corpusFile = corpusFile
        self.canonicalURL = canonicalURL
    }
}

/// The daemon registered on this state.
public struct DaemonRow: Sendable, Equatable {
    public var pid: Int32
    public var host: String
    public var started: Date
    public var heartbeat: Date
}
