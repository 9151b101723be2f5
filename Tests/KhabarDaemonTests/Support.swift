import Foundation
import KhabarService
import KhabarTestSupport
import Testing

/// The repository's root folder.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
}()

/// `../shared` beside the repository (seeds and bench pages).
let sharedFolder = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

/// The `khabar` binary `swift build` put beside the tests.
let khabarBinary = ChildProcess.buildDirectory.appendingPathComponent("khabar").path

/// A temporary folder with a configuration, a corpus and a state of its own, and the real
/// `khabar` binary to drive.
final class Workspace: @unchecked Sendable {
    let folder: URL
    var corpus: String { folder.appendingPathComponent("corpus").path }
    var stateDB: String { folder.appendingPathComponent("state/khabar.sqlite").path }
    var config: String { folder.appendingPathComponent("khabar.toml").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-daemon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Writes the configuration: `[daemon]` with this workspace's corpus and state and fast test
    /// timings, `daemon` overriding or adding keys (values as TOML), then the sources.
    func configure(daemon overrides: [String: String] = [:], sources: [String]) throws {
        var settings: [(String, String)] = [
            ("corpus_dir", "\"\(corpus)\""), ("state_db", "\"\(stateDB)\""), ("per_host_delay", "\"0s\""),
            ("per_host_concurrency", "4"), ("timeout", "\"20s\""), ("max_attempts", "1"), ("revisit", "[\"1h\"]"),
        ]
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            if let i = settings.firstIndex(where: { $0.0 == key }) { settings[i].1 = value } else { settings.append((key, value)) }
        }
        var text = "[daemon]\n" + settings.map { "\($0.0) = \($0.1)\n" }.joined()
        for s in sources { text += "\n[[source]]\n\(s)\n" }
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o644)
    }

    /// A source table for a fixture site (its homepage and listing page).
    static func source(_ name: String, site: FixtureSite, extra: String = "") -> String {
        """
        name = "\(name)"
        url = "\(site.url("/"))"
        listing_pages = ["\(site.url("/section/news"))"]
        interval = "15m"
        \(extra)
        """
    }

    /// Runs `khabar ARGS --config CONFIG` to its end (waiting on a thread of its own).
    func khabar(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120)) async throws -> ChildResult {
        let config = self.config
        return try await offThePool {
            try ChildProcess.run(khabarBinary, arguments + ["--config", config], environment: environment, timeout: timeout)
        }
    }

    /// Starts `khabar ARGS --config CONFIG` in the background.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> SpawnedProcess {
        try ChildProcess.start(khabarBinary, arguments + ["--config", config], environment: environment)
    }

    /// The corpus files (`NNN_hash.txt`), sorted.
    var corpusFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
    }

    /// The change log's lines as objects.
    var changes: [[String: Any]] {
        guard let text = try? String(contentsOfFile: corpus + "/changes.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// URLs of `added` lines, in order.
    var addedURLs: [String] { changes.filter { $0["action"] as? String == "added" }.compactMap { $0["url"] as? String } }

    /// The state, opened in this process (reads only).
    func state() throws -> StateStore { try StateStore(path: stateDB) }

    func events(_ outcome: EventOutcome? = nil, source: String? = nil) throws -> [IngestEvent] {
        try state().events(matching: EventQuery(sources: source.map { [$0] } ?? [], outcomes: outcome.map { [$0] } ?? []))
    }

    /// `khabar verify` and the independent Python format check both pass on the corpus.
    func expectCorpusChecksPass(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let verify = try await khabar(["verify"])
        #expect(verify.status == 0, "verify: \(verify.stdout) \(verify.stderr)", sourceLocation: sourceLocation)
        let corpus = self.corpus
        let check = try await offThePool {
            try ChildProcess.run("/usr/bin/env", ["python3", repositoryRoot.appendingPathComponent("Tests/tools/check_corpus.py").path, corpus])
        }
        #expect(check.status == 0, "check_corpus.py: \(check.stdout) \(check.stderr)", sourceLocation: sourceLocation)
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
@discardableResult
func waitUntil(_ timeout: Duration, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

/// Runs blocking work (waiting for a child process, reading a socket) on a thread of its own.
/// Swift Testing runs suites in parallel on the cooperative pool, which has one thread per core:
/// a test blocking one of them for seconds stalls every other test's awaits (and their timing).
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

extension SpawnedProcess {
    /// `wait(timeout:)` without holding a cooperative thread.
    func finish(timeout: Duration = .seconds(120)) async -> ChildResult {
        await offThePool { self.wait(timeout: timeout) }
    }

    /// Sends `signal` and waits for the end; the time it took is measured on the waiting thread,
    /// so a busy test runner cannot add to it.
    func stop(with signal: Int32, timeout: Duration = .seconds(20)) async -> (result: ChildResult, took: Duration) {
        await offThePool {
            let start = ContinuousClock.now
            self.signal(signal)
            let result = self.wait(timeout: timeout)
            return (result, ContinuousClock.now - start)
        }
    }
}

extension NotifySocket {
    /// `collect(until:timeout:)` without holding a cooperative thread.
    func gather(until predicate: @escaping @Sendable (String) -> Bool, timeout: Duration) async -> [String] {
        await offThePool { self.collect(until: predicate, timeout: timeout) }
    }

    /// `receive(timeout:)` without holding a cooperative thread.
    func next(timeout: Duration = .seconds(2)) async -> String? {
        await offThePool { self.receive(timeout: timeout) }
    }
}

// MARK: Fixture articles

/// Articles made from the seed corpus (`../shared/seeds`): each seed's first line as the headline,
/// its other non-empty lines as paragraphs, in a realistic news page.
enum SeedArticles {
    struct Seed {
        var name: String
        var headline: String
        var paragraphs: [String]
        var lang: String
    }

    static func load() throws -> [Seed] {
        let folder = sharedFolder.appendingPathComponent("seeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        return try names.map { name in
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let lines = text.split(separator: "\n").map { $0.replacingOccurrences(of: "\u{00A0}", with: " ").trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            let persian = name.hasPrefix("000")
            return Seed(name: name, headline: lines.first ?? name, paragraphs: Array(lines.dropFirst()), lang: persian ? "fa" : "ar")
        }
    }

    static func article(_ seed: Seed, path: String, channels: Set<FixtureSite.Channel>, hoursAgo: Double = 1,
                        extraParagraph: String? = nil) -> FixtureSite.Article {
        let published = Date().addingTimeInterval(-hoursAgo * 3_600)
        let paragraphs = seed.paragraphs + (extraParagraph.map { [$0] } ?? [])
        return FixtureSite.Article(path: path, html: FixtureSite.newsPage(headline: seed.headline, paragraphs: paragraphs,
                                                                          lang: seed.lang, published: published),
                                   title: seed.headline, published: published, channels: channels)
    }
}

/// Real pages from the extraction benchmark (`../shared/bench/aeb`), decompressed.
enum BenchPages {
    static func load(_ count: Int, offset: Int = 0) throws -> [[UInt8]] {
        let folder = sharedFolder.appendingPathComponent("bench/aeb/html")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html.gz") }.sorted()
        return try names.dropFirst(offset).prefix(count).map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            return try Gzip.decompress([UInt8](data), limit: 50_000_000)
        }
    }

    static func article(_ body: [UInt8], path: String, title: String, channels: Set<FixtureSite.Channel>) -> FixtureSite.Article {
        FixtureSite.Article(path: path, body: body, contentType: "text/html; charset=utf-8", title: title,
                            published: Date().addingTimeInterval(-7_200), channels: channels)
    }
}

/// Arabic paragraphs written for the tests (not from any site), about `topic`.
func arabicArticle(topic: String, mention: String?) -> [String] {
    [
        "قالت مصادر مطلعة يوم الأحد إن اجتماعاً موسعاً عُقد في العاصمة لبحث \(topic)، بحضور عدد من المسؤولين والخبراء.",
        "وأوضحت المصادر أن المجتمعين ناقشوا خططاً جديدة للسنوات المقبلة، وأكدوا أهمية التعاون بين المؤسسات المختلفة في هذا المجال.",
        "وأضافت أن التقارير الأولية تشير إلى تحسن ملحوظ في المؤشرات خلال الأشهر الماضية، رغم التحديات الاقتصادية التي تواجه المنطقة.\(mention.map { " وتطرق الحديث أيضاً إلى \($0) ودورها في المنطقة." } ?? "")",
        "ومن المقرر أن تُعرض التوصيات النهائية على الجهات المختصة خلال الأسابيع القادمة، على أن يبدأ التنفيذ مطلع العام المقبل.",
    ]
}
