import Foundation
import KhabarExtract
import KhabarHTTP
import Logging

/// One article URL through DESIGN.md's data flow, as small named stages that each return a value:
///
/// ```
/// fetch (FetchStage) → parse + extract (ExtractStage) → judge (JudgeStage)
///   → identity (IdentityStage) → ingest (IngestStage: dedupe, revise, append, index, event)
/// ```
///
/// Every URL ends in exactly one outcome and one event row (the ingestor writes its own; the
/// pipeline writes the rest), and the frontier learns what the fetch taught (validators, status,
/// next due). A page that cannot be parsed is a `failed` event, never a crash.
///
/// Blocking work never runs on the cooperative pool: extraction goes to `cpu`, the append and
/// the SQLite writes to `store`. A cancelled task (the daemon stopping) gives up before the
/// append, never inside it, and records nothing: the URL stays due for the next start.
public final class ArticlePipeline: Sendable {
    public let client: HTTPClient
    /// nil: a dry run (nothing written anywhere).
    public let ingestor: Ingestor?
    public let schedule: URLSchedule
    let extractor: Extractor
    let cpu: BlockingPool
    let store: BlockingPool
    let logger: Logger

    public init(client: HTTPClient, ingestor: Ingestor?, schedule: URLSchedule, cpu: BlockingPool, store: BlockingPool,
                logger: Logger, extractor: Extractor = Extractor()) {
        self.client = client
        self.ingestor = ingestor
        self.schedule = schedule
        self.cpu = cpu
        self.store = store
        self.logger = logger
        self.extractor = extractor
    }

    /// Runs `job` through every stage and records its outcome (event and frontier). Without an
    /// ingestor it stops after the judgement and writes nothing (`fetch --dry-run`).
    public func process(_ job: PageJob) async -> PageResult {
        let started = Date()
        var result: PageResult
        switch await FetchStage.fetch(job, client: client) {
        case .failed(let error):
            if case .cancelled = error.reason { return PageResult.cancelled(job.url) }
            result = failedFetch(job, error)
        case .notModified(let notModified):
            result = PageResult(url: job.url, outcome: .notModified, line: "not modified")
            result.finalURL = notModified.finalURL
            result.httpStatus = 304
            result.milliseconds = FetchStage.milliseconds(notModified.elapsed)
            result.etag = notModified.etag
            result.lastModified = notModified.lastModified
        case .page(let response):
            result = await handle(response, job: job, started: started)
        }
        if result.cancelled { return result }
        if let ingestor {
            let recorded = result
            let schedule = self.schedule
            let logger = self.logger
            let saved = await store.run {
                ArticlePipeline.record(recorded, job: job, at: started, ingestor: ingestor, schedule: schedule, logger: logger)
            }
            if !saved { result.unrecorded = true }
        }
        log(result, job: job)
        return result
    }

    // MARK: Stages after the fetch

    private func handle(_ response: HTTPResponse, job: PageJob, started: Date) async -> PageResult {
        var result = PageResult(url: job.url, outcome: nil, line: "")
        result.finalURL = response.finalURL
        result.httpStatus = response.status
        result.bytes = response.byteCount
        result.milliseconds = FetchStage.milliseconds(response.elapsed)
        result.etag = response.etag
        result.lastModified = response.lastModified

        let extractor = self.extractor
        let extracted = await cpu.run { ExtractStage.extract(response, extractor: extractor) }
        let article: Article
        switch extracted {
        case .failure(let error):
            result.outcome = .failed
            result.detail = "parse: \(error)"
            result.line = "failed: \(error)"
            return result
        case .success(let a):
            article = a
        }
        result.article = article
        let corpusArticle = IdentityStage.corpusArticle(article, finalURL: response.finalURL, source: job.context.name,
                                                        titleHint: job.titleHint)
        result.corpusArticle = corpusArticle
        result.canonicalURL = corpusArticle.canonicalURL

        let judgement = JudgeStage.judge(article, text: corpusArticle.text, filter: job.context.filter)
        result.judgement = judgement
        if let refused = judgement.outcome {
            result.outcome = refused
            result.detail = judgement.detail
            result.line = judgement.line
            return result
        }
        guard let ingestor else {
            result.line = "would be ingested (dry run)"
            return result
        }
        // Stopping: give up before the append, never inside it.
        if Task.isCancelled { return PageResult.cancelled(job.url) }
        let facts = FetchFacts(time: started, httpStatus: response.status, bytes: response.byteCount,
                               milliseconds: result.milliseconds)
        switch await store.run({ IngestStage.ingest(corpusArticle, facts: facts, ingestor: ingestor) }) {
        case .success(let outcome):
            result.ingest = outcome
            result.outcome = outcome.eventOutcome
            result.line = outcome.summary
        case .failure(.recordingFailed(let outcome, let error)):
            // The text is in the corpus; its index row and event were not written (the next
            // start indexes the file). Report what happened to the text.
            result.ingest = outcome
            result.outcome = outcome.eventOutcome
            result.line = "\(outcome.summary) (state not updated: \(error))"
            logger.error("the state was not updated after an append", metadata: ["file": "\(outcome.record?.file.name ?? "")", "error": "\(error)"])
        case .failure(let error):
            result.outcome = .failed
            result.detail = "\(error)"
            result.line = "failed: \(error)"
            result.transient = true   // a full disk or a locked state passes
            result.localFault = true  // …and is not the URL's fault: it must not use up its attempts
        }
        return result
    }

