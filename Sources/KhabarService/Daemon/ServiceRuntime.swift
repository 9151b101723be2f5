import Foundation
import KhabarExtract
import KhabarHTTP
import Logging

/// Everything a running Khabar needs, opened once from a configuration: the HTTP client, the
/// corpus and state (through the ingestor), the blocking pools, the pipeline and the harvester.
/// `khabar run`, `khabar poll` and `khabar fetch` all start here.
public final class ServiceRuntime: Sendable {
    public let client: HTTPClient
    public let ingestor: Ingestor
    public let identity: SiteIdentity
    public let pipeline: ArticlePipeline
    public let discovery: SourceDiscovery
    public let harvester: Harvester
    public let cpu: BlockingPool
    public let store: BlockingPool
    public let logger: Logger
    public let daemonSettings: DaemonSettings
    /// What opening the corpus and reconciling the index repaired.
    public let corpusReport: ReconcileReport
    public let indexReport: IndexReconcileReport
    private let contextsByName: Guarded<[SourceContext]>

    /// Opens the corpus and the state (reconciling both) and starts the HTTP client and pools.
    public init(configuration: Configuration, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger = Logger(label: "khabar")) throws(IngestError) {
        ProcessSetup.ignoreFileSizeSignal()
        let daemon = configuration.daemon
        let hooks = TestHooks(environment: environment)
        identity = SiteIdentity(sources: configuration.sources)
        let opened = try Ingestor.open(corpusDirectory: daemon.corpusDir, stateDatabase: daemon.stateDB,
                                       policy: IngestPolicy(settings: daemon, identity: identity.rule))
        ingestor = opened.ingestor
        corpusReport = opened.corpus
        indexReport = opened.index
        daemonSettings = daemon
        self.logger = logger
        client = HTTPClient(settings: ServiceRuntime.httpSettings(daemon, environment: environment))
        cpu = BlockingPool(threads: max(2, ProcessInfo.processInfo.activeProcessorCount), name: "khabar-cpu")
        // Appends and SQLite writes. More than one thread: an ingest hashes, folds and fingerprints
        // its text before it takes the corpus lock (measured: a third of the CPU of a poll), and
        // that part runs in parallel; the appends themselves take the lock one at a time.
        store = BlockingPool(threads: max(2, ProcessInfo.processInfo.activeProcessorCount), name: "khabar-store")
        var schedule = URLSchedule(revisits: RevisitPlan(daemon: daemon))
        if let base = hooks.retryBase { schedule.retryBase = base }
        pipeline = ArticlePipeline(client: client, ingestor: ingestor, schedule: schedule, cpu: cpu, store: store, logger: logger)
        discovery = SourceDiscovery(client: client, state: opened.ingestor.state, cpu: cpu, store: store, logger: logger)
        harvester = Harvester(pipeline: pipeline, discovery: discovery, state: opened.ingestor.state, store: store,
                              logger: logger, width: max(4, daemon.perHostConcurrency * 2), pollEvery: hooks.pollEvery)
        contextsByName = Guarded(configuration.sources.map { SourceContext(source: $0, daemon: daemon) })
    }

    public var state: StateStore { ingestor.state }

    /// The sources' contexts, in configuration order.
    public var contexts: [SourceContext] { contextsByName.current }

    /// Takes a reloaded configuration's sources (the `[daemon]` table needs a restart).
    public func update(sources: [SourceSettings]) {
        let daemon = daemonSettings
        contextsByName.withLock { $0 = sources.map { SourceContext(source: $0, daemon: daemon) } }
        identity.update(sources: sources)
    }

    /// Makes the configured sources known to the state (due at once when new).
    public func registerSources() throws(StateError) {
        try state.upsertSources(contexts.compactMap { c in c.settings.map { ($0.name, $0.url) } })
    }

    /// Ends the HTTP client's transfers and thread, then the pools (queued jobs finish first).
    public func close() async {
        await client.shutdown()
        cpu.shutdown()
        store.shutdown()
    }

    /// The HTTP client's settings from `[daemon]`.
    ///
    /// `KHABAR_UNSAFE_IGNORE_ROBOTS=1` in the environment switches robots.txt off — for the
    /// end-to-end benchmark against one's own loopback fixture site only; never set it for real
    /// sites. It is the only politeness switch outside the configuration (`per_host_delay = "0s"`
    /// and `per_host_concurrency` are ordinary keys).
    public static func httpSettings(_ daemon: DaemonSettings, environment: [String: String]) -> HTTPClientSettings {
        var s = HTTPClientSettings(userAgent: daemon.userAgent, maxConcurrency: daemon.maxConcurrency,
                                   perHostConcurrency: daemon.perHostConcurrency, perHostDelay: daemon.perHostDelay,
                                   timeout: daemon.timeout, maxAttempts: daemon.maxAttempts,
                                   allowPrivateAddresses: daemon.allowPrivateAddresses, maxPageBytes: daemon.maxPageBytes)
        if environment["KHABAR_UNSAFE_IGNORE_ROBOTS"] == "1" { s.obeyRobots = false }
        if daemon.timeout < s.connectTimeout { s.connectTimeout = daemon.timeout }
        return s
    }
}

/// Process-wide set-up every command that writes the corpus does.
public enum ProcessSetup {
    /// `SIGXFSZ` ignored, so a file-size limit (`RLIMIT_FSIZE`) makes an append fail with EFBIG,
    /// a typed corpus error, instead of killing the process half way (docs/corpus.md).
    public static func ignoreFileSizeSignal() {
        signal(SIGXFSZ, SIG_IGN)
    }
}
