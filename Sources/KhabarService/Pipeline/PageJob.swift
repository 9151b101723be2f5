import Foundation
import KhabarExtract
import KhabarHTTP

/// One article URL to run through the pipeline, with what the frontier knows about it.
public struct PageJob: Sendable {
    /// The URL to fetch (canonical form).
    public var url: String
    public var context: SourceContext
    /// How the URL entered the frontier (a revisit when its text is already in the corpus).
    public var origin: URLOrigin
    /// The frontier's row, when the URL is known (attempts, corpus file, validators).
    public var frontier: FrontierURL?
    /// A title discovery gave (feed entry, news sitemap, link text): the change log's `title`
    /// when the page yields no headline.
    public var titleHint: String?
    /// Extra hosts to trust (the host of a URL the operator typed).
    public var trustedHosts: Set<String>

    public init(url: String, context: SourceContext, origin: URLOrigin, frontier: FrontierURL? = nil,
                titleHint: String? = nil, trustedHosts: Set<String> = []) {
        self.url = url
        self.context = context
        self.origin = origin
        self.frontier = frontier
        self.titleHint = titleHint ?? frontier?.titleHint
        self.trustedHosts = trustedHosts
    }

    /// Validators to send: only when the URL's text is in the corpus, since a 304 then means
    /// "still the text you have". A URL that was filtered or too short last time is fetched in
    /// full, so a changed configuration can judge it again.
    public var validators: (etag: String?, lastModified: String?) {
        guard let row = frontier, row.lastOutcome?.endedInCorpus == true, row.corpusFile != nil else { return (nil, nil) }
        return (row.etag, row.lastModified)
    }
}

/// What happened to one URL: the outcome (DESIGN.md's list) with everything its event row and the
/// frontier need, and the line `khabar fetch` prints.
public struct PageResult: Sendable {
    public var url: String
    /// After redirects.
    public var finalURL: String?
    /// The outcome; nil when the work was cancelled (the daemon is stopping): nothing recorded.
    public var outcome: EventOutcome?
    public var httpStatus: Int?
    /// Decoded body bytes.
    public var bytes: Int?
    /// Time of the fetch, milliseconds.
    public var milliseconds: Int?
    /// The event's detail: why (failed, filtered, too short, not an article), what matched.
    public var detail: String?
    /// What the ingestor did, for outcomes that reached it.
    public var ingest: IngestOutcome?
    /// The extracted article (kept for `fetch --dry-run`).
    public var article: Article?
    /// What the corpus would receive (dry run) or received.
    public var corpusArticle: CorpusArticle?
    /// The judgement of the article before the corpus.
    public var judgement: Judgement?
    /// The page's canonical URL (canonicalised).
    public var canonicalURL: String?
    public var etag: String?
    public var lastModified: String?
    /// The fetch failure, when the fetch failed.
    public var failure: FetchFailure?
    /// When another try makes sense, when the failure says so.
    public var retryAfter: Date?
    /// Whether the failure will likely pass (network, 5xx, a full disk): the URL is tried again
    /// later. False for failures that are the page's own (404, not HTML, unparsable).
    public var transient = false
    /// The failure was this machine's, not the page's: the corpus or the state could not be
    /// written (read-only folder, EFBIG, a full disk, a locked database). It does not count
    /// against the URL's attempts: the URL is tried again every `retryBase` until the fault is
    /// gone, so a disk fault that outlasts five retries loses no article.
    public var localFault = false
    /// The state could not record the outcome (event, frontier): the URL's due time did not
    /// move, so it is due again at once. The daemon pauses the source's cycles then
    /// (`Harvester.takeStateTrouble`), instead of fetching the page again as fast as it can.
    public var unrecorded = false
    /// The one line `khabar fetch` prints for this URL.
    public var line: String
    /// The work was abandoned because the task was cancelled (the daemon is stopping).
    public var cancelled = false

    public init(url: String, outcome: EventOutcome?, line: String) {
        self.url = url
        self.outcome = outcome
        self.line = line
    }

    /// True when the URL's text is (already) in the corpus, as `khabar fetch`'s exit code counts:
    /// added, revised, duplicate, near-duplicate or not modified.
    public var endedWell: Bool {
        switch outcome {
        case .added?, .revised?, .duplicate?, .nearDuplicate?, .notModified?: return true
        default: return false
        }
    }
}
