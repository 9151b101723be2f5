import Foundation
import KhabarDiscover
import Logging

/// Counts of outcomes per source, as the work goes: `poll`'s live progress line and summary,
/// the daemon's STATUS.
public final class HarvestProgress: Sendable {
    private let counts = Guarded<[String: [EventOutcome: Int]]>([:])
    private let error = Guarded<(time: Date, text: String)?>(nil)

    public init() {}

    public func add(_ outcome: EventOutcome, source: String) {
        counts.withLock { $0[source, default: [:]][outcome, default: 0] += 1 }
    }

    /// Outcome counts of one source.
    public func counts(source: String) -> [EventOutcome: Int] { counts.withLock { $0[source] ?? [:] } }

    /// Outcome counts over every source.
    public var totals: [EventOutcome: Int] {
        counts.withLock { all in all.values.reduce(into: [:]) { sum, one in sum.merge(one, uniquingKeysWith: +) } }
    }

    /// Remembers the latest failure (one line, with its source).
    public func noteError(_ text: String, at time: Date = Date()) {
        error.withLock { $0 = (time, text) }
    }

    public var lastError: (time: Date, text: String)? { error.current }
}

/// The work both `khabar poll` and `khabar run` do for a source: poll its channels (discovery,
/// then its next due time by `PollPolicy`), and drain its due URLs through the pipeline, a few at
/// a time, fresh items first (`DueOrder`). Each source's work is independent of every other's:
/// a dead host holds only its own source's tasks, which wait in the HTTP client without taking a
/// global slot.
public final class Harvester: Sendable {
    public let pipeline: ArticlePipeline
    public let discovery: SourceDiscovery
    public let progress: HarvestProgress
    let state: StateStore
    let store: BlockingPool
    let logger: Logger
    /// Pipeline tasks in flight per source.
    public let width: Int
    let order = DueOrder()
    /// Test-only (`TestHooks.pollEvery`): a fixed time between polls instead of `PollPolicy`.
    let pollEvery: Duration?
    /// Sources whose last cycle could not write the state (a poll or an outcome not recorded).
    private let stateTrouble = Guarded<Set<String>>([])

    public init(pipeline: ArticlePipeline, discovery: SourceDiscovery, state: StateStore, store: BlockingPool,
                logger: Logger, width: Int, progress: HarvestProgress = HarvestProgress(), pollEvery: Duration? = nil) {
        self.pipeline = pipeline
        self.discovery = discovery
        self.state = state
        self.store = store
        self.logger = logger
        self.width = max(1, width)
        self.progress = progress
        self.pollEvery = pollEvery
    }

    // MARK: Polling a source

    /// Polls the source's channels and records when it is due next (adaptive interval, jitter,
    /// backoff while it fails).
    public func poll(_ context: SourceContext) async -> DiscoveryReport {
        let report = await discovery.poll(context)
        if Task.isCancelled { return report }
        guard let name = context.name, let settings = context.settings else { return report }
        if report.failed {
            let why = report.firstError ?? "every channel failed"
            progress.noteError("\(name): \(why)")
            logger.warning("poll failed", metadata: ["source": "\(name)", "error": "\(why)"])
        } else {
            logger.info("polled", metadata: ["source": "\(name)", "new_urls": "\(report.newURLs)",
                                             "channels": "\(report.channels.filter(\.answered).count)/\(report.channels.count)"])
        }
        let state = self.state, logger = self.logger, pollEvery = self.pollEvery
        await store.run {
            do {
                let now = Date()
                let row = try state.source(named: name)
                let policy = PollPolicy(source: settings)
                let current = SourceSchedule(currentInterval: row?.pollInterval ?? policy.interval,
                                             consecutiveFailures: row?.consecutiveFailures ?? 0, nextPoll: row?.nextDue ?? now)
                var rng = SystemRandomNumberGenerator()
                var next = policy.next(after: current, outcome: report.failed ? .failed : .succeeded(newArticles: report.newURLs),
                                       now: now, using: &rng)
                if let pollEvery { next.nextPoll = now.addingTimeInterval(ScheduleMath.seconds(pollEvery)) }
                try state.recordPoll(source: name, at: now, nextDue: next.nextPoll,
                                     error: report.failed ? (report.firstError ?? "every channel failed") : nil,
                                     pollInterval: next.currentInterval)
            } catch {
                logger.error("cannot record a poll", metadata: ["source": "\(name)", "error": "\(error)"])
                self.stateTrouble.withLock { _ = $0.insert(name) }
            }
        }
        return report
    }