    private func failedFetch(_ job: PageJob, _ error: FetchError) -> PageResult {
        let outcome: EventOutcome
        if case .robotsDenied = error.reason { outcome = .robotsDenied } else { outcome = .failed }
        var result = PageResult(url: job.url, outcome: outcome, line: "failed: \(error.description)")
        result.finalURL = error.url
        result.httpStatus = error.status
        result.milliseconds = FetchStage.milliseconds(error.elapsed)
        result.detail = outcome == .robotsDenied ? error.description : "\(error.code): \(error.description)"
        result.failure = error.reason
        result.retryAfter = error.retryAfter
        result.transient = URLSchedule.isTransient(error.reason)
        return result
    }

    // MARK: Recording

    /// Writes the outcome's event (unless the ingestor wrote it) and the frontier update. Runs on
    /// the store pool; a failure to record is logged, never fatal. Returns whether it was written.
    @discardableResult
    static func record(_ result: PageResult, job: PageJob, at time: Date, ingestor: Ingestor, schedule: URLSchedule,
                       logger: Logger) -> Bool {
        guard let outcome = result.outcome else { return true }
        let state = ingestor.state
        do {
            if result.ingest == nil {
                try state.record(IngestEvent(time: time, source: job.context.name, url: job.url, outcome: outcome,
                                             httpStatus: result.httpStatus, bytes: result.bytes,
                                             milliseconds: result.milliseconds,
                                             title: result.corpusArticle?.title,
                                             chars: result.corpusArticle.map { $0.text.unicodeScalars.count },
                                             detail: result.detail))
            }
            var addedAt: Date?
            if let file = job.frontier?.corpusFile {
                addedAt = try state.indexEntry(named: file)?.time ?? job.frontier?.firstSeen
            }
            let now = Date()
            let next = schedule.next(after: result, previousAttempts: job.frontier?.attempts ?? 0, addedAt: addedAt, now: now)
            try state.recordURLFetch(URLFetchUpdate(
                url: job.url, fetchedAt: now, httpStatus: result.httpStatus, outcome: outcome, etag: result.etag,
                lastModified: result.lastModified, nextDue: next.nextDue, attempts: next.attempts,
                revisitStep: next.revisitStep, corpusFile: result.ingest?.record?.file.name,
                canonicalURL: result.canonicalURL), source: job.context.name ?? "")
            return true
        } catch {
            logger.error("cannot record an outcome", metadata: ["url": "\(job.url)", "outcome": "\(outcome.rawValue)", "error": "\(error)"])
            return false
        }
    }

    private func log(_ result: PageResult, job: PageJob) {
        guard let outcome = result.outcome else { return }
        var metadata: Logger.Metadata = ["outcome": "\(outcome.rawValue)", "url": "\(job.url)"]
        if let source = job.context.name { metadata["source"] = "\(source)" }
        if let status = result.httpStatus { metadata["status"] = "\(status)" }
        if let ms = result.milliseconds { metadata["ms"] = "\(ms)" }
        if let file = result.ingest?.record?.file.name { metadata["file"] = "\(file)" }
        if let detail = result.detail { metadata["detail"] = "\(detail)" }
        switch outcome {
        case .added, .revised: logger.info("\(result.line)", metadata: metadata)
        case .failed: logger.notice("\(result.line)", metadata: metadata)
        default: logger.debug("\(result.line)", metadata: metadata)
        }
    }
}

extension PageResult {
    /// The work was abandoned (the daemon is stopping): nothing recorded, the URL stays due.
    static func cancelled(_ url: String) -> PageResult {
        var r = PageResult(url: url, outcome: nil, line: "cancelled")
        r.cancelled = true
        return r
    }
}