    // MARK: Fetching due URLs

    /// Runs the source's due URLs through the pipeline, `width` at a time, until none is due or
    /// `limit` were processed (nil: no limit). Returns how many were processed.
    @discardableResult
    public func drain(_ context: SourceContext, limit: Int? = nil) async -> Int {
        guard let name = context.name else { return 0 }
        var seen = Set<String>()
        var queue: [PageJob] = []
        var processed = 0
        var started = 0
        var exhausted = false
        await withTaskGroup(of: PageResult.self) { group in
            var running = 0
            while !Task.isCancelled {
                if queue.isEmpty && !exhausted && (limit.map { started < $0 } ?? true) {
                    let batch = await dueJobs(context, source: name, excluding: seen)
                    if batch.isEmpty { exhausted = true }
                    for job in batch { seen.insert(job.url) }
                    queue = batch
                }
                while running < width, !queue.isEmpty, limit.map({ started < $0 }) ?? true {
                    let job = queue.removeFirst()
                    started += 1
                    running += 1
                    group.addTask { await self.pipeline.process(job) }
                }
                if running == 0 { break }
                guard let result = await group.next() else { break }
                running -= 1
                processed += 1
                if result.unrecorded { stateTrouble.withLock { _ = $0.insert(name) } }
                if let outcome = result.outcome {
                    progress.add(outcome, source: name)
                    if outcome == .failed { progress.noteError("\(name): \(result.url): \(result.detail ?? result.line)") }
                }
            }
            // Cancelled: the children were cancelled with us; collect them so none outlives the drain.
            while let result = await group.next() {
                if let outcome = result.outcome { progress.add(outcome, source: name) }
            }
        }
        return processed
    }

    /// Whether the source's cycles since the last call could not write the state (disk full, a
    /// file-size limit, a read-only state folder), and forgets it. Its due times then did not
    /// move: the daemon pauses the source rather than poll and fetch it again at once, in a loop
    /// as fast as the work loop turns, while nothing can be recorded.
    public func takeStateTrouble(_ source: String) -> Bool {
        stateTrouble.withLock { $0.remove(source) != nil }
    }

    /// The next due URLs of a source as pipeline jobs, in `DueOrder`.
    func dueJobs(_ context: SourceContext, source: String, excluding seen: Set<String>) async -> [PageJob] {
        let state = self.state, logger = self.logger
        let rows: [FrontierURL] = await store.run {
            do { return try state.dueURLs(now: Date(), limit: 256 + self.width, source: source) } catch {
                logger.error("cannot read the frontier", metadata: ["source": "\(source)", "error": "\(error)"])
                return []
            }
        }
        let fresh = rows.filter { !seen.contains($0.url) }
        let now = Date()
        let byURL = Dictionary(fresh.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered = order.sorted(fresh.map(Harvester.dueURL), now: now)
        return ordered.compactMap { due in
            byURL[due.url].map { PageJob(url: $0.url, context: context, origin: due.origin, frontier: $0) }
        }
    }

    /// The frontier row as `DueOrder` sees it: a URL whose text is in the corpus is a revisit.
    static func dueURL(_ row: FrontierURL) -> DueURL {
        let origin: URLOrigin
        if row.corpusFile != nil && row.lastFetched != nil {
            origin = .revisit
        } else {
            switch row.kind {
            case .feed: origin = .feed
            case .newsSitemap: origin = .newsSitemap
            case .listing, .homepage: origin = .listingPage
            case .sitemap: origin = row.priority < URLKind.sitemap.defaultPriority ? .listingPage : .sitemap
            case .manual: origin = .manual
            }
        }
        let published = row.publishedHint.flatMap { PublicationDate.parse($0)?.date }
        return DueURL(url: row.url, origin: origin, published: published, discovered: row.firstSeen)
    }

    /// Whether the source has URLs due now.
    func hasDueURLs(_ source: String) async -> Bool {
        let state = self.state
        return await store.run { ((try? state.dueURLs(now: Date(), limit: 1, source: source)) ?? []).isEmpty == false }
    }
}
